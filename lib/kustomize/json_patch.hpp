#pragma once
// JSON patches (RFC 6902) as Kustomize applies them (evanphx/json-patch v4): add, remove,
// replace, move, copy and test; "~1" and "~0" escapes; "-" appends to a list, and negative
// indexes count from the end.

#include <string>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kustomize {

/// Parses a patch's text: a JSON array, or YAML (read as YAML 1.1, as Kustomize does).
Result<Json> parse_json_patch(const std::string& text, const std::string& source);

/// Applies a parsed patch (a list of operations) to a document.
Status apply_json_patch(Json& document, const Json& operations);

}  // namespace kmesh::kustomize
