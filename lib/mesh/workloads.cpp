#include "lib/mesh/workloads.hpp"

#include "lib/kube/objects.hpp"
#include "lib/mesh/injection.hpp"

namespace kmesh::mesh {
namespace {

Json template_labels(const Json& workload) {
  const Json& t = workload["spec"]["template"];
  return t.contains("metadata") ? t["metadata"].value("labels", Json::object()) : Json::object();
}

bool template_host_network(const Json& workload) {
  const Json& spec = workload["spec"]["template"]["spec"];
  return spec.is_object() && spec.value("hostNetwork", false);
}

Json pod_labels(const Json& pod) {
  return pod.contains("metadata") ? pod["metadata"].value("labels", Json::object())
                                  : Json::object();
}

std::string owner_of_kind(const Json& pod, const std::string& kind) {
  if (!pod.contains("metadata")) return "";
  for (const auto& o : pod["metadata"].value("ownerReferences", Json::array()))
    if (o.value("kind", "") == kind) return o.value("name", "");
  return "";
}

bool owned(const Json& pod) {
  return pod.contains("metadata") &&
         !pod["metadata"].value("ownerReferences", Json::array()).empty();
}

void count(WorkloadState& w, const Json& pod) {
  if (has_sidecar(pod.value("spec", Json::object())))
    ++w.pods_with_sidecar;
  else
    ++w.pods_without_sidecar;
}

}  // namespace

std::vector<WorkloadState> assess_workloads(const std::string& ns, const NamespaceObjects& o) {
  std::vector<WorkloadState> out;
  std::vector<bool> claimed(o.pods.size(), false);
  auto by_selector = [&](const std::string& kind, const std::vector<Json>& workloads) {
    for (const auto& w : workloads) {
      WorkloadState state{kind, ns, kube::name_of(w)};
      state.should_have_sidecar =
          should_have_sidecar(o.labels, template_labels(w), template_host_network(w));
      for (size_t i = 0; i < o.pods.size(); ++i) {
        if (claimed[i] ||
            !selector_matches(w["spec"].value("selector", Json()), pod_labels(o.pods[i])))
          continue;
        claimed[i] = true;
        count(state, o.pods[i]);
      }
      out.push_back(std::move(state));
    }
  };
  by_selector("Deployment", o.deployments);
  by_selector("StatefulSet", o.statefulsets);
  by_selector("DaemonSet", o.daemonsets);
  for (const auto& job : o.jobs) {
    WorkloadState state{"Job", ns, kube::name_of(job)};
    state.should_have_sidecar =
        should_have_sidecar(o.labels, template_labels(job), template_host_network(job));
    for (size_t i = 0; i < o.pods.size(); ++i)
      if (!claimed[i] && owner_of_kind(o.pods[i], "Job") == state.name) {
        claimed[i] = true;
        count(state, o.pods[i]);
      }
    if (state.pods_with_sidecar + state.pods_without_sidecar > 0) out.push_back(std::move(state));
  }
  for (size_t i = 0; i < o.pods.size(); ++i) {
    if (claimed[i] || owned(o.pods[i])) continue;
    const Json& pod = o.pods[i];
    WorkloadState state{"Pod", ns, kube::name_of(pod)};
    state.should_have_sidecar = should_have_sidecar(
        o.labels, pod_labels(pod), pod.value("spec", Json::object()).value("hostNetwork", false));
    count(state, pod);
    out.push_back(std::move(state));
  }
  return out;
}

}  // namespace kmesh::mesh
