#pragma once
// The in-memory document model: one JSON value per Kubernetes object, as the API server
// sees it. Keys are kept sorted (nlohmann::json's std::map), which is also the order
// kubectl and kustomize print them in.

#include <nlohmann/json.hpp>
#include <string>

namespace kmesh {

using Json = nlohmann::json;

/// One YAML document of an input, and where it came from (for error messages).
struct Document {
  Json value;
  std::string source;  ///< file name, or "-" for stdin
  int line = 0;        ///< 1-based line where the document starts
};

/// "file:line" for messages about a document.
inline std::string where(const Document& doc) {
  return doc.source + ":" + std::to_string(doc.line);
}

}  // namespace kmesh
