#pragma once
// Temporary directories and fixture paths for unit tests.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace kmesh::testing {

/// A fresh directory under TMPDIR, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kmesh-unit-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// The absolute path of `relative` inside the directory.
  std::string at(const std::string& relative) const { return path_ + "/" + relative; }
  /// Writes a file (creating its parent directories) and returns its path.
  std::string write(const std::string& relative, const std::string& text) const {
    std::filesystem::path p = at(relative);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

 private:
  std::string path_;
};

/// A file under tests/unit/testdata.
inline std::string testdata(const std::string& relative) {
  return std::string(KMESH_SOURCE_DIR) + "/tests/unit/testdata/" + relative;
}

}  // namespace kmesh::testing
