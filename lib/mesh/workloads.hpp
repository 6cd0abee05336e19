#pragma once
// Which workloads run with the wrong sidecar state for their namespace, and which of them
// a rollout restart can fix: the decision under `inject --restart`, `inject status` and
// the analyzer. Pure: it takes the listed objects and returns a verdict per workload.

#include <map>
#include <string>
#include <vector>

#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// One workload (or bare Pod) and its Pods' sidecar state.
struct WorkloadState {
  std::string kind;  ///< Deployment, StatefulSet, DaemonSet, Job, Pod
  std::string ns, name;
  int pods_with_sidecar = 0;
  int pods_without_sidecar = 0;
  bool should_have_sidecar = false;
  /// Some Pod's state differs from what the namespace now asks.
  bool needs_restart() const {
    return should_have_sidecar ? pods_without_sidecar > 0 : pods_with_sidecar > 0;
  }
  /// A rollout restart (pod template annotation) can fix it: not Jobs and bare Pods.
  bool restartable() const {
    return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet";
  }
};

/// Everything listed from one namespace.
struct NamespaceObjects {
  Json labels = Json::object();
  std::vector<Json> deployments, statefulsets, daemonsets, jobs, pods;
};

/// Assigns each Pod to the workload whose selector matches it (or to its Job, or to
/// itself when nothing owns it) and judges each workload.
std::vector<WorkloadState> assess_workloads(const std::string& ns, const NamespaceObjects& objects);

}  // namespace kmesh::mesh
