#pragma once
// Running a program without a shell: argv is passed as is, so nothing a user typed is
// ever interpreted by /bin/sh.

#include <chrono>
#include <string>
#include <vector>

#include "lib/core/result.hpp"

namespace kmesh {

/// What to run.
struct ProcessSpec {
  std::vector<std::string> argv;  ///< argv[0] is looked up on PATH
  std::vector<std::string> env;   ///< NAME=VALUE, the whole environment of the child
  bool inherit_stdin = false;     ///< give the child our stdin (interactive plugins)
  std::chrono::milliseconds timeout{30000};
};

/// How it ended.
struct ProcessResult {
  int exit_code = -1;  ///< -1 when killed by a signal or the timeout
  bool timed_out = false;
  std::string out;  ///< standard output; standard error goes to ours
};

/// Runs a program to completion (or kills it at the timeout).
Result<ProcessResult> run_process(const ProcessSpec& spec);

/// The current process environment as NAME=VALUE strings.
std::vector<std::string> current_environment();

}  // namespace kmesh
