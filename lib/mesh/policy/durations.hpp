#pragma once
// Durations, counts, percentages and status codes as the traffic policy commands accept
// them: each a pure function of the text, so that flags are checked before anything is
// sent, and so that the parsers can be fuzzed (tests/fuzz/policy_values_fuzz.cpp).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "lib/core/result.hpp"

namespace kmesh::mesh::policy {

/// The shortest duration Istio accepts (its CRDs check `duration(self) >= duration('1ms')`).
inline constexpr std::chrono::nanoseconds kMinDuration = std::chrono::milliseconds(1);

/// Parses an Istio duration: one or more NUMBER UNIT pairs with units h, m, s and ms
/// ("250ms", "2s", "1m30s", "1.5s"), at least 1ms. The error says what is wrong, without
/// naming a flag.
Result<std::chrono::nanoseconds> parse_istio_duration(std::string_view text);

/// Checks a flag's duration; the error names the flag and the expected form:
/// `--per-try-timeout "2" : expected a duration with a unit such as 250ms, 2s or 1m`.
Status check_duration(std::string_view flag, std::string_view text);

/// A non-negative whole number that fits Istio's int32 fields.
Result<int32_t> parse_count(std::string_view flag, std::string_view text);

/// A percentage from 0 to 100, decimals allowed ("0.5").
Result<double> parse_percent(std::string_view flag, std::string_view text);

/// A whole percentage from 0 to 100 (for Istio's int32 percent fields).
Result<int32_t> parse_whole_percent(std::string_view flag, std::string_view text);

/// An HTTP status code a fault may abort with: 200 to 599.
Result<int32_t> parse_http_status(std::string_view flag, std::string_view text);

/// Checks a comma-separated retry-on list against the conditions Envoy and Istio accept
/// (5xx, gateway-error, reset, ..., and HTTP status codes); returns it without spaces.
Result<std::string> parse_retry_on(std::string_view flag, std::string_view text);

}  // namespace kmesh::mesh::policy
