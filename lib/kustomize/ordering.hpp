#pragma once
// Kustomize's output order. Its default ("legacy") puts Namespaces, CRDs, RBAC, ConfigMaps,
// Services and workloads first and webhook configurations last, then sorts by group,
// version, kind, namespace and name; sortOptions can ask for input order ("fifo") or
// other first and last kinds.

#include <optional>

#include "lib/kustomize/kustomization.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// Sorts the objects as Kustomize's build does for the top kustomization's sortOptions.
void sort_for_output(std::vector<Resource>& items, const std::optional<SortOptions>& options);

}  // namespace kmesh::kustomize
