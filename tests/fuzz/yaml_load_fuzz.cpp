// libFuzzer target for the YAML loader (lib/yaml/parse), the one entry point for every YAML
// input: manifests, kubeconfigs, values files, kustomizations. Built by KMESH_FUZZ (see
// tests/fuzz/CMakeLists.txt); seeds in tests/fuzz/corpus/yaml_load.
//
// Checks beyond "does not crash": a rejection is a usage error with a message naming the
// source, and what was accepted reads back the same after kubectl-style output (emit) and
// after Go-style output (emit_goyaml), so `kubectl mesh ... -o yaml | kubectl apply -f -`
// sends what was meant.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lib/yaml/emit.hpp"
#include "lib/yaml/parse.hpp"

using namespace kmesh;

namespace {

// NaN differs from itself, so a document holding one cannot be compared after a round trip.
bool has_nan(const Json& j) {
  if (j.is_number_float()) return std::isnan(j.get<double>());
  if (j.is_structured())
    for (const auto& child : j)
      if (has_nan(child)) return true;
  return false;
}

void fail(const char* what, const std::string& text) {
  std::fprintf(stderr, "%s\n--- text ---\n%s\n", what, text.c_str());
  std::abort();
}

// Whether a map anywhere in the value has a key that may print longer than 1024 characters
// (escapes take up to 4 per byte): YAML allows an implicit ("key: value") key of at most 1024,
// yaml-cpp enforces it, and both emitters write implicit keys only. KNOWN GAP (not fixed yet):
// such keys need the explicit "? key" form, which goyaml uses past 128 characters; until the
// emitters write it, the round trip skips these values.
bool has_overlong_key(const Json& j) {
  if (j.is_object())
    for (const auto& [key, child] : j.items())
      if (key.size() > 256 || has_overlong_key(child)) return true;
  if (j.is_array())
    for (const auto& child : j)
      if (has_overlong_key(child)) return true;
  return false;
}

void check_round_trip(const Json& value, yaml::Typing typing) {
  if (has_nan(value) || has_overlong_key(value)) return;
  yaml::ParseOptions options;
  options.typing = typing;
  for (const std::string& text : {yaml::emit(value), yaml::emit_goyaml(value)}) {
    auto back = yaml::parse_single(text, "emitted", options);
    if (!back.ok()) fail(("emitted YAML does not parse: " + back.error().message).c_str(), text);
    if (back->value != value) fail("emitted YAML reads back differently", text);
  }
}

void load(std::string_view text, yaml::Typing typing) {
  yaml::ParseOptions options;
  options.typing = typing;
  options.max_alias_nodes = 10'000;  // the default allows a million: slow under the sanitizers
  auto docs = yaml::parse_documents(text, "in.yaml", options);
  if (!docs.ok()) {
    const Error& e = docs.error();
    if (e.kind != ErrorKind::kUsage || e.message.rfind("in.yaml", 0) != 0) std::abort();
    return;
  }
  for (const auto& doc : *docs) {
    if (doc.source != "in.yaml" || doc.line < 1) std::abort();
    check_round_trip(doc.value, typing);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  load(text, yaml::Typing::kYaml11);
  load(text, yaml::Typing::kYaml12);
  return 0;
}
