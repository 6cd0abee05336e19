#pragma once
// Workloads and their sidecar state as the checks see them: from the Pods when the world
// has them (the cluster), else predicted from the namespace's injection labels (files).
// Built on mesh::assess_workloads, the rule `inject` uses too.

#include <map>
#include <string>
#include <vector>

#include "lib/mesh/analyze/world.hpp"
#include "lib/mesh/workloads.hpp"

namespace kmesh::mesh::analyze {

/// One workload (Deployment, StatefulSet, DaemonSet, Job with Pods, bare Pod).
struct WorkloadView {
  const Object* object = nullptr;
  Json labels;  ///< the Pod template's labels (a bare Pod's own)
  WorkloadState state;
  bool has_pods = false;
  enum Sidecar { kYes, kNo, kUnknown } sidecar = kUnknown;
};

/// Workloads per namespace; `namespace_known` says whether the Namespace (its labels) is
/// in the world.
struct NamespaceWorkloads {
  bool namespace_known = false;
  std::vector<WorkloadView> workloads;
};

std::map<std::string, NamespaceWorkloads> workloads_by_namespace(const World& world);

}  // namespace kmesh::mesh::analyze
