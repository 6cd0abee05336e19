// KM0001-KM0003: what the input itself gets wrong: objects given twice, and API versions
// that Kubernetes no longer serves or that Istio has superseded. Objects read from the
// cluster come at the version we ask for, so only files are checked for versions.

#include <map>
#include <set>

#include "lib/mesh/analyze/checks.hpp"

namespace kmesh::mesh::analyze {
namespace {

struct Removed {
  const char* api_version;
  std::set<std::string> kinds;  ///< empty: every kind of the version
  const char* since;
  const char* replacement;  ///< empty: the kind has no successor
};

// Kubernetes' deprecated API migration guide, for versions removed up to 1.32.
const std::vector<Removed> kRemoved = {
    {"extensions/v1beta1", {"Deployment", "DaemonSet", "ReplicaSet"}, "1.16", "apps/v1"},
    {"extensions/v1beta1", {"NetworkPolicy"}, "1.16", "networking.k8s.io/v1"},
    {"extensions/v1beta1", {"PodSecurityPolicy"}, "1.16", ""},
    {"extensions/v1beta1", {"Ingress"}, "1.22", "networking.k8s.io/v1"},
    {"apps/v1beta1", {}, "1.16", "apps/v1"},
    {"apps/v1beta2", {}, "1.16", "apps/v1"},
    {"networking.k8s.io/v1beta1", {"Ingress", "IngressClass"}, "1.22", "networking.k8s.io/v1"},
    {"rbac.authorization.k8s.io/v1beta1", {}, "1.22", "rbac.authorization.k8s.io/v1"},
    {"rbac.authorization.k8s.io/v1alpha1", {}, "1.22", "rbac.authorization.k8s.io/v1"},
    {"admissionregistration.k8s.io/v1beta1", {}, "1.22", "admissionregistration.k8s.io/v1"},
    {"apiextensions.k8s.io/v1beta1", {}, "1.22", "apiextensions.k8s.io/v1"},
    {"apiregistration.k8s.io/v1beta1", {}, "1.22", "apiregistration.k8s.io/v1"},
    {"authentication.k8s.io/v1beta1", {}, "1.22", "authentication.k8s.io/v1"},
    {"authorization.k8s.io/v1beta1", {}, "1.22", "authorization.k8s.io/v1"},
    {"certificates.k8s.io/v1beta1", {}, "1.22", "certificates.k8s.io/v1"},
    {"coordination.k8s.io/v1beta1", {}, "1.22", "coordination.k8s.io/v1"},
    {"scheduling.k8s.io/v1beta1", {}, "1.22", "scheduling.k8s.io/v1"},
    {"storage.k8s.io/v1beta1",
     {"CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"},
     "1.22",
     "storage.k8s.io/v1"},
    {"storage.k8s.io/v1beta1", {"CSIStorageCapacity"}, "1.27", "storage.k8s.io/v1"},
    {"policy/v1beta1", {"PodDisruptionBudget"}, "1.25", "policy/v1"},
    {"policy/v1beta1", {"PodSecurityPolicy"}, "1.25", ""},
    {"batch/v1beta1", {"CronJob"}, "1.25", "batch/v1"},
    {"discovery.k8s.io/v1beta1", {"EndpointSlice"}, "1.25", "discovery.k8s.io/v1"},
    {"events.k8s.io/v1beta1", {"Event"}, "1.25", "events.k8s.io/v1"},
    {"node.k8s.io/v1beta1", {"RuntimeClass"}, "1.25", "node.k8s.io/v1"},
    {"autoscaling/v2beta1", {}, "1.25", "autoscaling/v2"},
    {"autoscaling/v2beta2", {}, "1.26", "autoscaling/v2"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", {}, "1.26", "flowcontrol.apiserver.k8s.io/v1"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", {}, "1.29", "flowcontrol.apiserver.k8s.io/v1"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", {}, "1.32", "flowcontrol.apiserver.k8s.io/v1"},
};

// Istio kinds served at v1 since Istio 1.22, and the older versions still served for them.
const std::map<std::string, std::set<std::string>> kIstioV1Kinds = {
    {"networking.istio.io",
     {"DestinationRule", "Gateway", "ServiceEntry", "Sidecar", "VirtualService", "WorkloadEntry",
      "WorkloadGroup"}},
    {"security.istio.io", {"AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication"}},
    {"telemetry.istio.io", {"Telemetry"}},
};

void check_removed(const Object& o, Sink& sink) {
  for (const auto& r : kRemoved) {
    if (o.api_version != r.api_version || (!r.kinds.empty() && !r.kinds.count(o.kind))) continue;
    std::string fix = *r.replacement
                          ? std::string("use apiVersion: ") + r.replacement +
                                " (check the fields that changed in Kubernetes' migration guide)"
                          : "the kind is gone: remove the object (for PodSecurityPolicy use Pod"
                            " Security Admission)";
    sink.finding("KM0002", o,
                 "apiVersion " + o.api_version + " was removed in Kubernetes " + r.since +
                     ": the API server rejects the object; " + fix);
    return;
  }
}

void check_istio_version(const Object& o, Sink& sink) {
  auto it = kIstioV1Kinds.find(o.group);
  if (it == kIstioV1Kinds.end() || !it->second.count(o.kind)) return;
  std::string version = o.api_version.substr(o.group.size() + 1);
  if (version == "v1") return;
  sink.finding("KM0003", o,
               "apiVersion " + o.api_version + " is superseded: use " + o.group +
                   "/v1 (served since Istio 1.22, same fields); the old version may be removed");
}

}  // namespace

void check_versions(const World& world, Sink& sink) {
  for (const auto& d : world.duplicates()) {
    std::string first = d.first.source + ":" + std::to_string(d.first.line);
    sink.finding("KM0001", *d.later,
                 d.later->ref().display() + " is also defined at " + first +
                     ": applying both keeps only the later one; remove one of them");
  }
  for (const Object& o : world.objects()) {
    if (o.from_cluster() || !o.in_scope) continue;
    check_removed(o, sink);
    check_istio_version(o, sink);
  }
}

}  // namespace kmesh::mesh::analyze
