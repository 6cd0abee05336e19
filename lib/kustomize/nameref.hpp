#pragma once
// Name references: once names got prefixes, suffixes and hashes, every field that names
// another object (a ConfigMap in a volume, a ServiceAccount in a RoleBinding subject, a Role
// in a roleRef, ...) is rewritten to the new name, choosing the referred object as Kustomize
// does (by previous name, kind, namespace and matching prefixes/suffixes).

#include "lib/core/result.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// Rewrites every name reference of every object of the map.
Status fix_name_references(ResMap& map);

}  // namespace kmesh::kustomize
