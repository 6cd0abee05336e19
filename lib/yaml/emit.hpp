#pragma once
// Writing documents as YAML the way kubectl prints them: block style, keys sorted, lists
// not indented under their key, strings quoted only when a YAML 1.1 reader would
// otherwise take them for something else, multi-line strings as literal blocks.

#include <string>
#include <vector>

#include "lib/yaml/document.hpp"

namespace kmesh::yaml {

/// One document, without a leading "---".
std::string emit(const Json& value);

/// Several documents separated by "---" lines.
std::string emit_all(const std::vector<Json>& values);

/// One value exactly as Go's sigs.k8s.io/yaml (goyaml.v2) writes JSON data, which is what
/// kubectl and kustomize print: goyaml's key order (digit runs compare as numbers), its
/// choice of plain, 'single', "double" or literal scalars, long scalars folded at 80 columns.
std::string emit_goyaml(const Json& value);

/// Several documents in goyaml's format, separated by "---" lines.
std::string emit_all_goyaml(const std::vector<Json>& values);

/// A scalar as it would appear in YAML (quoted when needed); for messages and templates.
std::string emit_scalar(const Json& value);

/// A number as Go's encoding/json prints it (8 rather than 8.0).
std::string format_number(const Json& number);

}  // namespace kmesh::yaml
