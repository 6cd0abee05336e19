#include "lib/mesh/bookstore_ops.hpp"

#include <set>

#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/inject.hpp"
#include "lib/mesh/injection.hpp"
#include "lib/mesh/readiness.hpp"

namespace kmesh::mesh {
namespace {

// Every kind either profile renders: what pruning and delete look for.
const std::vector<std::pair<std::string, std::string>>& bookstore_kinds() {
  static const std::vector<std::pair<std::string, std::string>> kinds = {
      {"v1", "ServiceAccount"},
      {"rbac.authorization.k8s.io/v1", "Role"},
      {"rbac.authorization.k8s.io/v1", "RoleBinding"},
      {"v1", "ConfigMap"},
      {"v1", "Service"},
      {"apps/v1", "Deployment"},
      {"networking.istio.io/v1", "Gateway"},
      {"networking.istio.io/v1", "VirtualService"},
      {"networking.istio.io/v1", "DestinationRule"},
      {"security.istio.io/v1", "PeerAuthentication"},
      {"security.istio.io/v1", "RequestAuthentication"},
      {"security.istio.io/v1", "AuthorizationPolicy"},
  };
  return kinds;
}

std::string selector() {
  return std::string(kBookstoreLabel) + "=bookstore";
}

std::string identity(const Json& o) {
  return kube::group_of(kube::api_version_of(o)) + "/" + kube::kind_of(o) + "/" + kube::name_of(o);
}

// Istio's preferred version where v1 is not served (Istio before 1.22).
std::optional<kube::ResourceInfo> find_kind(kube::Discovery& d, const std::string& api_version,
                                            const std::string& kind) {
  if (auto exact = d.find_kind(api_version, kind)) return exact;
  return d.find_preferred(kube::group_of(api_version), kind);
}

Result<std::string> injection_label_note(kube::Client& client, kube::Discovery& discovery,
                                         const std::vector<Json>& objects, const std::string& ns) {
  std::string wanted;
  for (const auto& o : objects)
    if (kube::kind_of(o) == "Namespace") wanted = kube::label_of(o, "istio-injection");
  auto info = discovery.find_kind("v1", "Namespace");
  KMESH_ASSIGN_OR_RETURN(auto live, kube::get_object(client, *info, "", ns));
  if (!live) return std::string();
  std::string current = kube::label_of(*live, "istio-injection");
  if (current == wanted) return std::string();
  return "namespace " + ns + ": istio-injection changes from " +
         (current.empty() ? "(none)" : current) + " to " + wanted +
         " (the profile's value; it replaces what 'kubectl mesh inject' or others set)";
}

}  // namespace

Status require_istio_crds(kube::Discovery& discovery) {
  if (discovery.serves_group("networking.istio.io") && discovery.serves_group("security.istio.io"))
    return {};
  return cluster_error(
      "the Istio CRDs are not installed in this cluster (no networking.istio.io or "
      "security.istio.io"
      " API): run 'kubectl mesh install' first");
}

Result<std::vector<kube::ObjectRef>> bookstore_objects(kube::Client& client,
                                                       kube::Discovery& discovery,
                                                       const std::string& ns) {
  std::vector<kube::ObjectRef> out;
  for (const auto& [api_version, kind] : bookstore_kinds()) {
    auto info = find_kind(discovery, api_version, kind);
    if (!info) continue;
    KMESH_ASSIGN_OR_RETURN(auto found, kube::list_objects(client, *info, ns, selector(), true));
    for (const auto& o : found)
      out.push_back({*info, ns, kube::name_of(o)});
  }
  return out;
}

Result<BookstoreApplyReport> apply_bookstore(kube::Client& client, kube::Discovery& discovery,
                                             std::vector<Json> objects, const std::string& ns,
                                             kube::DryRun dry_run, bool restart) {
  KMESH_TRY(require_istio_crds(discovery));
  BookstoreApplyReport report;
  KMESH_ASSIGN_OR_RETURN(report.label_note, injection_label_note(client, discovery, objects, ns));
  std::set<std::string> rendered;
  for (const auto& o : objects)
    rendered.insert(identity(o));

  kube::Applier applier(client, discovery);
  kube::ApplyOptions options;
  options.field_manager = kBookstoreFieldManager;
  options.dry_run = dry_run;
  options.default_namespace = ns;
  // The bookstore owns its objects whole; the namespace label may have been set by
  // `inject`, and the profile's value wins (the note above says so).
  options.force_conflicts = true;
  std::vector<Document> docs;
  for (auto& o : objects)
    docs.push_back({std::move(o), "bookstore", 0});
  KMESH_ASSIGN_OR_RETURN(auto items, applier.prepare(std::move(docs), options));
  report.applied = applier.apply(std::move(items), options);
  if (!report.applied.ok()) return report;

  KMESH_ASSIGN_OR_RETURN(auto existing, bookstore_objects(client, discovery, ns));
  std::vector<kube::ObjectRef> stale;
  for (const auto& ref : existing)
    if (!rendered.count(ref.resource.group + "/" + ref.resource.kind + "/" + ref.name))
      stale.push_back(ref);
  if (dry_run != kube::DryRun::kClient)
    KMESH_TRY(kube::delete_objects(client, stale, dry_run == kube::DryRun::kServer,
                                   std::chrono::seconds(60)));
  for (const auto& s : stale)
    report.pruned.push_back(s.display());

  if (restart && dry_run == kube::DryRun::kNone) {
    auto ns_info = discovery.find_kind("v1", "Namespace");
    KMESH_ASSIGN_OR_RETURN(auto live_ns, kube::get_object(client, *ns_info, "", ns));
    if (live_ns) {
      KMESH_ASSIGN_OR_RETURN(auto done, restart_mismatched(client, discovery, {*live_ns}));
      report.restarted = std::move(done);
    }
  }
  return report;
}

Result<Json> bookstore_status(kube::Client& client, kube::Discovery& discovery,
                              const std::string& ns) {
  auto ns_info = discovery.find_kind("v1", "Namespace");
  KMESH_ASSIGN_OR_RETURN(auto live_ns, kube::get_object(client, *ns_info, "", ns));
  if (!live_ns)
    return cluster_error("namespace " + ns +
                         " does not exist: run 'kubectl mesh bookstore apply' first");
  KMESH_ASSIGN_OR_RETURN(auto per_ns, read_namespace_objects(client, discovery, {*live_ns}));
  const NamespaceObjects& objs = per_ns[ns];
  auto setting = namespace_setting(objs.labels);
  auto svc_info = discovery.find_kind("v1", "Service");
  KMESH_ASSIGN_OR_RETURN(auto services, kube::list_objects(client, *svc_info, ns, ""));
  std::vector<Json> virtual_services;
  if (auto vs = find_kind(discovery, "networking.istio.io/v1", "VirtualService")) {
    KMESH_ASSIGN_OR_RETURN(virtual_services, kube::list_objects(client, *vs, ns, ""));
  }
  Json out = {{"namespace", ns}, {"injection", setting.describe()}, {"services", Json::array()}};
  for (const auto& name : bookstore_services()) {
    Json s = {{"name", name},
              {"deployments", Json::array()},
              {"service", nullptr},
              {"routes", Json::array()}};
    for (const auto& d : objs.deployments) {
      const Json labels = d["spec"]["template"]["metadata"].value("labels", Json::object());
      if (labels.value("app", "") != name) continue;
      bool should = should_have_sidecar(objs.labels, labels, false);
      s["deployments"].push_back(
          {{"name", kube::name_of(d)},
           {"version", labels.value("version", "")},
           {"ready", d.contains("status") ? d["status"].value("readyReplicas", 0) : 0},
           {"desired", d["spec"].value("replicas", 1)},
           {"sidecarExpected", should}});
    }
    for (const auto& svc : services)
      if (kube::name_of(svc) == name) {
        Json ports = Json::array();
        for (const auto& p : svc["spec"].value("ports", Json::array()))
          ports.push_back(p.value("name", "") + ":" + std::to_string(p.value("port", 0)));
        s["service"] = {{"type", svc["spec"].value("type", "ClusterIP")}, {"ports", ports}};
      }
    for (const auto& vs : virtual_services) {
      int index = 0;
      for (const auto& http : vs["spec"].value("http", Json::array())) {
        for (const auto& r : http.value("route", Json::array()))
          if (r.contains("destination") && r["destination"].value("host", "") == name) {
            std::string match = http.contains("match") ? http["match"].dump() : "default";
            s["routes"].push_back({{"virtualService", kube::name_of(vs)},
                                   {"index", index},
                                   {"subset", r["destination"].value("subset", "")},
                                   {"weight", r.value("weight", 100)},
                                   {"match", match}});
          }
        ++index;
      }
    }
    out["services"].push_back(std::move(s));
  }
  // How to reach the shop: the ingress gateway's address, or a port-forward.
  KMESH_ASSIGN_OR_RETURN(
      auto gateway, kube::get_object(client, *svc_info, "istio-system", "istio-ingressgateway"));
  std::string address;
  if (gateway && gateway->contains("status"))
    for (const auto& ing :
         (*gateway)["status"].value("loadBalancer", Json::object()).value("ingress", Json::array()))
      address = ing.value("ip", ing.value("hostname", ""));
  out["access"] = address.empty() ? "kubectl -n istio-system port-forward svc/istio-ingressgateway "
                                    "8080:80, then http://localhost:8080/"
                                  : "http://" + address + "/";
  return out;
}

}  // namespace kmesh::mesh
