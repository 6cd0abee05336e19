#include "lib/mesh/install_plan.hpp"

#include <algorithm>

#include "lib/core/embedded.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/labels.hpp"
#include "lib/mesh/webhooks.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::mesh {
namespace {

bool flag(const Values& v, const std::string& key) {
  auto it = v.find(key);
  return it != v.end() && it->second.is_boolean() && it->second.get<bool>();
}

Stage stage_of(const std::string& kind) {
  if (kind == "Namespace") return Stage::kNamespace;
  if (kind == "CustomResourceDefinition") return Stage::kCrds;
  if (kind == "ServiceAccount" || kind == "ClusterRole" || kind == "ClusterRoleBinding" ||
      kind == "Role" || kind == "RoleBinding")
    return Stage::kRbac;
  if (kind == "ConfigMap" || kind == "Secret") return Stage::kConfig;
  if (kind == "MutatingWebhookConfiguration" || kind == "ValidatingWebhookConfiguration")
    return Stage::kWebhooks;
  return Stage::kWorkloads;
}

// The manifest files of each component, as the profile's switches choose them.
struct ComponentFiles {
  std::string component;
  std::string prefix;
  bool enabled;
  bool autoscaled;
  std::string values;  ///< the prefix of its values ("pilot", "gateways.ingress"), if any
};

// The replicas a component keeps at the least: the autoscaler's minimum, else its count.
long min_replicas(const Values& v, const ComponentFiles& c) {
  auto it = v.find(c.values + (c.autoscaled ? ".autoscaleMin" : ".replicaCount"));
  return it != v.end() && it->second.is_number_integer() ? it->second.get<long>() : 1;
}

// Whether a manifest file belongs in the plan for this component's values. As Istio does,
// a PodDisruptionBudget only over more than one replica: over a single one (minAvailable 1)
// it forbids every voluntary eviction, so a node drain would never finish.
bool wanted(const std::string& path, const ComponentFiles& c, const Values& v) {
  if (ends_with(path, "/hpa.yaml")) return c.autoscaled;
  if (ends_with(path, "/pdb.yaml")) return min_replicas(v, c) > 1;
  return true;
}

bool is_shared_file(const std::string& path) {
  return starts_with(path, "manifests/base/") || starts_with(path, "manifests/crds/") ||
         path == "manifests/istiod/reader-serviceaccount.yaml";
}

Status add_file(InstallPlan& plan, const EmbeddedFile& file, const std::string& component) {
  KMESH_ASSIGN_OR_RETURN(auto text, substitute(std::string(file.text), plan.values, file.path));
  KMESH_ASSIGN_OR_RETURN(auto docs, yaml::parse_documents(text, file.path));
  for (auto& d : docs) {
    Stage stage = stage_of(kube::kind_of(d.value));
    plan.objects.push_back({std::move(d.value), component, stage, is_shared_file(file.path)});
  }
  return {};
}

void label(PlannedObject& p, const InstallPlan& plan) {
  Json& labels = p.object["metadata"]["labels"];
  if (!labels.is_object()) labels = Json::object();
  labels[kManagedByLabel] = kManagedByValue;
  labels[kComponentLabel] = p.component;
  labels[kVersionLabel] = plan.version;
  if (!p.shared) {
    labels[kRevisionLabel] = plan.revision;
    labels[kProfileLabel] = plan.profile;
  }
}

// An autoscaled Deployment leaves replicas to its HorizontalPodAutoscaler.
void drop_replicas_under_hpa(InstallPlan& plan, const std::string& component, bool autoscaled) {
  if (!autoscaled) return;
  for (auto& p : plan.objects)
    if (p.component == component && kube::kind_of(p.object) == "Deployment")
      p.object["spec"].erase("replicas");
}

// The demo profile opens the ingress gateway for raw TCP and TLS passthrough too.
void add_demo_ports(InstallPlan& plan) {
  for (auto& p : plan.objects) {
    if (p.component != "ingress-gateway") continue;
    std::string kind = kube::kind_of(p.object);
    if (kind == "Service") {
      p.object["spec"]["ports"].push_back(
          {{"name", "tcp"}, {"port", 31400}, {"protocol", "TCP"}, {"targetPort", 31400}});
      p.object["spec"]["ports"].push_back(
          {{"name", "tls"}, {"port", 15443}, {"protocol", "TCP"}, {"targetPort", 15443}});
    } else if (kind == "Deployment") {
      Json& ports = p.object["spec"]["template"]["spec"]["containers"][0]["ports"];
      ports.push_back({{"containerPort", 31400}, {"name", "tcp"}, {"protocol", "TCP"}});
      ports.push_back({{"containerPort", 15443}, {"name", "tls"}, {"protocol", "TCP"}});
    }
  }
}

// The json pointer paths inside webhook entries that istiod owns once it runs.
void adopt_webhook_fields(Json& planned, const Json& live) {
  if (!planned.contains("webhooks") || !live.contains("webhooks")) return;
  for (auto& hook : planned["webhooks"]) {
    for (const auto& live_hook : live["webhooks"]) {
      if (live_hook.value("name", "") != hook.value("name", "")) continue;
      if (live_hook.contains("failurePolicy")) hook["failurePolicy"] = live_hook["failurePolicy"];
      if (live_hook.contains("clientConfig") && live_hook["clientConfig"].contains("caBundle"))
        hook["clientConfig"]["caBundle"] = live_hook["clientConfig"]["caBundle"];
    }
  }
}

// What was installed, kept in the cluster so verify-install, upgrade and status know the
// profile and values without being told again.
Json install_record(const InstallPlan& plan, const std::string& ns) {
  Json values = Json::object();
  for (const auto& spec : value_specs())
    values[spec.path] = plan.values.at(spec.path);
  std::string suffix = plan.revision == "default" ? "" : "-" + plan.revision;
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", "kubectl-mesh-install" + suffix}, {"namespace", ns}}},
          {"data",
           {{"profile", plan.profile},
            {"revision", plan.revision},
            {"version", plan.version},
            {"values", values.dump()}}}};
}

}  // namespace

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::kNamespace:
      return "namespace";
    case Stage::kCrds:
      return "custom resource definitions";
    case Stage::kRbac:
      return "service accounts and RBAC";
    case Stage::kConfig:
      return "configuration";
    case Stage::kWorkloads:
      return "workloads";
    case Stage::kWebhooks:
      return "webhooks";
  }
  return "";
}

