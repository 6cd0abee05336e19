#pragma once
// Strategic merge patches as Kustomize applies them (kyaml's merge2 walker, not the API
// server's algorithm): maps merge key by key, `null` deletes, `$patch: delete|replace|merge`
// directives, lists merge by the keys the built-in schema gives (containers by name, env by
// name, ports by containerPort and protocol, ...) with the patch's new items first, and lists
// without a merge strategy (or of unknown types) are replaced.

#include <optional>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kustomize {

/// The object `target` with `patch` merged in; nothing when the patch deletes it.
Result<std::optional<Json>> strategic_merge(Json target, Json patch);

}  // namespace kmesh::kustomize
