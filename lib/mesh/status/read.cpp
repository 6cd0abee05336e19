// What status reads, in as few round trips as the data allows: after discovery, one
// parallel batch for istio-system (install records, Deployments, Pods), the revision tags
// and the scope's HTTPRoutes; then analyze's own reading (one parallel batch of LISTs, and
// one for the workloads its Gateways select), whose objects the Namespaces and Services
// sections reuse instead of listing them again.

#include "lib/kube/ops.hpp"
#include "lib/mesh/analyze/loader.hpp"
#include "lib/mesh/labels.hpp"
#include "lib/mesh/status/status.hpp"
#include "lib/mesh/version.hpp"

namespace kmesh::mesh::status {
namespace {

namespace az = analyze;

struct Reads {
  std::optional<kube::ResourceInfo> configmaps, deployments, pods, webhooks, http_routes;
};

Reads resources(kube::Discovery& discovery) {
  return {discovery.find_preferred("", "ConfigMap"), discovery.find_preferred("apps", "Deployment"),
          discovery.find_preferred("", "Pod"),
          discovery.find_preferred("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
          discovery.find_preferred("gateway.networking.k8s.io", "HTTPRoute")};
}

// istio-system's objects into `cp`. A failure here (a user who may not read istio-system)
// leaves the Istio section saying why; the rest of the view is still worth showing, and an
// unreachable cluster fails the reads that follow anyway.
void take_control_plane(ControlPlaneObjects& cp, std::vector<Result<std::vector<Json>>>& lists) {
  std::vector<Json>* into[] = {&cp.install_records, &cp.deployments, &cp.pods};
  for (size_t i = 0; i < 3; ++i) {
    if (lists[i].ok())
      *into[i] = std::move(*lists[i]);
    else if (cp.unreadable.empty())
      cp.unreadable = lists[i].error().message;
  }
}

Result<Inputs> read_inputs(kube::Client& client, kube::Discovery& discovery, const Scope& scope,
                           std::vector<std::string>& notes) {
  Reads r = resources(discovery);
  if (!r.configmaps || !r.deployments || !r.pods || !r.webhooks)
    return cluster_error(
        "the server does not serve ConfigMaps, Deployments, Pods and webhook "
        "configurations: is it a Kubernetes API server?");
  std::string ns = scope.mode == Scope::kNamespace ? scope.ns : "";
  std::string ours = std::string(kManagedByLabel) + "=" + kManagedByValue;
  std::vector<kube::ListCall> calls = {{*r.configmaps, kIstioNamespace, ours, false},
                                       {*r.deployments, kIstioNamespace, "", false},
                                       {*r.pods, kIstioNamespace, "", false},
                                       {*r.webhooks, "", "istio.io/tag", true}};
  if (r.http_routes) calls.push_back({*r.http_routes, ns, "", false});
  auto lists = kube::list_objects_parallel(client, calls);
  Inputs in;
  in.control_plane.crds_served =
      discovery.find_preferred(az::kNetworking, "VirtualService").has_value();
  take_control_plane(in.control_plane, lists);
  in.control_plane.tags_known = lists[3].ok();
  if (lists[3].ok()) in.control_plane.tag_webhooks = std::move(*lists[3]);
  if (r.http_routes && lists[4].ok()) in.http_routes = std::move(*lists[4]);
  az::ClusterScope analyzed{ns, scope.mode != Scope::kNamespace};
  KMESH_TRY(az::add_cluster_objects(in.world, client, discovery, analyzed, notes));
  return in;
}

// With -n: a namespace that is not there is a mistake in the command, not an empty view.
// The Namespaces analyze listed answer it; a user who may not list them is asked directly.
Status check_namespace(kube::Client& client, kube::Discovery& discovery, const Inputs& in,
                       const Scope& scope) {
  if (scope.mode != Scope::kNamespace || in.world.find("", "Namespace", "", scope.ns)) return {};
  if (!in.world.knows_all("Namespace")) {
    auto info = discovery.find_preferred("", "Namespace");
    auto one = kube::get_object(client, *info, "", scope.ns);
    if (!one.ok() || *one) return {};  // unreadable (its labels show as unknown), or there
  }
  return usage_error("namespace \"" + scope.ns +
                     "\" does not exist: check -n (kubectl get namespaces lists them)");
}

}  // namespace

Result<Json> cluster_status(kube::Client& client, kube::Discovery& discovery, const Scope& scope,
                            std::vector<std::string>& notes) {
  KMESH_TRY(discovery.load());
  KMESH_ASSIGN_OR_RETURN(auto inputs, read_inputs(client, discovery, scope, notes));
  KMESH_TRY(check_namespace(client, discovery, inputs, scope));
  return build_status(inputs, scope);
}

}  // namespace kmesh::mesh::status
