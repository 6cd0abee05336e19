#pragma once
// Versions: this client's, and the Istio installs a cluster holds.

#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// The namespace Istio is installed into.
inline constexpr const char* kIstioNamespace = "istio-system";

/// The commit the binary was built from (generated from cmake/git_commit.cpp.in).
const char* git_commit();

/// {version, gitCommit, istioVersion, kubernetes: {min, max}}
Json client_version();

/// The {revision, version} of each istiod Deployment (label app=istiod) among `deployments`:
/// the version from our version label, else the image tag.
Json istiod_versions(const std::vector<Json>& deployments);

/// One entry per istiod revision found: {revision, version}. Empty when Istio is absent.
Result<Json> installed_versions(kube::Client& client);

}  // namespace kmesh::mesh
