#pragma once
// The HTTP transport on libcurl: HTTP/2 when the server offers it, one multiplexed
// connection reused across batches, many requests in flight, per-request timeouts and
// retries as retry_policy.hpp decides.

#include <chrono>
#include <memory>
#include <string>

#include "lib/kube/http.hpp"

namespace kmesh::kube {

/// TLS material for the connection, PEM text (never file names: kubeconfig data and
/// files are read once, up front, so a bad file is a clear error before any request).
struct TlsSettings {
  std::string ca_pem;  ///< empty: the system's trust store
  bool insecure_skip_verify = false;
  std::string client_cert_pem;  ///< empty: no client certificate
  std::string client_key_pem;
  std::string server_name;  ///< verify and send SNI for this name instead of the URL's host
};

/// Where and how to connect.
struct TransportSettings {
  std::string server;  ///< https://host:port, optionally with a path prefix
  TlsSettings tls;
  std::string proxy;  ///< proxy URL, empty for a direct connection
  std::chrono::milliseconds timeout{30000};
  int max_in_flight = 32;
};

/// Builds the libcurl transport.
std::unique_ptr<HttpTransport> make_curl_transport(TransportSettings settings);

}  // namespace kmesh::kube
