#pragma once
// The manifest of hostile inputs (tests/badinput/cases.tsv), shared by the integration test
// that runs each case and the unit test that keeps the README's count true.
//
// One case a line, four fields separated by tabs:
//   PATH     the input, relative to tests/badinput ("generated:NAME" for inputs too big to
//            commit, written by the test; "missing:PATH" for a path that must not exist)
//   COMMAND  kubectl-mesh's arguments, split on spaces; leading NAME=VALUE words are
//            environment variables; {file} is PATH made absolute, {dir} is tests/badinput
//   EXIT     the exit status expected: 2 bad input, 1 the cluster side failed
//   STDERR   a substring standard error must contain ({file} expanded as above)
// Blank lines and lines starting with '#' are comments.

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

namespace kmesh::testing {

struct BadInputCase {
  std::string path;
  std::string command;
  int exit_code = 0;
  std::string expected_stderr;
  int line = 0;  ///< in cases.tsv, for messages
};

/// How GoogleTest shows a case (instead of its bytes).
inline void PrintTo(const BadInputCase& c, std::ostream* os) {
  *os << "cases.tsv:" << c.line << " " << c.path;
}

/// The cases of the manifest at `tsv`; a malformed line becomes a case with exit_code -1 so
/// that the tests fail on it rather than skip it.
inline std::vector<BadInputCase> load_bad_input_cases(const std::string& tsv) {
  std::vector<BadInputCase> cases;
  std::ifstream in(tsv);
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t tab; (tab = text.find('\t', start)) != std::string::npos; start = tab + 1)
      fields.push_back(text.substr(start, tab - start));
    fields.push_back(text.substr(start));
    BadInputCase c;
    c.line = line;
    if (fields.size() != 4) {
      c.path = "malformed line " + std::to_string(line);
      c.exit_code = -1;
    } else {
      c.path = fields[0];
      c.command = fields[1];
      c.exit_code = std::atoi(fields[2].c_str());
      c.expected_stderr = fields[3];
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace kmesh::testing
