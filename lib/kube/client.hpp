#pragma once
// The cluster client: a RestConfig, its credentials and a transport. Sends batches of
// requests in parallel, adds authentication, fetches an exec credential again after a
// 401, and turns failures into errors that name the object.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/credentials.hpp"
#include "lib/kube/curl_transport.hpp"
#include "lib/kube/http.hpp"
#include "lib/kube/kubeconfig.hpp"
#include "lib/kube/status.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {

/// How the client behaves, and its seams.
struct ClientOptions {
  std::chrono::milliseconds request_timeout{30000};
  int max_in_flight = 32;
  std::function<std::unique_ptr<HttpTransport>(TransportSettings)> make_transport =
      make_curl_transport;
  ExecSeams exec;
  Environment env = Environment::process();
};

/// The proxy for a server URL: the kubeconfig's proxy-url, else HTTPS_PROXY/HTTP_PROXY
/// unless NO_PROXY matches; loopback addresses are never proxied (as in Go's net/http).
std::string choose_proxy(const RestConfig& config, const Environment& env);

class Client {
 public:
  /// A client for the config; checks credentials' shape, sends nothing yet.
  static Result<std::unique_ptr<Client>> connect(RestConfig config, ClientOptions options = {});

  /// Sends all requests in parallel; responses in request order.
  std::vector<HttpResponse> send(std::vector<HttpRequest> requests);
  HttpResponse send(HttpRequest request);

  /// GET a path and parse the JSON; errors name `what`.
  Result<Json> get_json(const std::string& path, const std::string& what);

  /// The error for a failed response about `what`.
  Error error(const HttpResponse& response, const std::string& what) const;
  std::string describe(const HttpResponse& response, const std::string& what) const;

  const RestConfig& config() const { return config_; }
  /// The namespace commands default to (-n, else the context's, else "default").
  const std::string& default_namespace() const { return config_.namespace_; }

 private:
  Client(RestConfig config, ClientOptions options);
  Status ensure_transport(bool refresh_credentials);

  RestConfig config_;
  ClientOptions options_;
  CredentialProvider credentials_;
  std::unique_ptr<HttpTransport> transport_;
  std::string bearer_;
  std::string transport_cert_;             ///< client certificate the transport was built with
  std::optional<Error> credential_error_;  ///< why the last credential fetch failed
};

/// Percent-encodes a path segment or query value.
std::string url_escape(const std::string& text);

}  // namespace kmesh::kube
