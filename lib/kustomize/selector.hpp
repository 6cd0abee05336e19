#pragma once
// Patch targets: which objects a `patches` entry applies to. Group, version, kind, name and
// namespace are anchored regular expressions; labelSelector and annotationSelector use
// Kubernetes label selector syntax ("app=web,tier in (a,b),!canary").

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kustomize/kustomization.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// Whether a set of labels satisfies a label selector; an error if the selector is invalid.
Result<bool> matches_label_selector(const std::string& selector, const StringMap& labels);

/// Indexes of the objects a selector picks, in map order.
Result<std::vector<size_t>> select(const ResMap& map, const Selector& selector);

}  // namespace kmesh::kustomize
