#pragma once
// Reading the files a kustomization names, under Kustomize's default rule that they lie in
// the kustomization's directory or below it (bases, being directories, may be anywhere).

#include <string>

#include "lib/core/result.hpp"
#include "lib/kustomize/kustomize.hpp"

namespace kmesh::kustomize {

/// The files of one kustomization root.
class RootLoader {
 public:
  RootLoader(const FileSource& files, std::string root) : files_(files), root_(std::move(root)) {}

  /// A file named relative to the root; an error if it lies outside it or cannot be read.
  Result<std::string> load(const std::string& relative) const;
  /// The cleaned path of `relative` against the root.
  std::string resolve(const std::string& relative) const;
  const std::string& root() const { return root_; }
  const FileSource& files() const { return files_; }

 private:
  const FileSource& files_;
  std::string root_;
};

}  // namespace kmesh::kustomize
