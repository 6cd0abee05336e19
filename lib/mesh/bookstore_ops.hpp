#pragma once
// The bookstore on a cluster: apply (with pruning on profile switches and the namespace's
// injection label), delete, and status.

#include <chrono>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/apply.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/kube/ops.hpp"
#include "lib/mesh/bookstore.hpp"

namespace kmesh::mesh {

struct BookstoreApplyReport {
  kube::ApplyReport applied;
  std::vector<std::string> pruned;
  std::string label_note;  ///< how the namespace's injection label changed, when it did
  std::vector<std::string> restarted;
};

/// Fails (exit 1) with a pointer to `kubectl mesh install` when the Istio CRDs are absent.
Status require_istio_crds(kube::Discovery& discovery);

/// Applies the rendered objects with field manager kubectl-mesh-bookstore, then deletes
/// what carries the bookstore label in the namespace but is not rendered any more.
/// `restart` restarts the workloads whose sidecar state no longer matches.
Result<BookstoreApplyReport> apply_bookstore(kube::Client& client, kube::Discovery& discovery,
                                             std::vector<Json> objects, const std::string& ns,
                                             kube::DryRun dry_run, bool restart);

/// Everything the bookstore commands put in the namespace (the namespace last).
Result<std::vector<kube::ObjectRef>> bookstore_objects(kube::Client& client,
                                                       kube::Discovery& discovery,
                                                       const std::string& ns);

/// One screen about the running shop (see `kubectl mesh bookstore status`).
Result<Json> bookstore_status(kube::Client& client, kube::Discovery& discovery,
                              const std::string& ns);

}  // namespace kmesh::mesh
