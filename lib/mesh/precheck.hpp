#pragma once
// Checks before an install writes anything: the server's Kubernetes version is one this
// Istio release supports, and the user may do everything the plan needs
// (SelfSubjectAccessReview for each resource and verb).

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"

namespace kmesh::mesh {

/// One permission the plan needs.
struct Permission {
  std::string group, resource, verb, ns;
  std::string describe() const;  ///< "create clusterroles.rbac.authorization.k8s.io (cluster-wide)"
};

/// Parses "v1.34.4" or "v1.34.4+k3s1" into {1, 34}; nothing when it cannot.
std::optional<std::pair<int, int>> parse_server_version(const std::string& git_version);

/// Whether major.minor lies within [min, max] ("1.30".."1.35").
bool version_in_range(std::pair<int, int> version, const std::string& min, const std::string& max);

/// Checks the server version against the supported range.
Status check_server_version(kube::Client& client);

/// Asks the server, in parallel, whether the user may do each; returns the ones denied.
Result<std::vector<Permission>> denied_permissions(kube::Client& client,
                                                   const std::vector<Permission>& wanted);

}  // namespace kmesh::mesh