Result<std::string> substitute(const std::string& text, const Values& values,
                               const std::string& source) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    std::string name = text.substr(open + 2, close - open - 2);
    bool placeholder = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
    });
    out.append(text, pos, open - pos);
    if (!placeholder) {
      // Not ours (a Go template action, or braces in a comment): keep the braces and look
      // for placeholders right after them.
      out += "{{";
      pos = open + 2;
      continue;
    }
    auto it = values.find(name);
    if (it == values.end())
      return Error{ErrorKind::kUsage, source + ": template value {{" + name +
                                          "}} has no value (a bug in the manifests)"};
    out += value_text(it->second);
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

Result<InstallPlan> render_plan(const std::string& profile, Values values) {
  InstallPlan plan;
  plan.profile = profile;
  plan.revision = values["revision"].get<std::string>();
  plan.version = KMESH_ISTIO_VERSION;
  values["version"] = plan.version;
  plan.values = std::move(values);
  const Values& v = plan.values;
  std::vector<ComponentFiles> components = {
      {"base", "manifests/base/", true, false, ""},
      {"base", "manifests/crds/", true, false, ""},
      {"istiod", "manifests/istiod/", true, flag(v, "pilot.autoscaleEnabled"), "pilot"},
      {"ingress-gateway", "manifests/gateways/ingress/", flag(v, "gateways.ingress.enabled"),
       flag(v, "gateways.ingress.autoscaleEnabled"), "gateways.ingress"},
      {"egress-gateway", "manifests/gateways/egress/", flag(v, "gateways.egress.enabled"),
       flag(v, "gateways.egress.autoscaleEnabled"), "gateways.egress"},
  };
  for (const auto& c : components) {
    if (!c.enabled) continue;
    for (const EmbeddedFile* f : embedded_under(c.prefix))
      if (wanted(f->path, c, v)) KMESH_TRY(add_file(plan, *f, c.component));
    drop_replicas_under_hpa(plan, c.component, c.autoscaled);
  }
  std::string ns = v.at("istioNamespace").get<std::string>();
  plan.objects.push_back({injector_webhook(plan.revision, ns), "istiod", Stage::kWebhooks, false});
  plan.objects.push_back({install_record(plan, ns), "istiod", Stage::kConfig, false});
  if (profile == "demo") add_demo_ports(plan);
  for (auto& p : plan.objects)
    label(p, plan);
  std::stable_sort(
      plan.objects.begin(), plan.objects.end(),
      [](const PlannedObject& a, const PlannedObject& b) { return a.stage < b.stage; });
  return plan;
}

Result<InstallPlan> build_install_plan(const InstallRequest& request) {
  KMESH_ASSIGN_OR_RETURN(auto values, profile_values(request.profile));
  for (const auto& path : request.values_files) {
    auto file = read_file(path);
    if (!file.ok) return usage_error("values file " + path + ": " + file.error);
    KMESH_TRY(apply_values_file(values, file.text, path));
  }
  for (const auto& s : request.sets)
    KMESH_TRY(apply_set(values, s));
  if (!request.revision.empty()) KMESH_TRY(apply_set(values, "revision=" + request.revision));
  // Another revision installs its control plane beside the default one; the gateways
  // (which carry no revision in their names) stay with the default unless asked for.
  if (values["revision"] != "default") {
    bool asked_ingress = false, asked_egress = false;
    for (const auto& s : request.sets) {
      asked_ingress |= starts_with(s, "gateways.ingress.enabled=");
      asked_egress |= starts_with(s, "gateways.egress.enabled=");
    }
    if (!asked_ingress) values["gateways.ingress.enabled"] = false;
    if (!asked_egress) values["gateways.egress.enabled"] = false;
  }
  KMESH_TRY(finish_values(values));
  return render_plan(request.profile, std::move(values));
}

void adopt_taken_over_fields(Json& planned, const Json& live) {
  std::string kind = kube::kind_of(planned);
  if (kind == "ValidatingWebhookConfiguration" || kind == "MutatingWebhookConfiguration")
    adopt_webhook_fields(planned, live);
}

}  // namespace kmesh::mesh
