#pragma once
// Kubeconfig files as kubectl reads them, and the connection settings they resolve to.
//
// Precedence (client-go's): --kubeconfig names the only file, which must exist;
// otherwise every file in KUBECONFIG (colon-separated, missing ones skipped) is merged,
// the first file to define a cluster, user or context name winning, and the first
// current-context winning; otherwise ~/.kube/config; otherwise, inside a Pod, the
// service account's token and CA. Relative paths are relative to the file naming them.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"

namespace kmesh::kube {

/// The process environment, as a seam: tests pass their own.
struct Environment {
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  /// The real process environment.
  static Environment process();
};

/// users[].user.exec: a credential plugin.
struct ExecConfig {
  std::string api_version;
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  bool provide_cluster_info = false;
  std::string interactive_mode;  ///< Never, IfAvailable (default) or Always
};

struct ClusterEntry {
  std::string server;
  std::string ca_file, ca_data;  ///< data already base64-decoded
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
  std::string source;  ///< file it came from
};

struct UserEntry {
  std::string client_cert_file, client_cert_data;
  std::string client_key_file, client_key_data;
  std::string token, token_file;
  std::optional<ExecConfig> exec;
  std::string unsupported;  ///< e.g. "auth-provider", reported when this user is chosen
  std::string source;
};

struct ContextEntry {
  std::string cluster, user, namespace_;
};

/// Several kubeconfig files merged.
struct KubeConfig {
  std::map<std::string, ClusterEntry> clusters;
  std::map<std::string, UserEntry> users;
  std::map<std::string, ContextEntry> contexts;
  std::string current_context;
  std::vector<std::string> files;  ///< the files read, in precedence order
};

/// The --kubeconfig, --context, --cluster, --user and --namespace flags.
struct Overrides {
  std::string kubeconfig;
  std::string context;
  std::string cluster;
  std::string user;
  std::string namespace_;
};

/// Everything needed to reach and authenticate to one API server, files already read.
struct RestConfig {
  std::string server;
  std::string context_name, cluster_name, user_name;
  std::string namespace_;            ///< effective default namespace
  bool namespace_from_flag = false;  ///< set by -n, so objects may not name another
  std::string ca_pem;
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
  std::string client_cert_pem, client_key_pem;
  std::string token;
  std::optional<ExecConfig> exec;
  bool in_cluster = false;
};

/// Parses one kubeconfig file's text (for tests and for load_kubeconfig).
Result<KubeConfig> parse_kubeconfig(const std::string& text, const std::string& path);

/// Reads and merges the kubeconfig files that apply.
Result<KubeConfig> load_kubeconfig(const Overrides& overrides, const Environment& env);

/// Picks the context and reads every file it names. Errors name the kubeconfig entry.
Result<RestConfig> resolve_rest_config(const KubeConfig& config, const Overrides& overrides,
                                       const Environment& env);

/// load_kubeconfig then resolve_rest_config, falling back to in-cluster settings.
Result<RestConfig> load_rest_config(const Overrides& overrides, const Environment& env);

}  // namespace kmesh::kube
