#pragma once
// The command tree and the one exit point: parse, run, print errors, map to exit codes.

#include "cli/context.hpp"

namespace kmesh::cli {

/// Exit statuses, documented in the README.
enum ExitCode { kExitOk = 0, kExitCluster = 1, kExitUsage = 2, kExitFindings = 3 };

/// Runs kubectl-mesh with argv on the given streams; returns the exit status.
int run(int argc, const char* const* argv, Streams streams, kube::Environment env,
        kube::ClientOptions client_options = {});

}  // namespace kmesh::cli
