#pragma once
// Writing files the tool creates (rendered manifests, temporary inputs for other programs)
// with a mode chosen here rather than left to the umask: under `umask 000` a plain ofstream
// would leave them world-writable.

#include <sys/types.h>

#include <string>
#include <string_view>

#include "lib/core/result.hpp"

namespace kmesh {

/// Mode for files that may hold credentials or Secrets: the owner only.
inline constexpr mode_t kPrivateFileMode = 0600;
/// Mode for everything else: readable by all, writable by the owner only.
inline constexpr mode_t kPublicFileMode = 0644;

/// Creates or truncates `path` and writes `text` to it; the file ends up with exactly
/// `mode`, whatever the umask and whatever mode a file already there had. An error (usage,
/// exit 2) names the path.
Status write_file_with_mode(const std::string& path, std::string_view text, mode_t mode);

}  // namespace kmesh
