#pragma once
// Asking before a change, the CI-safe way: never a prompt without a terminal.

#include <string>

#include "cli/context.hpp"
#include "lib/core/result.hpp"

namespace kmesh::cli {

/// Returns ok when `yes` (-y) was given or the user answers y on a terminal; a usage
/// error when there is no terminal to ask, or the user declines.
Status confirm(Context& ctx, bool yes, const std::string& question);

}  // namespace kmesh::cli
