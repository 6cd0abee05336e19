#pragma once
// The analyze corpus, shared by the unit test (pure analyzers on a World built from the
// files) and the integration test (the same objects applied to a real cluster).
//
// tests/analyze/corpus/CODE-what.yaml triggers exactly the findings listed, one per line
// as "CODE Kind namespace/name", in CODE-what.golden; tests/analyze/clean/*.yaml triggers
// none. Comment lines at the top of a case say how to run it:
//   # mode: cluster          the objects stand for what the cluster holds (with
//                            cluster-base.yaml around them), so missing references are
//                            findings; without it they are files analyzed offline
//   # cluster: skip REASON   the integration test cannot reproduce the case on a cluster

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/core/strings.hpp"
#include "lib/mesh/analyze/findings.hpp"

namespace kmesh::testing::analyze_corpus {

struct Case {
  std::string name;  ///< file name without .yaml
  std::string path, text;
  bool cluster_mode = false;
  std::string cluster_skip;           ///< why the integration test skips it; "" to run it
  std::vector<std::string> expected;  ///< golden lines, sorted
};

/// gtest prints a case by its name.
inline void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

/// tests/analyze: under the source root the build names, else from this header's own path
/// (which ccache's base_dir makes relative to the build directory).
inline std::string dir() {
#ifdef KMESH_SOURCE_DIR
  return std::string(KMESH_SOURCE_DIR) + "/tests/analyze";
#else
  return std::filesystem::path(__FILE__).parent_path().string();
#endif
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& l : split(text, '\n'))
    if (!std::string(trim(l)).empty()) out.push_back(std::string(trim(l)));
  std::sort(out.begin(), out.end());
  return out;
}

/// The cases of tests/analyze/SUBDIR ("corpus" or "clean"), sorted by name.
inline std::vector<Case> load_cases(const std::string& subdir) {
  std::vector<Case> cases;
  for (const auto& entry : std::filesystem::directory_iterator(dir() + "/" + subdir)) {
    if (entry.path().extension() != ".yaml") continue;
    Case c;
    c.name = entry.path().stem().string();
    c.path = entry.path().string();
    c.text = read_text(c.path);
    for (const auto& line : split(c.text, '\n')) {
      if (!starts_with(line, "#")) break;
      if (line == "# mode: cluster") c.cluster_mode = true;
      if (starts_with(line, "# cluster: skip ")) c.cluster_skip = line.substr(16);
    }
    std::string golden = entry.path().parent_path().string() + "/" + c.name + ".golden";
    if (std::filesystem::exists(golden)) c.expected = lines_of(read_text(golden));
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

/// A report as golden lines, sorted.
inline std::vector<std::string> describe(const mesh::analyze::Report& report) {
  std::vector<std::string> out;
  for (const auto& f : report.findings)
    out.push_back(f.code + " " + f.object.display());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kmesh::testing::analyze_corpus
