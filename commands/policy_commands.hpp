#pragma once
// The traffic policy command groups; register_policy (in commands.hpp) adds them all.

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "lib/core/result.hpp"

namespace kmesh::commands {

void register_route(CLI::App& root, cli::Context& ctx, Status& result);
void register_retry(CLI::App& root, cli::Context& ctx, Status& result);    ///< retry and timeout
void register_breaker(CLI::App& root, cli::Context& ctx, Status& result);  ///< breaker and fault
void register_policy_view(CLI::App& root, cli::Context& ctx,
                          Status& result);  ///< policy show|export

}  // namespace kmesh::commands
