#pragma once
// `inject enable|disable|status` against a cluster: pick the namespaces (validate all,
// then write), flip their labels with a merge patch (field manager kubectl-mesh-inject,
// so other labels and concurrent edits survive), and find or restart the workloads whose
// Pods no longer match.

#include <functional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/apply.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/mesh/injection.hpp"
#include "lib/mesh/workloads.hpp"

namespace kmesh::mesh {

inline constexpr const char* kInjectFieldManager = "kubectl-mesh-inject";

/// Which namespaces a command acts on.
struct NamespaceSelection {
  std::vector<std::string> names;  ///< named on the command line
  std::string label_selector;      ///< -l
  bool all = false;                ///< -A
  bool include_system = false;    ///< allow kube-system, kube-public, kube-node-lease, istio-system
  std::string default_namespace;  ///< the context's, when nothing else is given
};

/// Namespaces the commands leave alone unless told.
bool is_system_namespace(const std::string& name);

/// The namespaces (full objects) the selection names; named ones must all exist. Notes
/// say what -A or -l skipped.
Result<std::vector<Json>> select_namespaces(kube::Client& client, kube::Discovery& discovery,
                                            const NamespaceSelection& selection,
                                            std::vector<std::string>& notes);

struct InjectRequest {
  bool enable = true;
  std::string revision;
  bool remove_label = false;
  bool restart = false;
  kube::DryRun dry_run = kube::DryRun::kNone;
  /// "labelled 128/1000 namespaces": how a bulk change moves (batches of more than 128).
  std::function<void(const std::string&)> status = [](const std::string&) {};
};

struct NamespaceChange {
  std::string name;
  LabelChange change;
  Json result;  ///< the namespace as written (or as it would be)
  std::vector<std::string> warnings;
};

struct InjectReport {
  std::vector<NamespaceChange> namespaces;
  std::vector<WorkloadState> workloads;  ///< those whose Pods mismatch
  std::vector<std::string> restarted;    ///< "deployment.apps/web in ns"
  std::vector<std::string> notes;
};

/// Reads the objects of each namespace that matter for injection (cluster-wide lists when
/// there are many namespaces, so the request count stays small).
Result<std::map<std::string, NamespaceObjects>> read_namespace_objects(
    kube::Client& client, kube::Discovery& discovery, const std::vector<Json>& namespaces);

/// Restarts the Deployments, StatefulSets and DaemonSets of these namespaces whose Pods'
/// sidecar state differs from what the namespace asks; returns what it restarted.
Result<std::vector<std::string>> restart_mismatched(kube::Client& client,
                                                    kube::Discovery& discovery,
                                                    const std::vector<Json>& namespaces);

/// Flips labels, then lists or restarts what must change.
Result<InjectReport> run_inject(kube::Client& client, kube::Discovery& discovery,
                                std::vector<Json> namespaces, const InjectRequest& request);

}  // namespace kmesh::mesh
