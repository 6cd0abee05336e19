#include "lib/kube/client.hpp"

#include <algorithm>

#include "lib/core/log.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/cert_check.hpp"

namespace kmesh::kube {
namespace {

std::string host_of(const std::string& url) {
  std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest[0] == '[') return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.rfind(':') == std::string::npos ? rest.size() : rest.rfind(':'));
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || starts_with(host, "127.") || host == "::1";
}

bool no_proxy_matches(const std::string& host, const std::string& list) {
  for (auto entry : split(list, ',')) {
    std::string e(trim(entry));
    if (e.empty()) continue;
    if (e == "*") return true;
    if (e.find('/') != std::string::npos) continue;  // CIDR entries: not matched here
    if (e[0] == '.') e = e.substr(1);
    if (host == e || ends_with(host, "." + e)) return true;
  }
  return false;
}

}  // namespace

std::string choose_proxy(const RestConfig& config, const Environment& env) {
  if (!config.proxy_url.empty()) return config.proxy_url;
  std::string host = host_of(config.server);
  if (is_loopback(host)) return "";
  bool https = starts_with(config.server, "https://");
  std::optional<std::string> proxy;
  for (const char* name : https ? std::vector<const char*>{"HTTPS_PROXY", "https_proxy"}
                                : std::vector<const char*>{"HTTP_PROXY", "http_proxy"})
    if (!proxy || proxy->empty()) proxy = env.getenv(name);
  if (!proxy || proxy->empty()) return "";
  for (const char* name : {"NO_PROXY", "no_proxy"})
    if (auto list = env.getenv(name); list && no_proxy_matches(host, *list)) return "";
  return *proxy;
}

std::string url_escape(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Client::Client(RestConfig config, ClientOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      credentials_(config_, options_.request_timeout, options_.exec) {}

Result<std::unique_ptr<Client>> Client::connect(RestConfig config, ClientOptions options) {
  if (config.insecure_skip_tls_verify)
    log::warn("kubeconfig cluster \"" + config.cluster_name +
              "\" sets insecure-skip-tls-verify: the server's certificate is not checked");
  // A kubeconfig's certificate is checked before connecting; a plugin's when it hands one out.
  KMESH_TRY(check_client_certificate(config.client_cert_pem, config.client_key_pem,
                                     config.user_name, options.exec.now()));
  return std::unique_ptr<Client>(new Client(std::move(config), std::move(options)));
}

Status Client::ensure_transport(bool refresh_credentials) {
  if (transport_ && !refresh_credentials) {
    // An exec credential may expire while we run; get() renews it when it has.
    if (!credentials_.refreshable()) return {};
  }
  KMESH_ASSIGN_OR_RETURN(auto cred, credentials_.get(refresh_credentials));
  bearer_ = cred.token;
  if (transport_ && cred.client_cert_pem == transport_cert_) return {};
  if (credentials_.refreshable())
    KMESH_TRY(check_client_certificate(cred.client_cert_pem, cred.client_key_pem, config_.user_name,
                                       options_.exec.now()));
  TransportSettings settings;
  settings.server = config_.server;
  settings.tls.ca_pem = config_.ca_pem;
  settings.tls.insecure_skip_verify = config_.insecure_skip_tls_verify;
  settings.tls.server_name = config_.tls_server_name;
  settings.tls.client_cert_pem = cred.client_cert_pem;
  settings.tls.client_key_pem = cred.client_key_pem;
  settings.proxy = choose_proxy(config_, options_.env);
  settings.timeout = options_.request_timeout;
  settings.max_in_flight = options_.max_in_flight;
  transport_ = options_.make_transport(std::move(settings));
  transport_cert_ = cred.client_cert_pem;
  return {};
}

std::vector<HttpResponse> Client::send(std::vector<HttpRequest> requests) {
  auto prepare = [&](std::vector<HttpRequest>& reqs) {
    for (auto& r : reqs) {
      r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(),
                                     [](const auto& h) { return h.first == "Authorization"; }),
                      r.headers.end());
      if (!bearer_.empty()) r.headers.emplace_back("Authorization", "Bearer " + bearer_);
      bool has_accept = false;
      for (const auto& h : r.headers)
        has_accept |= h.first == "Accept";
      if (!has_accept) r.headers.emplace_back("Accept", "application/json");
      r.headers.emplace_back("User-Agent", "kubectl-mesh");
    }
  };
  auto failed_all = [&](const Error& e) {
    credential_error_ = e;
    HttpResponse r;
    r.failure = TransportFailure::kCredentials;
    r.transport_error = e.message;
    return std::vector<HttpResponse>(requests.size(), r);
  };
  if (auto st = ensure_transport(false); !st.ok()) return failed_all(st.error());
  prepare(requests);
  auto responses = transport_->perform(requests);
  if (!credentials_.refreshable()) return responses;
  // An exec credential the server no longer accepts: fetch a new one and resend the 401s.
  std::vector<size_t> unauthorized;
  for (size_t i = 0; i < responses.size(); ++i)
    if (responses[i].status == 401) unauthorized.push_back(i);
  if (unauthorized.empty()) return responses;
  if (auto st = ensure_transport(true); !st.ok()) return failed_all(st.error());
  std::vector<HttpRequest> again;
  for (size_t i : unauthorized)
    again.push_back(requests[i]);
  prepare(again);
  auto retried = transport_->perform(again);
  for (size_t k = 0; k < unauthorized.size(); ++k)
    responses[unauthorized[k]] = std::move(retried[k]);
  return responses;
}

HttpResponse Client::send(HttpRequest request) {
  std::vector<HttpRequest> one;
  one.push_back(std::move(request));
  return std::move(send(std::move(one)).front());
}

Result<Json> Client::get_json(const std::string& path, const std::string& what) {
  HttpRequest req;
  req.path = path;
  HttpResponse resp = send(std::move(req));
  if (!resp.ok()) return error(resp, what);
  Json j = Json::parse(resp.body, nullptr, false);
  if (j.is_discarded()) return cluster_error(what + ": the server's answer is not JSON");
  return j;
}

std::string Client::describe(const HttpResponse& response, const std::string& what) const {
  return describe_failure(response, what,
                          {config_.server, config_.cluster_name, config_.user_name});
}

Error Client::error(const HttpResponse& response, const std::string& what) const {
  if (response.failure == TransportFailure::kCredentials && credential_error_)
    return Error(*credential_error_);
  return cluster_error(describe(response, what));
}

}  // namespace kmesh::kube
