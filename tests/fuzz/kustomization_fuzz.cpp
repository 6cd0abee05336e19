// libFuzzer target for the kustomize engine (lib/kustomize): a whole build over files held
// in memory, so generators, patches, name references and selectors all see fuzzed input.
// Built by KMESH_FUZZ (see tests/fuzz/CMakeLists.txt); seeds in tests/fuzz/corpus/kustomization.
//
// The input is a small archive in the txtar style: lines "-- PATH --" start a file; text
// before the first such line is kustomization.yaml. A seed is therefore readable and easy
// to write by hand (tests/fuzz/corpus/kustomization/*.txtar).
//
// Checks beyond "does not crash": every rejection is a usage error with a message, and
// what builds can be printed.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "lib/core/strings.hpp"
#include "tests/unit/kustomize_test_util.hpp"

using namespace kmesh;
using namespace kmesh::kustomize;

namespace {

std::map<std::string, std::string> unpack(std::string_view archive) {
  std::map<std::string, std::string> files;
  std::string* current = &files["kustomization.yaml"];
  size_t pos = 0;
  while (pos < archive.size()) {
    size_t end = archive.find('\n', pos);
    size_t next = end == std::string_view::npos ? archive.size() : end + 1;
    std::string_view line = archive.substr(pos, next - pos);
    std::string_view bare = trim(line);
    if (bare.size() > 6 && starts_with(bare, "-- ") && bare.substr(bare.size() - 3) == " --") {
      std::string path = clean_path(std::string(trim(bare.substr(3, bare.size() - 6))));
      current = &files[path];
    } else {
      current->append(line);
    }
    pos = next;
  }
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view archive(reinterpret_cast<const char*>(data), size);
  testing::MemoryFiles files(unpack(archive));
  auto objects = build(".", files);
  if (!objects.ok()) {
    const Error& e = objects.error();
    if (e.kind != ErrorKind::kUsage || e.message.empty()) std::abort();
    return 0;
  }
  std::string out = to_yaml(*objects);
  if (!objects->empty() && out.empty()) std::abort();
  return 0;
}
