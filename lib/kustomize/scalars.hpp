#pragma once
// Small conversions between Json values and the scalar text kyaml compares and writes.

#include <string>

#include "lib/yaml/document.hpp"

namespace kmesh::kustomize {

/// The text a YAML scalar node would hold for this value ("" for null, maps and lists).
std::string scalar_text(const Json& value);

}  // namespace kmesh::kustomize
