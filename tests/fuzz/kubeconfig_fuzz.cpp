// libFuzzer target for the kubeconfig loader (lib/kube/kubeconfig) reading a file's bytes,
// then choosing its context as every command does. Built by KMESH_FUZZ (see
// tests/fuzz/CMakeLists.txt); seeds in tests/fuzz/corpus/kubeconfig.
//
// Checks beyond "does not crash": every rejection is a usage error (exit 2) naming the
// kubeconfig, and an accepted configuration has an http(s) server.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "lib/kube/kubeconfig.hpp"

using namespace kmesh;
using namespace kmesh::kube;

namespace {

constexpr const char* kPath = "/nonexistent/fuzz.kubeconfig";

void check_error(const Error& e) {
  if (e.kind != ErrorKind::kUsage || e.message.find("kubeconfig") == std::string::npos)
    std::abort();
}

// Whether resolving would read files: the fuzzer feeds bytes, not paths to /dev/zero.
bool names_files(const KubeConfig& config) {
  for (const auto& [name, c] : config.clusters)
    if (!c.ca_file.empty()) return true;
  for (const auto& [name, u] : config.users)
    if (!u.client_cert_file.empty() || !u.client_key_file.empty() || !u.token_file.empty())
      return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto config = parse_kubeconfig(text, kPath);
  if (!config.ok()) {
    if (config.error().kind != ErrorKind::kUsage) std::abort();
    return 0;
  }
  if (names_files(*config)) return 0;
  Environment env{[](const std::string&) { return std::optional<std::string>(); }};
  // The current context, then each context by name (as --context does).
  std::vector<Overrides> choices{Overrides{}};
  for (const auto& [name, ctx] : config->contexts) {
    Overrides by_name;
    by_name.context = name;
    choices.push_back(by_name);
  }
  for (const auto& overrides : choices) {
    auto rc = resolve_rest_config(*config, overrides, env);
    if (!rc.ok()) {
      check_error(rc.error());
      continue;
    }
    if (rc->server.rfind("https://", 0) != 0 && rc->server.rfind("http://", 0) != 0) std::abort();
    if (rc->namespace_.empty()) std::abort();
  }
  return 0;
}
