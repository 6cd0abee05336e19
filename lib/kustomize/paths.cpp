#include "lib/kustomize/paths.hpp"

#include <vector>

#include "lib/core/strings.hpp"

namespace kmesh::kustomize {

std::string clean_path(const std::string& path) {
  bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string> out;
  for (const auto& seg : split(path, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." && !out.empty() && out.back() != "..") {
      out.pop_back();
    } else if (seg == ".." && absolute) {
      continue;  // "/.." is "/"
    } else {
      out.push_back(seg);
    }
  }
  std::string joined = join(out, "/");
  if (absolute) return "/" + joined;
  return joined.empty() ? "." : joined;
}

std::string join_path(const std::string& dir, const std::string& relative) {
  if (!relative.empty() && relative[0] == '/') return clean_path(relative);
  return clean_path(dir + "/" + relative);
}

std::string base_name(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/')
    p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

bool is_within(const std::string& path, const std::string& root) {
  std::string p = clean_path(path), r = clean_path(root);
  if (r == ".") return p != ".." && !starts_with(p, "../") && p[0] != '/';
  return p == r || starts_with(p, r == "/" ? r : r + "/");
}

}  // namespace kmesh::kustomize
