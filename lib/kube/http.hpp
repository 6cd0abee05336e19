#pragma once
// HTTP requests and responses as the cluster client sees them, and the transport seam
// that sends a batch of them. The real transport is libcurl (curl_transport.hpp); tests of
// pure logic build responses by hand.

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace kmesh::kube {

/// One HTTP request to the API server.
struct HttpRequest {
  std::string method = "GET";
  std::string path;  ///< path and query, starting with "/"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Safe to send twice: GET, server-side apply, PUT with a resourceVersion, DELETE.
  bool idempotent = true;
};

/// Why no HTTP response arrived.
enum class TransportFailure {
  kNone,
  kConnect,      ///< refused or unreachable: nothing reached the server
  kReset,        ///< the connection broke after the request may have been sent
  kTimeout,      ///< --request-timeout passed
  kTls,          ///< certificate verification or handshake failed
  kCredentials,  ///< no request was sent: getting credentials failed
  kInterrupted,  ///< not sent: SIGINT or SIGTERM arrived first
  kOther,
};

/// What came back, or why nothing did.
struct HttpResponse {
  long status = 0;  ///< 0 when no HTTP response arrived
  std::string body;
  std::string content_type;
  std::string retry_after;            ///< Retry-After header, if any
  std::vector<std::string> warnings;  ///< Warning headers (deprecations and the like)
  std::string transport_error;        ///< why no response came, in words
  TransportFailure failure = TransportFailure::kNone;
  int attempts = 1;
  std::chrono::milliseconds elapsed{0};

  bool ok() const { return status >= 200 && status < 300; }
};

/// Sends a batch of requests, in parallel, retrying as retry_policy.hpp says.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Responses in the order of the requests.
  virtual std::vector<HttpResponse> perform(const std::vector<HttpRequest>& requests) = 0;
};

}  // namespace kmesh::kube
