// tests/badinput/cases.tsv, the manifest of hostile inputs, stays consistent: every case
// names an input that exists, and the README states the true number of cases.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "lib/core/strings.hpp"
#include "tests/badinput/cases.hpp"

namespace kmesh::testing {
namespace {

const std::string kDir = std::string(KMESH_SOURCE_DIR) + "/tests/badinput";

TEST(BadInputManifest, EveryCaseIsWellFormedAndItsInputExists) {
  auto cases = load_bad_input_cases(kDir + "/cases.tsv");
  ASSERT_GT(cases.size(), 0u);
  for (const auto& c : cases) {
    EXPECT_TRUE(c.exit_code == 1 || c.exit_code == 2)
        << "cases.tsv:" << c.line << ": expected exit 1 or 2, got " << c.exit_code;
    EXPECT_FALSE(c.expected_stderr.empty()) << "cases.tsv:" << c.line << ": no message";
    if (starts_with(c.path, "missing:")) {
      EXPECT_FALSE(std::filesystem::exists(kDir + "/" + c.path.substr(8)))
          << "cases.tsv:" << c.line << ": " << c.path << " exists";
    } else if (!starts_with(c.path, "generated:")) {
      EXPECT_TRUE(std::filesystem::exists(kDir + "/" + c.path))
          << "cases.tsv:" << c.line << ": " << c.path << " does not exist";
    }
  }
}

TEST(BadInputManifest, TheReadmeCountsTheCases) {
  auto cases = load_bad_input_cases(kDir + "/cases.tsv");
  std::string readme = read_file(std::string(KMESH_SOURCE_DIR) + "/README.md").text;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(readme, m, std::regex(R"((\d+) hostile inputs in `tests/badinput`)")))
      << "README.md should say \"N hostile inputs in `tests/badinput`\"";
  EXPECT_EQ(std::stoul(m[1]), cases.size())
      << "README.md says " << m[1] << " hostile inputs; tests/badinput/cases.tsv has "
      << cases.size();
}

}  // namespace
}  // namespace kmesh::testing
