#include "lib/kube/kubeconfig.hpp"

#include <sys/stat.h>

#include <cstdlib>

#include "lib/core/base64.hpp"
#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kube {
namespace {

// Kubeconfigs and the certificates, keys and tokens they name are small; a cap keeps a path
// such as /dev/zero from exhausting memory (found by tests/badinput).
constexpr size_t kMaxFileBytes = 16u << 20;

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

std::string resolve_path(const std::string& path, const std::string& source) {
  if (path.empty() || path[0] == '/' || source.empty()) return path;
  if (path[0] == '~' && path.size() > 1 && path[1] == '/') {
    const char* home = std::getenv("HOME");
    return std::string(home ? home : "") + path.substr(1);
  }
  return dir_of(source) + "/" + path;
}

std::string str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

// A boolean field; Json::value would throw on "true" written as a string.
Result<bool> flag(const Json& obj, const std::string& key, const std::string& what,
                  const std::string& prefix = "") {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return false;
  if (!it->is_boolean()) return usage_error(what + ": " + prefix + key + " must be true or false");
  return it->get<bool>();
}

Result<std::string> decoded(const Json& obj, const char* key, const std::string& what) {
  std::string text = str(obj, key);
  if (text.empty()) return std::string();
  auto bytes = base64_decode(text);
  if (!bytes) return usage_error(what + ": " + key + " is not valid base64");
  return *bytes;
}

Result<ExecConfig> parse_exec(const Json& e, const std::string& what) {
  ExecConfig exec;
  exec.api_version = str(e, "apiVersion");
  exec.command = str(e, "command");
  if (exec.command.empty()) return usage_error(what + ": exec.command is empty");
  if (exec.api_version != "client.authentication.k8s.io/v1" &&
      exec.api_version != "client.authentication.k8s.io/v1beta1")
    return usage_error(what + ": exec.apiVersion \"" + exec.api_version +
                       "\" is not supported; use client.authentication.k8s.io/v1 or v1beta1");
  if (auto args = e.find("args"); args != e.end() && args->is_array())
    for (const auto& a : *args)
      exec.args.push_back(a.is_string() ? a.get<std::string>() : a.dump());
  if (auto env = e.find("env"); env != e.end() && env->is_array())
    for (const auto& kv : *env)
      exec.env.emplace_back(str(kv, "name"), str(kv, "value"));
  exec.install_hint = str(e, "installHint");
  KMESH_ASSIGN_OR_RETURN(exec.provide_cluster_info, flag(e, "provideClusterInfo", what, "exec."));
  exec.interactive_mode = str(e, "interactiveMode");
  if (exec.interactive_mode.empty())
    exec.interactive_mode = exec.api_version.ends_with("/v1") ? "" : "IfAvailable";
  if (exec.api_version.ends_with("/v1") && exec.interactive_mode.empty())
    return usage_error(what +
                       ": exec.interactiveMode is required in client.authentication.k8s.io/v1"
                       " (Never, IfAvailable or Always)");
  if (exec.interactive_mode != "Never" && exec.interactive_mode != "IfAvailable" &&
      exec.interactive_mode != "Always")
    return usage_error(what + ": exec.interactiveMode \"" + exec.interactive_mode +
                       "\" must be Never, IfAvailable or Always");
  return exec;
}

Status parse_clusters(const Json& list, const std::string& path, KubeConfig& out) {
  for (const auto& item : list) {
    std::string name = str(item, "name");
    std::string what = "kubeconfig " + path + ": cluster \"" + name + "\"";
    const Json& c =
        item.contains("cluster") && item["cluster"].is_object() ? item["cluster"] : Json::object();
    ClusterEntry entry;
    entry.server = str(c, "server");
    entry.ca_file = resolve_path(str(c, "certificate-authority"), path);
    KMESH_ASSIGN_OR_RETURN(entry.ca_data, decoded(c, "certificate-authority-data", what));
    KMESH_ASSIGN_OR_RETURN(entry.insecure_skip_tls_verify,
                           flag(c, "insecure-skip-tls-verify", what));
    entry.tls_server_name = str(c, "tls-server-name");
    entry.proxy_url = str(c, "proxy-url");
    entry.source = path;
    out.clusters.emplace(name, std::move(entry));  // the first file to name it wins
  }
  return {};
}

Status parse_users(const Json& list, const std::string& path, KubeConfig& out) {
  for (const auto& item : list) {
    std::string name = str(item, "name");
    std::string what = "kubeconfig " + path + ": user \"" + name + "\"";
    const Json& u =
        item.contains("user") && item["user"].is_object() ? item["user"] : Json::object();
    UserEntry entry;
    entry.client_cert_file = resolve_path(str(u, "client-certificate"), path);
    KMESH_ASSIGN_OR_RETURN(entry.client_cert_data, decoded(u, "client-certificate-data", what));
    entry.client_key_file = resolve_path(str(u, "client-key"), path);
    KMESH_ASSIGN_OR_RETURN(entry.client_key_data, decoded(u, "client-key-data", what));
    entry.token = str(u, "token");
    entry.token_file = resolve_path(str(u, "tokenFile"), path);
    if (u.contains("exec") && u["exec"].is_object()) {
      KMESH_ASSIGN_OR_RETURN(entry.exec, parse_exec(u["exec"], what));
      // As client-go: a relative command with a slash ("./bin/plugin") is relative to the
      // kubeconfig; a bare name ("kubelogin") is looked up on PATH.
      std::string& command = entry.exec->command;
      if (command[0] != '/' && command.find('/') != std::string::npos)
        command = dir_of(path) + "/" + command;
    }
    if (u.contains("auth-provider"))
      entry.unsupported = "auth-provider";
    else if (u.contains("username") || u.contains("password"))
      entry.unsupported = "basic auth (username/password)";
    entry.source = path;
    out.users.emplace(name, std::move(entry));
  }
  return {};
}

void parse_contexts(const Json& list, KubeConfig& out) {
  for (const auto& item : list) {
    const Json& c =
        item.contains("context") && item["context"].is_object() ? item["context"] : Json::object();
    out.contexts.emplace(str(item, "name"),
                         ContextEntry{str(c, "cluster"), str(c, "user"), str(c, "namespace")});
  }
}

// Merges `next` under `into`: names already present keep their first definition.
void merge(KubeConfig& into, KubeConfig next) {
  into.clusters.merge(next.clusters);
  into.users.merge(next.users);
  into.contexts.merge(next.contexts);
  if (into.current_context.empty()) into.current_context = next.current_context;
  into.files.insert(into.files.end(), next.files.begin(), next.files.end());
}

Result<KubeConfig> read_one(const std::string& path) {
  auto file = read_file(path, kMaxFileBytes);
  if (!file.ok) return usage_error("kubeconfig " + path + ": " + file.error);
  return parse_kubeconfig(file.text, path);
}

Result<std::string> read_pem(const std::string& data, const std::string& file,
                             const std::string& what, const char* field) {
  if (!data.empty()) return data;
  if (file.empty()) return std::string();
  auto text = read_file(file, kMaxFileBytes);
  if (!text.ok) return usage_error(what + ": " + field + " " + file + ": " + text.error);
  return text.text;
}

Status check_pem(const std::string& pem, const std::string& what, const char* field,
                 const char* marker) {
  if (pem.empty() || pem.find(marker) != std::string::npos) return {};
  return usage_error(what + ": " + field + " is not PEM (no \"" + marker + "\" line)");
}

Result<RestConfig> in_cluster(const Environment& env, const std::string& namespace_flag) {
  auto host = env.getenv("KUBERNETES_SERVICE_HOST");
  auto port = env.getenv("KUBERNETES_SERVICE_PORT");
  const std::string& dir = env.service_account_dir;
  if (!host || !port || !file_exists(dir + "/token"))
    return usage_error(
        "no kubeconfig found (tried --kubeconfig, KUBECONFIG and ~/.kube/config) and not running"
        " in a Pod; point --kubeconfig at a cluster's kubeconfig");
  RestConfig rc;
  rc.in_cluster = true;
  std::string h = host->find(':') != std::string::npos ? "[" + *host + "]" : *host;
  rc.server = "https://" + h + ":" + *port;
  rc.context_name = rc.cluster_name = rc.user_name = "in-cluster";
  rc.token = std::string(trim(read_file(dir + "/token").text));
  rc.ca_pem = read_file(dir + "/ca.crt").text;
  rc.namespace_ = namespace_flag;
  rc.namespace_from_flag = !namespace_flag.empty();
  if (rc.namespace_.empty()) rc.namespace_ = std::string(trim(read_file(dir + "/namespace").text));
  if (rc.namespace_.empty()) rc.namespace_ = "default";
  return rc;
}

}  // namespace

