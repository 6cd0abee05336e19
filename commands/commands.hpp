#pragma once
// The registrar: every command group registers here, so a new verb touches this list
// and its own file.

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/context.hpp"
#include "lib/core/log.hpp"
#include "lib/core/result.hpp"

namespace kmesh::commands {

/// Adds every command to the root app; a command's run stores its outcome in `result`.
void register_all(CLI::App& root, cli::Context& ctx, Status& result);

/// The "inject enable" path of a subcommand, for messages.
std::string command_path(const CLI::App* cmd);

/// Makes `run(options, ctx)` the action of `cmd`.
template <typename Options, typename Run>
void bind(CLI::App* cmd, cli::Context& ctx, Status& result, std::shared_ptr<Options> options,
          Run run) {
  cmd->callback([cmd, &ctx, &result, options, run] {
    ctx.command_path = command_path(cmd);
    log::configure(ctx.flags.verbosity, &ctx.io.err);
    result = run(*options, ctx);
  });
}

void register_version(CLI::App& root, cli::Context& ctx, Status& result);
void register_apply(CLI::App& root, cli::Context& ctx, Status& result);
void register_kustomize(CLI::App& root, cli::Context& ctx, Status& result);
void register_install(CLI::App& root, cli::Context& ctx, Status& result);
void register_uninstall(CLI::App& root, cli::Context& ctx, Status& result);
void register_tag(CLI::App& root, cli::Context& ctx, Status& result);
void register_policy(CLI::App& root, cli::Context& ctx,
                     Status& result);  ///< route, retry, timeout, breaker, fault, policy
void register_inject(CLI::App& root, cli::Context& ctx, Status& result);
void register_bookstore(CLI::App& root, cli::Context& ctx, Status& result);
void register_analyze(CLI::App& root, cli::Context& ctx, Status& result);
void register_graph(CLI::App& root, cli::Context& ctx, Status& result);
void register_status(CLI::App& root, cli::Context& ctx, Status& result);
void register_jwks(CLI::App& root, cli::Context& ctx, Status& result);  ///< jwks, jwks verify
void register_completion(CLI::App& root, cli::Context& ctx, Status& result);

}  // namespace kmesh::commands
