#pragma once
// An in-memory FileSource for kustomize unit tests: files given as path -> text.

#include <map>
#include <string>
#include <vector>

#include "lib/core/strings.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/kustomize/paths.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kustomize::testing {

class MemoryFiles : public FileSource {
 public:
  explicit MemoryFiles(std::map<std::string, std::string> files) : files_(std::move(files)) {}

  Result<std::string> read(const std::string& path) const override {
    auto it = files_.find(clean_path(path));
    if (it == files_.end()) return usage_error(path + ": no such file");
    return it->second;
  }
  bool exists(const std::string& path) const override {
    return files_.count(clean_path(path)) > 0 || is_dir(path);
  }
  bool is_dir(const std::string& path) const override {
    std::string dir = clean_path(path) + "/";
    for (const auto& [name, text] : files_)
      if (starts_with(name, dir) || dir == "./") return true;
    return false;
  }
  std::vector<std::string> list(const std::string&) const override { return {}; }

 private:
  std::map<std::string, std::string> files_;
};

/// One YAML document (YAML 1.2 typing, as kustomize input is read).
inline Json yaml_doc(const std::string& text) {
  yaml::ParseOptions options;
  options.typing = yaml::Typing::kYaml12;
  auto doc = yaml::parse_single(text, "test", options);
  return doc.ok() ? doc->value : Json("parse error: " + doc.error().message);
}

/// Builds `dir` over the given files; the objects, or a one-element list with the error text.
inline Result<std::vector<Json>> build_files(std::map<std::string, std::string> files,
                                             const std::string& dir = ".") {
  MemoryFiles source(std::move(files));
  return build(dir, source);
}

}  // namespace kmesh::kustomize::testing
