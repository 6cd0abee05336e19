#include "lib/kube/credentials.hpp"

#include <unistd.h>

#include "lib/core/base64.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {
namespace {

std::string plugin_name(const ExecConfig& exec) { return "exec plugin \"" + exec.command + "\""; }

}  // namespace

Result<Credential> parse_exec_credential(const std::string& output, const ExecConfig& exec) {
  std::string what = plugin_name(exec);
  Json j = Json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return usage_error(what + " printed something that is not an ExecCredential (not JSON)");
  if (j.value("kind", "") != "ExecCredential")
    return usage_error(what + " printed kind \"" + j.value("kind", "") + "\", expected ExecCredential");
  if (j.value("apiVersion", "") != exec.api_version)
    return usage_error(what + " printed apiVersion \"" + j.value("apiVersion", "") +
                       "\", but the kubeconfig asks for " + exec.api_version);
  if (!j.contains("status") || !j["status"].is_object())
    return usage_error(what + " printed an ExecCredential without status");
  const Json& st = j["status"];
  Credential c;
  c.token = st.value("token", "");
  c.client_cert_pem = st.value("clientCertificateData", "");
  c.client_key_pem = st.value("clientKeyData", "");
  if (c.client_cert_pem.empty() != c.client_key_pem.empty())
    return usage_error(what + " printed a client certificate without its key, or the reverse");
  if (c.token.empty() && c.client_cert_pem.empty())
    return usage_error(what + " printed an ExecCredential with neither a token nor a client certificate");
  if (auto ts = st.value("expirationTimestamp", ""); !ts.empty()) {
    c.expiry = parse_rfc3339(ts);
    if (!c.expiry)
      return usage_error(what + " printed expirationTimestamp \"" + ts + "\", which is not RFC 3339");
  }
  return c;
}

std::string exec_info(const ExecConfig& exec, const RestConfig& rc, bool interactive) {
  Json spec = {{"interactive", interactive}};
  if (exec.provide_cluster_info) {
    Json cluster = {{"server", rc.server}};
    if (!rc.ca_pem.empty()) cluster["certificate-authority-data"] = base64_encode(rc.ca_pem);
    if (!rc.tls_server_name.empty()) cluster["tls-server-name"] = rc.tls_server_name;
    if (rc.insecure_skip_tls_verify) cluster["insecure-skip-tls-verify"] = true;
    if (!rc.proxy_url.empty()) cluster["proxy-url"] = rc.proxy_url;
    spec["cluster"] = cluster;
  }
  return Json{{"apiVersion", exec.api_version}, {"kind", "ExecCredential"}, {"spec", spec}}.dump();
}

CredentialProvider::CredentialProvider(RestConfig config, std::chrono::milliseconds plugin_timeout,
                                       ExecSeams seams)
    : config_(std::move(config)), timeout_(plugin_timeout), seams_(std::move(seams)) {
  if (!seams_.stdin_is_terminal) seams_.stdin_is_terminal = [] { return ::isatty(STDIN_FILENO) == 1; };
  if (!config_.exec) {
    cached_ = Credential{config_.token, config_.client_cert_pem, config_.client_key_pem, std::nullopt};
  }
}

Result<Credential> CredentialProvider::get(bool refresh) {
  if (!config_.exec) return *cached_;
  bool expired = cached_ && cached_->expiry && *cached_->expiry <= seams_.now();
  if (!cached_ || expired || refresh) {
    KMESH_ASSIGN_OR_RETURN(auto fresh, run_plugin());
    cached_ = std::move(fresh);
  }
  return *cached_;
}

Result<Credential> CredentialProvider::run_plugin() {
  const ExecConfig& exec = *config_.exec;
  std::string what = plugin_name(exec) + " (kubeconfig user \"" + config_.user_name + "\")";
  bool terminal = seams_.stdin_is_terminal();
  if (exec.interactive_mode == "Always" && !terminal)
    return usage_error(what + " needs a terminal (interactiveMode: Always) and stdin is not one");
  bool interactive = terminal && exec.interactive_mode != "Never";

  ProcessSpec spec;
  spec.argv.push_back(exec.command);
  spec.argv.insert(spec.argv.end(), exec.args.begin(), exec.args.end());
  spec.env = current_environment();
  for (const auto& [name, value] : exec.env) spec.env.push_back(name + "=" + value);
  spec.env.push_back("KUBERNETES_EXEC_INFO=" + exec_info(exec, config_, interactive));
  spec.inherit_stdin = interactive;
  spec.timeout = timeout_;
  ++runs_;
  auto ran = seams_.run(spec);
  if (!ran.ok()) {
    std::string hint = exec.install_hint.empty() ? "" : "\n" + exec.install_hint;
    return usage_error(what + ": " + ran.error().message + hint);
  }
  if (ran->timed_out)
    return cluster_error(what + " did not finish within " + format_duration(timeout_));
  if (ran->exit_code != 0)
    return cluster_error(what + " failed with exit code " + std::to_string(ran->exit_code));
  auto cred = parse_exec_credential(ran->out, exec);
  if (!cred.ok()) return std::move(cred).error().wrap("kubeconfig user \"" + config_.user_name + "\"");
  return cred;
}

}  // namespace kmesh::kube
