#pragma once
// Time values as Kubernetes writes them (RFC 3339) and durations as users type them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kmesh {

using SystemTime = std::chrono::system_clock::time_point;

/// Parses "2026-11-25T22:06:33Z", with optional fraction and numeric offset.
std::optional<SystemTime> parse_rfc3339(std::string_view text);
/// Formats as "2026-11-25T22:06:33Z".
std::string format_rfc3339(SystemTime t);

/// Parses a Go-style duration ("30s", "1m30s", "250ms", "1h"); a bare integer means
/// seconds, as kubectl's --request-timeout accepts.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text,
                                                        bool bare_seconds = true);

/// "1m30s"-style text for a duration, shortest form.
std::string format_duration(std::chrono::milliseconds d);

/// "5m", "3h", "2d": kubectl's AGE column.
std::string human_age(std::chrono::seconds age);

}  // namespace kmesh
