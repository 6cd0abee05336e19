// libFuzzer target for the decoder of the API server's error answers (lib/kube/status):
// whatever a server or a proxy on the way sends back, the user gets one line and no crash.
// Built by KMESH_FUZZ (see tests/fuzz/CMakeLists.txt); seeds in tests/fuzz/corpus/status_decode.
//
// The first byte picks the HTTP status (0 means no response, which exercises the transport
// messages); the rest is the body, or the transport error text.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "lib/kube/status.hpp"

using namespace kmesh::kube;

namespace {

constexpr long kStatuses[] = {0, 400, 401, 403, 404, 409, 422, 429, 500, 503, 504, 302};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  HttpResponse r;
  r.status = kStatuses[data[0] % std::size(kStatuses)];
  r.failure = static_cast<TransportFailure>(data[0] / std::size(kStatuses) % 8);
  std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  r.body = rest;
  r.transport_error = rest.empty() ? "no details" : rest;  // the transport always says why

  auto st = decode_status(r.body);
  if (st && st->causes.size() > r.body.size()) std::abort();  // each cause needs some text
  Endpoint ep{"https://127.0.0.1:6443", "local", "admin"};
  std::string line = describe_failure(r, "applying configmap/x in default", ep);
  if (line.rfind("applying configmap/x in default: ", 0) != 0) std::abort();
  // A body that is not a Status is cut to 200 bytes: an HTML error page stays one short line.
  if (r.status != 0 && !st && line.size() > 200 + 100) std::abort();
  kmesh::Error e = response_error(r, "", ep);
  if (e.kind != kmesh::ErrorKind::kCluster || e.message.empty()) std::abort();
  return 0;
}
