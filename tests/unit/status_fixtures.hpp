#pragma once
// Fixtures for the status tests: objects as the API server lists them, from
// tests/unit/testdata/status.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/yaml/parse.hpp"
#include "tests/unit/policy_fixtures.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::testing {

/// The documents of testdata/status/NAME.
inline std::vector<Json> status_fixture(const std::string& name) {
  std::string path = testdata("status/" + name);
  auto docs = yaml::parse_documents(read_text(path), path);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().message);
  std::vector<Json> out;
  if (docs.ok())
    for (auto& d : *docs)
      out.push_back(std::move(d.value));
  return out;
}

}  // namespace kmesh::testing