Environment Environment::process() {
  return {[](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  }};
}

Result<KubeConfig> parse_kubeconfig(const std::string& text, const std::string& path) {
  KMESH_ASSIGN_OR_RETURN(auto doc, yaml::parse_single(text, path));
  KubeConfig cfg;
  cfg.files.push_back(path);
  if (doc.value.is_null()) return cfg;
  if (!doc.value.is_object()) return usage_error("kubeconfig " + path + ": not a YAML map");
  const Json& v = doc.value;
  for (const char* key : {"clusters", "users", "contexts"})
    if (v.contains(key) && !v[key].is_null() && !v[key].is_array())
      return usage_error("kubeconfig " + path + ": " + key + " must be a list");
  if (v.contains("clusters") && v["clusters"].is_array())
    KMESH_TRY(parse_clusters(v["clusters"], path, cfg));
  if (v.contains("users") && v["users"].is_array()) KMESH_TRY(parse_users(v["users"], path, cfg));
  if (v.contains("contexts") && v["contexts"].is_array()) parse_contexts(v["contexts"], cfg);
  cfg.current_context = str(v, "current-context");
  return cfg;
}

Result<KubeConfig> load_kubeconfig(const Overrides& overrides, const Environment& env) {
  if (!overrides.kubeconfig.empty()) return read_one(overrides.kubeconfig);
  KubeConfig merged;
  auto list = env.getenv("KUBECONFIG");
  if (list && !list->empty()) {
    for (const auto& path : split(*list, ':')) {
      if (path.empty() || !file_exists(path)) continue;
      KMESH_ASSIGN_OR_RETURN(auto one, read_one(path));
      merge(merged, std::move(one));
    }
    return merged;
  }
  auto home = env.getenv("HOME");
  std::string path = (home ? *home : std::string()) + "/.kube/config";
  if (file_exists(path)) return read_one(path);
  return merged;
}

