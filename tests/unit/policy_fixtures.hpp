#pragma once
// Fixtures of the traffic policy tests (tests/unit/testdata/policy) and golden files:
// KMESH_UPDATE_GOLDEN=1 rewrites testdata/policy/golden/*.yaml from what the code
// produces now (then read the diff before committing it).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/yaml/emit.hpp"
#include "lib/yaml/parse.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// Every document of testdata/policy/NAME.
inline std::vector<Json> policy_fixture(const std::string& name) {
  std::string path = testdata("policy/" + name);
  auto docs = yaml::parse_documents(read_text(path), path);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().message);
  std::vector<Json> out;
  if (docs.ok())
    for (auto& d : *docs)
      out.push_back(std::move(d.value));
  return out;
}

/// The one document of testdata/policy/NAME.
inline Json policy_object(const std::string& name) {
  auto docs = policy_fixture(name);
  EXPECT_EQ(docs.size(), 1u) << name;
  return docs.empty() ? Json() : docs.front();
}

/// Compares `actual` (as YAML) with testdata/policy/golden/NAME.yaml.
inline void expect_golden(const std::string& name, const Json& actual) {
  std::string path = testdata("policy/golden/" + name + ".yaml");
  std::string text = yaml::emit(actual);
  const char* update = std::getenv("KMESH_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") std::ofstream(path, std::ios::binary) << text;
  EXPECT_EQ(read_text(path), text)
      << "golden file " << path << " differs (KMESH_UPDATE_GOLDEN=1 rewrites it)";
}

}  // namespace kmesh::testing
