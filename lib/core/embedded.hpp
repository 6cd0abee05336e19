#pragma once
// Files compiled into the binary: the Istio manifests and the bookstore templates.

#include <string>
#include <string_view>
#include <vector>

namespace kmesh {

struct EmbeddedFile {
  const char* path;  ///< relative to the source tree: "manifests/crds/..."
  std::string_view text;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

/// The embedded file at path, if there is one.
const EmbeddedFile* find_embedded(std::string_view path);
/// Every embedded file whose path starts with prefix, sorted by path.
std::vector<const EmbeddedFile*> embedded_under(std::string_view prefix);

}  // namespace kmesh
