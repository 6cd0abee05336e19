#include "lib/core/embedded.hpp"

namespace kmesh {

const EmbeddedFile* find_embedded(std::string_view path) {
  for (size_t i = 0; i < kEmbeddedFileCount; ++i)
    if (kEmbeddedFiles[i].path == path) return &kEmbeddedFiles[i];
  return nullptr;
}

std::vector<const EmbeddedFile*> embedded_under(std::string_view prefix) {
  std::vector<const EmbeddedFile*> out;
  for (size_t i = 0; i < kEmbeddedFileCount; ++i)
    if (std::string_view(kEmbeddedFiles[i].path).substr(0, prefix.size()) == prefix)
      out.push_back(&kEmbeddedFiles[i]);
  return out;
}

}  // namespace kmesh
