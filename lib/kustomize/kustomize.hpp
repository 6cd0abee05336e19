#pragma once
// The kustomization engine: renders a kustomization directory as `kubectl kustomize` (built-in
// Kustomize v5) does, with no external program. Supported fields are listed in
// kustomization.cpp; any other field is an error naming it and the file.

#include <memory>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kustomize {

/// Where kustomization files come from: the disk, or the files compiled into the binary.
/// Paths use '/' and are relative to wherever the source is rooted.
class FileSource {
 public:
  virtual ~FileSource() = default;
  /// The whole file; an error (usage, exit 2) naming the path if it cannot be read.
  virtual Result<std::string> read(const std::string& path) const = 0;
  /// Whether a file or directory exists at path.
  virtual bool exists(const std::string& path) const = 0;
  /// Whether path is a directory.
  virtual bool is_dir(const std::string& path) const = 0;
  /// The names (not paths) of a directory's entries, sorted.
  virtual std::vector<std::string> list(const std::string& dir) const = 0;
};

/// The real file system; relative paths resolve against the working directory.
class DiskFileSource : public FileSource {
 public:
  Result<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  bool is_dir(const std::string& path) const override;
  std::vector<std::string> list(const std::string& dir) const override;
};

/// The embedded files under a prefix (e.g. "kustomize-templates/"), with paths relative to
/// the repository root: "kustomize-templates/bookstore/overlays/mesh".
class EmbeddedFileSource : public FileSource {
 public:
  explicit EmbeddedFileSource(std::string prefix = "kustomize-templates/");
  Result<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  bool is_dir(const std::string& path) const override;
  std::vector<std::string> list(const std::string& dir) const override;

 private:
  std::string prefix_;
};

/// Renders the kustomization in `dir`: the objects, in Kustomize's (legacy) output order.
Result<std::vector<Json>> build(const std::string& dir, const FileSource& files);

/// Kustomize's output: the objects as YAML documents separated by "---".
std::string to_yaml(const std::vector<Json>& objects);

}  // namespace kmesh::kustomize
