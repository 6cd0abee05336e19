#pragma once
// Objects read from resource files, and the final cleanup of what a build returns.

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// The objects of a resource file: YAML 1.2 documents (as Kustomize reads them), empty ones
/// dropped, `kind: FooList` documents with items expanded. Each needs a kind and a name.
Result<std::vector<Resource>> parse_resources(const std::string& text, const std::string& file);

/// Kustomize rewrites every object's annotations when it strips its own at the end: values
/// become strings, its build and origin annotations go, and an empty map is removed.
void finalize_annotations(Resource& resource);

}  // namespace kmesh::kustomize
