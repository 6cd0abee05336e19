#pragma once
// A small line diff in unified format, for --diff: no external diff program is needed,
// and the output is the same on every machine.

#include <string>

namespace kmesh::mesh::policy {

/// The unified diff (3 lines of context) turning `before` into `after`, with the given
/// file names in the --- and +++ lines; "" when the texts are equal.
std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_name, const std::string& after_name,
                         int context = 3);

}  // namespace kmesh::mesh::policy
