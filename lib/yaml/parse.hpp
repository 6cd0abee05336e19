#pragma once
// Reading YAML (and JSON, which is YAML) into Documents. The one entry point for every
// YAML input of the tool, so the typing rules and the limits against hostile input hold
// everywhere.

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"
#include "lib/yaml/scalar.hpp"

namespace kmesh::yaml {

/// Limits and rules for one parse.
struct ParseOptions {
  Typing typing = Typing::kYaml11;
  int max_depth = 128;                 ///< nesting of maps and lists
  size_t max_alias_nodes = 1'000'000;  ///< values copied through aliases, in all
  bool keep_empty = false;             ///< keep documents that are empty (null)
  /// Plain timestamps become the RFC 3339 text Go writes for a time.Time, as kustomize's
  /// output shows them (yaml.v3 decodes them as times, json.Marshal writes them back).
  bool go_timestamps = false;
};

/// Parses every document of a multi-document stream. Empty documents are dropped unless
/// asked for. Errors (syntax, duplicate keys, invalid UTF-8, limits) name source and line.
Result<std::vector<Document>> parse_documents(std::string_view text, const std::string& source,
                                              const ParseOptions& options = {});

/// Parses text that must hold exactly one document (a kubeconfig, a values file).
Result<Document> parse_single(std::string_view text, const std::string& source,
                              const ParseOptions& options = {});

}  // namespace kmesh::yaml
