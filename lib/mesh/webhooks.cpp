#include "lib/mesh/webhooks.hpp"

namespace kmesh::mesh {
namespace {

Json requirement(const std::string& key, const std::string& op,
                 std::vector<std::string> values = {}) {
  Json r = {{"key", key}, {"operator", op}};
  if (!values.empty()) r["values"] = values;
  return r;
}

Json selector(std::vector<Json> requirements) {
  return {{"matchExpressions", requirements}};
}

Json entry(const std::string& name, const std::string& service, const std::string& ns,
           Json namespace_selector, Json object_selector) {
  return {
      {"name", name},
      {"admissionReviewVersions", {"v1"}},
      {"clientConfig",
       {{"service", {{"name", service}, {"namespace", ns}, {"path", "/inject"}, {"port", 443}}}}},
      {"failurePolicy", "Fail"},
      {"matchPolicy", "Equivalent"},
      {"reinvocationPolicy", "Never"},
      {"sideEffects", "None"},
      {"timeoutSeconds", 10},
      {"rules",
       {{{"apiGroups", {""}},
         {"apiVersions", {"v1"}},
         {"operations", {"CREATE"}},
         {"resources", {"pods"}},
         {"scope", "*"}}}},
      {"namespaceSelector", std::move(namespace_selector)},
      {"objectSelector", std::move(object_selector)}};
}

// The entries that select by istio.io/rev = `selects` (a revision or a tag name).
std::vector<Json> revision_entries(const std::string& selects, const std::string& service,
                                   const std::string& ns) {
  return {
      entry("rev.namespace.sidecar-injector.istio.io", service, ns,
            selector({requirement("istio.io/rev", "In", {selects}),
                      requirement("istio-injection", "DoesNotExist")}),
            selector({requirement("sidecar.istio.io/inject", "NotIn", {"false"})})),
      entry("rev.object.sidecar-injector.istio.io", service, ns,
            selector({requirement("istio.io/rev", "DoesNotExist"),
                      requirement("istio-injection", "DoesNotExist")}),
            selector({requirement("sidecar.istio.io/inject", "NotIn", {"false"}),
                      requirement("istio.io/rev", "In", {selects})})),
  };
}

// The entries only the default revision (or the "default" tag) serves.
std::vector<Json> default_entries(const std::string& service, const std::string& ns) {
  return {
      entry("namespace.sidecar-injector.istio.io", service, ns,
            selector({requirement("istio-injection", "In", {"enabled"})}),
            selector({requirement("sidecar.istio.io/inject", "NotIn", {"false"})})),
      entry("object.sidecar-injector.istio.io", service, ns,
            selector({requirement("istio-injection", "DoesNotExist"),
                      requirement("istio.io/rev", "DoesNotExist")}),
            selector({requirement("sidecar.istio.io/inject", "In", {"true"}),
                      requirement("istio.io/rev", "DoesNotExist")})),
  };
}

std::string service_of(const std::string& revision) {
  return revision == "default" ? "istiod" : "istiod-" + revision;
}

}  // namespace

Json injector_webhook(const std::string& revision, const std::string& ns) {
  std::string suffix = revision == "default" ? "" : "-" + revision;
  auto webhooks = revision_entries(revision, service_of(revision), ns);
  if (revision == "default")
    for (auto& e : default_entries(service_of(revision), ns))
      webhooks.push_back(std::move(e));
  return {{"apiVersion", "admissionregistration.k8s.io/v1"},
          {"kind", "MutatingWebhookConfiguration"},
          {"metadata",
           {{"name", "istio-sidecar-injector" + suffix},
            {"labels", {{"app", "sidecar-injector"}, {"istio.io/rev", revision}}}}},
          {"webhooks", webhooks}};
}

Json tag_webhook(const std::string& tag, const std::string& revision, const std::string& ns) {
  auto webhooks = revision_entries(tag, service_of(revision), ns);
  if (tag == "default")
    for (auto& e : default_entries(service_of(revision), ns))
      webhooks.push_back(std::move(e));
  return {{"apiVersion", "admissionregistration.k8s.io/v1"},
          {"kind", "MutatingWebhookConfiguration"},
          {"metadata",
           {{"name", "istio-revision-tag-" + tag},
            {"labels",
             {{"app", "sidecar-injector"}, {"istio.io/rev", revision}, {"istio.io/tag", tag}}}}},
          {"webhooks", webhooks}};
}

}  // namespace kmesh::mesh
