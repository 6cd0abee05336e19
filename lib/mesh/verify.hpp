#pragma once
// verify-install: the cluster compared with the install plan.

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/mesh/install_plan.hpp"

namespace kmesh::mesh {

/// One difference between plan and cluster.
struct Drift {
  std::string status;  ///< missing, drifted, extra
  std::string object;  ///< "deployment.apps/istiod in istio-system"
  std::string detail;  ///< which field, expected and found
};

/// The first field where `live` does not carry what `planned` says (planned fields only:
/// defaults the server adds are not drift; quantities compare by value), or "".
std::string first_difference(const Json& planned, const Json& live, const std::string& path = "");

/// Compares every planned object with the live one and lists objects with this
/// revision's labels that the plan does not have.
Result<std::vector<Drift>> verify_install(kube::Client& client, kube::Discovery& discovery,
                                          const InstallPlan& plan);

/// Reads what install recorded for a revision (profile and values) and rebuilds its plan.
Result<InstallPlan> installed_plan(kube::Client& client, const std::string& revision,
                                   const std::string& istio_namespace = "istio-system");

}  // namespace kmesh::mesh
