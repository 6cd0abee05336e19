#pragma once
// The command tree and the one exit point: parse, run, print errors, map to exit codes.

#include <memory>

#include "cli/context.hpp"

namespace CLI {
class App;
}

namespace kmesh::cli {

/// The name kubectl 1.26+ looks for on PATH to complete `kubectl mesh` (a link to this binary).
inline constexpr const char* kCompletionHelperName = "kubectl_complete-mesh";

/// Exit statuses, documented in the README.
enum ExitCode { kExitOk = 0, kExitCluster = 1, kExitUsage = 2, kExitFindings = 3 };

/// The command tree: the global flags and every command, bound to `ctx`; a command's run
/// stores its outcome in `result`.
std::unique_ptr<CLI::App> make_app(Context& ctx, Status& result);

/// Whether argv asks for completions: `__complete` or `__completeNoDesc` first, or the
/// binary run as kubectl_complete-mesh.
bool is_completion_request(int argc, const char* const* argv);

/// Runs kubectl-mesh with argv on the given streams; returns the exit status.
int run(int argc, const char* const* argv, Streams streams, kube::Environment env,
        kube::ClientOptions client_options = {});

}  // namespace kmesh::cli
