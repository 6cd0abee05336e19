#pragma once
// What strategic merge patches need from the Kubernetes OpenAPI schema Kustomize compiles
// in: for a built-in type, which lists merge by key (containers by name, ports by
// containerPort and protocol, ...). Unknown types (custom resources) have no schema, and
// their lists are replaced by a patch, as in Kustomize.

#include <string>
#include <vector>

#include "lib/yaml/document.hpp"

namespace kmesh::kustomize {

extern const char* const kSchemaJson;

/// A node of the schema, or nullptr where nothing is known.
using SchemaNode = const Json*;

/// The schema of a built-in type by apiVersion and kind.
SchemaNode schema_for_type(const std::string& api_version, const std::string& kind);
/// The schema of a map's field (or of its values, for maps with free keys).
SchemaNode schema_field(SchemaNode schema, const std::string& name);
/// The schema of a list's elements.
SchemaNode schema_elements(SchemaNode schema);
/// The patch strategy ("merge", "merge,retainKeys" or "") of a list.
std::string patch_strategy(SchemaNode schema);
/// The merge keys of a list, as Kustomize reads them (list-map-keys first).
std::vector<std::string> merge_keys(SchemaNode schema);

}  // namespace kmesh::kustomize
