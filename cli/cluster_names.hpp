#pragma once
// Names for completion from the kubeconfig and the API server: one short, non-interactive
// request at most, and silence on every failure (the shell shows nothing rather than noise).

#include <chrono>

#include "cli/completion.hpp"
#include "lib/kube/client.hpp"

namespace kmesh::cli {

/// How long one completion request may take: a shell waits for it on every <TAB>.
inline constexpr std::chrono::milliseconds kCompletionRequestTimeout{2000};

/// The completion request timeout: kCompletionRequestTimeout, or the whole seconds (1 to
/// 60) in KUBECTL_MESH_COMPLETION_TIMEOUT, for slow links (and the sanitizer test build).
std::chrono::milliseconds completion_request_timeout();

class LiveClusterNames : public ClusterNames {
 public:
  /// `options` carries the seams (tests); its timeout and exec interactivity are overridden.
  LiveClusterNames(kube::Environment env, kube::ClientOptions options);

  std::vector<std::string> namespaces(const kube::Overrides& typed) override;
  std::vector<std::string> services(const kube::Overrides& typed) override;
  std::vector<std::string> kubeconfig_names(const kube::Overrides& typed,
                                            const std::string& kind) override;

 private:
  std::vector<std::string> list(const kube::Overrides& typed, bool services);

  kube::Environment env_;
  kube::ClientOptions options_;
};

}  // namespace kmesh::cli
