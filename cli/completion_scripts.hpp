#pragma once
// The shell scripts `kubectl mesh completion SHELL` prints. They complete the standalone
// `kubectl-mesh` command by running `kubectl-mesh __complete WORD... PARTIAL`; `kubectl mesh`
// needs none of them (kubectl 1.26+ runs kubectl_complete-mesh itself).

#include <string>
#include <vector>

namespace kmesh::cli {

/// The shells there is a script for: bash, zsh, fish.
const std::vector<std::string>& completion_shells();

/// The script for one of completion_shells(); empty for any other name.
std::string completion_script(const std::string& shell);

}  // namespace kmesh::cli
