#pragma once
// Verbosity-gated diagnostics on stderr, as kubectl's -v levels: 6 requests, 8 bodies.
// The level and sink are per thread (one run of the tool per thread), like klog's -v per run.

#include <ostream>
#include <string>

namespace kmesh::log {

/// Sets the verbosity (the -v flag) and where diagnostics go.
void configure(int verbosity, std::ostream* sink);
/// Whether messages of this level are printed.
bool enabled(int level);
/// Prints one line when the level is enabled.
void at(int level, const std::string& line);
/// Prints a warning to the diagnostics stream whatever the level.
void warn(const std::string& line);

}  // namespace kmesh::log
