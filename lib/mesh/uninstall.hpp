#pragma once
// Removing an install: every object of a revision (found by label, webhook configurations
// and revision tags included), and once the last revision is gone the shared objects too;
// CRDs only when purging.

#include <chrono>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/kube/ops.hpp"

namespace kmesh::mesh {

struct UninstallRequest {
  std::string revision = "default";
  bool purge = false;
  std::string istio_namespace = "istio-system";
};

/// What an uninstall will do, found before anything is deleted.
struct UninstallPlan {
  std::vector<kube::ObjectRef> objects;  ///< in deletion order (webhooks first)
  std::vector<kube::ObjectRef> crds;     ///< deleted only with purge
  size_t custom_resources = 0;           ///< objects of those CRDs still in the cluster
  bool last_revision = false;
  bool keep_namespace = false;  ///< it holds Secrets we did not make (e.g. cacerts)
  std::vector<std::string> warnings;
};

/// Finds everything to delete and what to warn about.
Result<UninstallPlan> plan_uninstall(kube::Client& client, kube::Discovery& discovery,
                                     const UninstallRequest& request);

/// Deletes in order and waits until it is gone; a kept namespace loses our labels.
Status run_uninstall(kube::Client& client, kube::Discovery& discovery, const UninstallPlan& plan,
                     const UninstallRequest& request, std::chrono::milliseconds timeout);

}  // namespace kmesh::mesh