Result<RestConfig> resolve_rest_config(const KubeConfig& config, const Overrides& overrides,
                                       const Environment& env) {
  (void)env;
  std::string files = config.files.empty() ? "kubeconfig" : "kubeconfig " + join(config.files, ":");
  std::string context_name = overrides.context.empty() ? config.current_context : overrides.context;
  ContextEntry ctx;
  if (!context_name.empty()) {
    auto it = config.contexts.find(context_name);
    if (it == config.contexts.end()) {
      std::vector<std::string> names;
      for (const auto& [n, _] : config.contexts)
        names.push_back(n);
      return usage_error(files + ": context \"" + context_name + "\" not found" +
                         (names.empty() ? "" : "; contexts: " + join(names, ", ")));
    }
    ctx = it->second;
  } else if (overrides.cluster.empty()) {
    return usage_error(files + ": no current-context is set; pass --context");
  }
  if (!overrides.cluster.empty()) ctx.cluster = overrides.cluster;
  if (!overrides.user.empty()) ctx.user = overrides.user;

  RestConfig rc;
  rc.context_name = context_name;
  rc.cluster_name = ctx.cluster;
  rc.user_name = ctx.user;
  rc.namespace_ = overrides.namespace_.empty() ? ctx.namespace_ : overrides.namespace_;
  rc.namespace_from_flag = !overrides.namespace_.empty();
  if (rc.namespace_.empty()) rc.namespace_ = "default";

  auto cl = config.clusters.find(ctx.cluster);
  if (cl == config.clusters.end())
    return usage_error(files + ": cluster \"" + ctx.cluster + "\" (of context \"" + context_name +
                       "\") not found");
  const ClusterEntry& c = cl->second;
  std::string cwhat = "kubeconfig " + c.source + ": cluster \"" + ctx.cluster + "\"";
  if (c.server.empty()) return usage_error(cwhat + ": server is empty");
  if (!starts_with(c.server, "https://") && !starts_with(c.server, "http://"))
    return usage_error(cwhat + ": server \"" + c.server + "\" must start with https://");
  rc.server = c.server;
  rc.insecure_skip_tls_verify = c.insecure_skip_tls_verify;
  rc.tls_server_name = c.tls_server_name;
  rc.proxy_url = c.proxy_url;
  KMESH_ASSIGN_OR_RETURN(rc.ca_pem, read_pem(c.ca_data, c.ca_file, cwhat, "certificate-authority"));
  KMESH_TRY(check_pem(rc.ca_pem, cwhat, "certificate-authority", "-----BEGIN CERTIFICATE-----"));
  if (rc.insecure_skip_tls_verify && !rc.ca_pem.empty())
    return usage_error(cwhat +
                       ": sets both insecure-skip-tls-verify and a certificate-authority;"
                       " remove one");

  if (ctx.user.empty()) return rc;  // anonymous
  auto us = config.users.find(ctx.user);
  if (us == config.users.end())
    return usage_error(files + ": user \"" + ctx.user + "\" (of context \"" + context_name +
                       "\") not found");
  const UserEntry& u = us->second;
  std::string uwhat = "kubeconfig " + u.source + ": user \"" + ctx.user + "\"";
  if (!u.unsupported.empty())
    return usage_error(uwhat + ": " + u.unsupported +
                       " is not supported; use a client certificate, a token or an exec plugin");
  KMESH_ASSIGN_OR_RETURN(rc.client_cert_pem, read_pem(u.client_cert_data, u.client_cert_file, uwhat,
                                                      "client-certificate"));
  KMESH_ASSIGN_OR_RETURN(rc.client_key_pem,
                         read_pem(u.client_key_data, u.client_key_file, uwhat, "client-key"));
  KMESH_TRY(
      check_pem(rc.client_cert_pem, uwhat, "client-certificate", "-----BEGIN CERTIFICATE-----"));
  KMESH_TRY(check_pem(rc.client_key_pem, uwhat, "client-key", "PRIVATE KEY-----"));
  if (rc.client_cert_pem.empty() != rc.client_key_pem.empty())
    return usage_error(uwhat +
                       ": has a client certificate without its key, or a key without"
                       " its certificate");
  rc.token = u.token;
  if (rc.token.empty() && !u.token_file.empty()) {
    auto t = read_file(u.token_file, kMaxFileBytes);
    if (!t.ok) return usage_error(uwhat + ": tokenFile " + u.token_file + ": " + t.error);
    rc.token = std::string(trim(t.text));
  }
  // As client-go: a token or certificate in the kubeconfig is used, and the plugin never runs.
  if (rc.token.empty() && rc.client_cert_pem.empty()) rc.exec = u.exec;
  return rc;
}

Result<RestConfig> load_rest_config(const Overrides& overrides, const Environment& env) {
  KMESH_ASSIGN_OR_RETURN(auto config, load_kubeconfig(overrides, env));
  if (config.files.empty()) return in_cluster(env, overrides.namespace_);
  return resolve_rest_config(config, overrides, env);
}

}  // namespace kmesh::kube
