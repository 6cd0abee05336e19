// libFuzzer target for the parsers of policy flag values (lib/mesh/policy/durations)
// and --weights. Built by KMESH_FUZZ (see tests/fuzz/CMakeLists.txt); seeds in
// tests/fuzz/corpus/policy_values.
//
// Checks beyond "does not crash": an accepted duration is at least 1ms, accepted weights
// sum to 100, and every rejection is a usage error with a message.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "lib/mesh/policy/durations.hpp"
#include "lib/mesh/policy/edits.hpp"

using namespace kmesh;
using namespace kmesh::mesh::policy;

namespace {

template <typename T>
void check(const Result<T>& r) {
  if (!r.ok() && (r.error().kind != ErrorKind::kUsage || r.error().message.empty())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto d = parse_istio_duration(text);
  check(d);
  if (d.ok() && *d < kMinDuration) std::abort();
  check(parse_count("--n", text));
  auto p = parse_percent("--p", text);
  check(p);
  if (p.ok() && (*p < 0 || *p > 100)) std::abort();
  check(parse_http_status("--s", text));
  check(parse_retry_on("--r", text));
  auto w = parse_weights(text, ServiceRef{"reviews", "bookstore"});
  check(w);
  if (w.ok()) {
    int64_t sum = 0;
    for (const auto& e : *w)
      sum += e.weight;
    if (sum != 100) std::abort();
  }
  return 0;
}
