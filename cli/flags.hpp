#pragma once
// Flag groups shared by commands, so names and help read the same everywhere.

#include <CLI/CLI.hpp>
#include <string>

#include "cli/context.hpp"

namespace kmesh::cli {

/// The global kubectl flags: --kubeconfig, --context, --cluster, --user, -n,
/// --request-timeout, -v.
void add_global_flags(CLI::App& app, GlobalFlags& flags);
/// -o/--output with the formats a command allows (listed in the help).
void add_output_flag(CLI::App& cmd, std::string& output, const std::string& formats);
/// --dry-run=none|client|server.
void add_dry_run_flag(CLI::App& cmd, std::string& dry_run);
/// Sets a command's example lines (each runnable as is) as its help footer.
void set_examples(CLI::App& cmd, const std::string& examples);

}  // namespace kmesh::cli
