#pragma once
// The patch transformers: `patches` (strategic merge or JSON 6902, with or without a target
// selector) and the deprecated patchesStrategicMerge and patchesJson6902.

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kustomize/kustomization.hpp"
#include "lib/kustomize/loader.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// One `patches` entry.
Status apply_patch(ResMap& map, const PatchArgs& patch, const RootLoader& loader);

/// The patchesStrategicMerge list (file paths or inline patches).
Status apply_patches_strategic_merge(ResMap& map, const std::vector<std::string>& entries,
                                     const RootLoader& loader);

/// One patchesJson6902 entry.
Status apply_patch_json6902(ResMap& map, const PatchArgs& patch, const RootLoader& loader);

/// Merges a strategic merge patch into one object as Kustomize does: name, namespace and
/// kind are kept unless the patch may change them; false when the patch deleted the object.
Result<bool> merge_into(Resource& target, const Json& patch, bool allow_name_change,
                        bool allow_kind_change);

}  // namespace kmesh::kustomize
