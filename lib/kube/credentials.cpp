#include "lib/kube/credentials.hpp"

#include <unistd.h>

#include "lib/core/base64.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {
namespace {

std::string plugin_name(const ExecConfig& exec) {
  return "exec plugin \"" + exec.command + "\"";
}

// The text at key: "" when absent or null, nothing when it holds something else (a plugin's
// output is not trusted to have the right types; Json::value would throw).
std::optional<std::string> text_at(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The environment for a plugin: ours, with the kubeconfig's variables replacing ours of the
// same name (the child's getenv would see only the first of two).
std::vector<std::string> plugin_environment(std::vector<std::pair<std::string, std::string>> set) {
  std::vector<std::string> env;
  for (auto& entry : current_environment()) {
    std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& [n, _] : set)
      replaced |= n == name;
    if (!replaced) env.push_back(std::move(entry));
  }
  for (const auto& [name, value] : set)
    env.push_back(name + "=" + value);
  return env;
}

}  // namespace

Result<Credential> parse_exec_credential(const std::string& output, const ExecConfig& exec) {
  std::string what = plugin_name(exec);
  Json j = Json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return usage_error(what + " printed something that is not an ExecCredential (not JSON)");
  std::string kind = text_at(j, "kind").value_or("");
  std::string api_version = text_at(j, "apiVersion").value_or("");
  if (kind != "ExecCredential")
    return usage_error(what + " printed kind \"" + kind + "\", expected ExecCredential");
  if (api_version != exec.api_version)
    return usage_error(what + " printed apiVersion \"" + api_version +
                       "\", but the kubeconfig asks for " + exec.api_version);
  if (!j.contains("status") || !j["status"].is_object())
    return usage_error(what + " printed an ExecCredential without status");
  const Json& st = j["status"];
  Credential c;
  std::string expiry;
  const std::pair<const char*, std::string*> fields[] = {
      {"token", &c.token},
      {"clientCertificateData", &c.client_cert_pem},
      {"clientKeyData", &c.client_key_pem},
      {"expirationTimestamp", &expiry}};
  for (const auto& [key, field] : fields) {
    auto text = text_at(st, key);
    if (!text)
      return usage_error(what + " printed an ExecCredential whose status." + key +
                         " is not a string");
    *field = std::move(*text);
  }
  if (c.client_cert_pem.empty() != c.client_key_pem.empty())
    return usage_error(what + " printed a client certificate without its key, or the reverse");
  if (c.token.empty() && c.client_cert_pem.empty())
    return usage_error(what +
                       " printed an ExecCredential with neither a token nor a client certificate");
  if (!expiry.empty()) {
    c.expiry = parse_rfc3339(expiry);
    if (!c.expiry)
      return usage_error(what + " printed expirationTimestamp \"" + expiry +
                         "\", which is not RFC 3339");
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
  if (!seams_.stdin_is_terminal)
    seams_.stdin_is_terminal = [] { return ::isatty(STDIN_FILENO) == 1; };
  if (!config_.exec) {
    cached_ =
        Credential{config_.token, config_.client_cert_pem, config_.client_key_pem, std::nullopt};
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
  auto vars = exec.env;
  vars.emplace_back("KUBERNETES_EXEC_INFO", exec_info(exec, config_, interactive));
  spec.env = plugin_environment(std::move(vars));
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
  if (!cred.ok())
    return std::move(cred).error().wrap("kubeconfig user \"" + config_.user_name + "\"");
  return cred;
}

}  // namespace kmesh::kube
