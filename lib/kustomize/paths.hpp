#pragma once
// Lexical path handling for kustomization roots: joining, cleaning ("a/b/../c" -> "a/c"),
// and the root-only rule Kustomize applies to the files a kustomization loads.

#include <string>

namespace kmesh::kustomize {

/// Removes "." and "x/.." segments and duplicate slashes; "" and "." become ".".
std::string clean_path(const std::string& path);
/// dir/relative, cleaned; an absolute `relative` is returned cleaned as it is.
std::string join_path(const std::string& dir, const std::string& relative);
/// The last segment of a path.
std::string base_name(const std::string& path);
/// Whether `path` is `root` or lies below it (both cleaned).
bool is_within(const std::string& path, const std::string& root);

}  // namespace kmesh::kustomize
