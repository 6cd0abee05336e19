#include <algorithm>
#include <filesystem>

#include "lib/core/embedded.hpp"
#include "lib/core/strings.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/kustomize/paths.hpp"

namespace kmesh::kustomize {

namespace fs = std::filesystem;

Result<std::string> DiskFileSource::read(const std::string& path) const {
  if (is_dir(path)) return usage_error(path + ": is a directory");
  FileText file = read_file(path);
  if (!file.ok) return usage_error(path + ": " + file.error);
  return std::move(file.text);
}

bool DiskFileSource::exists(const std::string& path) const {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool DiskFileSource::is_dir(const std::string& path) const {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

std::vector<std::string> DiskFileSource::list(const std::string& dir) const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

EmbeddedFileSource::EmbeddedFileSource(std::string prefix) : prefix_(std::move(prefix)) {}

Result<std::string> EmbeddedFileSource::read(const std::string& path) const {
  std::string clean = clean_path(path);
  if (!starts_with(clean, prefix_)) return usage_error(path + ": not an embedded file");
  if (const EmbeddedFile* file = find_embedded(clean)) return std::string(file->text);
  return usage_error(path + ": no such embedded file");
}

bool EmbeddedFileSource::exists(const std::string& path) const {
  std::string clean = clean_path(path);
  return (starts_with(clean, prefix_) && find_embedded(clean)) || is_dir(clean);
}

bool EmbeddedFileSource::is_dir(const std::string& path) const {
  std::string dir = clean_path(path) + "/";
  if (!starts_with(dir, prefix_)) return false;
  return !embedded_under(dir).empty();
}

std::vector<std::string> EmbeddedFileSource::list(const std::string& path) const {
  std::string dir = clean_path(path) + "/";
  std::vector<std::string> names;
  if (!starts_with(dir, prefix_)) return names;
  for (const EmbeddedFile* file : embedded_under(dir)) {
    std::string rest = std::string(file->path).substr(dir.size());
    std::string name = rest.substr(0, rest.find('/'));
    if (names.empty() || names.back() != name) names.push_back(name);
  }
  return names;
}

}  // namespace kmesh::kustomize
