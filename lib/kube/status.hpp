#pragma once
// Turning failed responses into one line a user can act on: the object, what the server
// said, and the reason, from the Kubernetes Status object when there is one.

#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/http.hpp"

namespace kmesh::kube {

/// The fields of a metav1.Status that messages use.
struct ApiStatus {
  long code = 0;
  std::string reason;  ///< NotFound, Forbidden, Conflict, Invalid, AlreadyExists ...
  std::string message;
  struct Cause {
    std::string type, message, field;
  };
  std::vector<Cause> causes;
};

/// Decodes a Status body; nothing when the body is not one.
std::optional<ApiStatus> decode_status(const std::string& body);

/// What the connection was, for transport errors: server address and kubeconfig cluster.
struct Endpoint {
  std::string server;
  std::string cluster;
  std::string user;
};

/// One line describing why `what` failed ("applying configmap/x in default").
std::string describe_failure(const HttpResponse& response, const std::string& what,
                             const Endpoint& endpoint);

/// The error for a failed response: kind kCluster, message from describe_failure.
Error response_error(const HttpResponse& response, const std::string& what,
                     const Endpoint& endpoint);

}  // namespace kmesh::kube
