#pragma once
// Credentials for requests: static ones from the kubeconfig, or those an exec plugin
// prints (client.authentication.k8s.io ExecCredential), kept until they expire and
// fetched again after a 401. Credential text never appears in messages or logs.

#include <functional>
#include <optional>
#include <string>

#include "lib/core/process.hpp"
#include "lib/core/result.hpp"
#include "lib/core/time.hpp"
#include "lib/kube/kubeconfig.hpp"

namespace kmesh::kube {

/// What authenticates one request.
struct Credential {
  std::string token;
  std::string client_cert_pem, client_key_pem;
  std::optional<SystemTime> expiry;
};

/// Parses a plugin's output. Errors describe the problem without quoting the output.
Result<Credential> parse_exec_credential(const std::string& output, const ExecConfig& exec);

/// The KUBERNETES_EXEC_INFO value handed to a plugin.
std::string exec_info(const ExecConfig& exec, const RestConfig& rc, bool interactive);

/// Seams for the exec provider: how to run a program, what time it is, whether stdin is
/// a terminal.
struct ExecSeams {
  std::function<Result<ProcessResult>(const ProcessSpec&)> run = run_process;
  std::function<SystemTime()> now = [] { return std::chrono::system_clock::now(); };
  std::function<bool()> stdin_is_terminal;
};

/// Hands out the credential of a RestConfig, running its exec plugin when it has one.
class CredentialProvider {
 public:
  CredentialProvider(RestConfig config, std::chrono::milliseconds plugin_timeout,
                     ExecSeams seams = {});
  /// The current credential; runs the plugin when there is none or it expired, or when
  /// `refresh` asks (after a 401).
  Result<Credential> get(bool refresh = false);
  /// Whether a refresh can produce a different credential.
  bool refreshable() const { return config_.exec.has_value(); }
  /// How many times the plugin ran (for tests).
  int plugin_runs() const { return runs_; }

 private:
  Result<Credential> run_plugin();

  RestConfig config_;
  std::chrono::milliseconds timeout_;
  ExecSeams seams_;
  std::optional<Credential> cached_;
  int runs_ = 0;
};

}  // namespace kmesh::kube
