#pragma once
// The values a flag or positional argument can take, for completion: fixed lists from the
// code (profiles, formats), names from the cluster, or the shell's file names.

#include "cli/completion.hpp"

namespace kmesh::cli {

/// Completes `prefix` as a value of `option` of `command`; `typed` holds the global flags
/// typed so far (where the cluster is).
Completions complete_value(const CLI::Option& option, const CLI::App& command,
                           const std::string& prefix, const kube::Overrides& typed,
                           ClusterNames& cluster);

}  // namespace kmesh::cli
