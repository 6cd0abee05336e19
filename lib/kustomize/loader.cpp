#include "lib/kustomize/loader.hpp"

#include "lib/kustomize/paths.hpp"

namespace kmesh::kustomize {

std::string RootLoader::resolve(const std::string& relative) const {
  return join_path(root_, relative);
}

Result<std::string> RootLoader::load(const std::string& relative) const {
  std::string path = resolve(relative);
  if (!is_within(path, root_))
    return usage_error("security; file '" + path + "' is not in or below '" + root_ + "'");
  return files_.read(path);
}

}  // namespace kmesh::kustomize
