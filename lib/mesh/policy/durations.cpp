#include "lib/mesh/policy/durations.hpp"

#include <algorithm>
#include <limits>

#include "lib/core/strings.hpp"

namespace kmesh::mesh::policy {
namespace {

using Nanos = std::chrono::nanoseconds;
constexpr int64_t kMaxNanos = std::numeric_limits<int64_t>::max();

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The length in nanoseconds of the unit at the start of `rest`, and how many characters
// it takes; 0 when there is no unit Istio accepts.
int64_t unit_at(std::string_view rest, size_t& length) {
  if (rest.substr(0, 2) == "ms") return length = 2, 1'000'000;
  if (rest.substr(0, 1) == "h") return length = 1, 3'600'000'000'000;
  if (rest.substr(0, 1) == "m") return length = 1, 60'000'000'000;
  if (rest.substr(0, 1) == "s") return length = 1, 1'000'000'000;
  return length = 0, 0;
}

// Adds `digits` (integer digits, then fraction digits of the unit) times the unit to
// `total`; false on overflow.
bool add_term(std::string_view whole, std::string_view fraction, int64_t unit, int64_t& total) {
  int64_t value = 0;
  for (char c : whole) {
    if (value > (kMaxNanos - (c - '0')) / 10) return false;
    value = value * 10 + (c - '0');
  }
  if (value > kMaxNanos / unit) return false;
  int64_t nanos = value * unit;
  int64_t scale = unit;
  for (char c : fraction) {  // beyond nanosecond precision the digits count for nothing
    scale /= 10;
    if (scale == 0) break;
    if (nanos > kMaxNanos - (c - '0') * scale) return false;
    nanos += (c - '0') * scale;
  }
  if (nanos > kMaxNanos - total) return false;
  total += nanos;
  return true;
}

std::string quoted_flag(std::string_view flag, std::string_view text) {
  return std::string(flag) + " \"" + std::string(text) + "\" : ";
}

const std::vector<std::string>& retry_conditions() {
  static const std::vector<std::string> kConditions = {"5xx",
                                                       "gateway-error",
                                                       "reset",
                                                       "reset-before-request",
                                                       "connect-failure",
                                                       "envoy-ratelimited",
                                                       "retriable-4xx",
                                                       "refused-stream",
                                                       "retriable-status-codes",
                                                       "retriable-headers",
                                                       "http3-post-connect-failure",
                                                       "cancelled",
                                                       "deadline-exceeded",
                                                       "internal",
                                                       "resource-exhausted",
                                                       "unavailable"};
  return kConditions;
}

bool is_status_code(std::string_view word) {
  if (word.size() != 3) return false;
  for (char c : word)
    if (!is_digit(c)) return false;
  return word[0] >= '1' && word[0] <= '5';
}

}  // namespace

Result<Nanos> parse_istio_duration(std::string_view text) {
  const std::string expected = "expected a duration with a unit such as 250ms, 2s or 1m";
  if (text.empty()) return usage_error(expected);
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && is_digit(text[i]))
      ++i;
    std::string_view whole = text.substr(start, i - start);
    std::string_view fraction;
    if (i < text.size() && text[i] == '.') {
      size_t f = ++i;
      while (i < text.size() && is_digit(text[i]))
        ++i;
      fraction = text.substr(f, i - f);
      if (fraction.empty()) return usage_error(expected);
    }
    if (whole.empty()) return usage_error(expected);
    size_t length = 0;
    int64_t unit = unit_at(text.substr(i), length);
    if (unit == 0) return usage_error(expected);
    i += length;
    if (!add_term(whole, fraction, unit, total))
      return usage_error("expected a duration shorter than 2562047h");
  }
  if (Nanos(total) < kMinDuration) return usage_error("expected a duration of at least 1ms");
  return Nanos(total);
}

Status check_duration(std::string_view flag, std::string_view text) {
  auto parsed = parse_istio_duration(text);
  if (!parsed.ok()) return usage_error(quoted_flag(flag, text) + parsed.error().message);
  return {};
}

Result<int32_t> parse_count(std::string_view flag, std::string_view text) {
  auto fail = [&] {
    return usage_error(quoted_flag(flag, text) + "expected a whole number from 0 to 2147483647");
  };
  if (text.empty() || text.size() > 10) return fail();
  int64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return fail();
    value = value * 10 + (c - '0');
  }
  if (value > std::numeric_limits<int32_t>::max()) return fail();
  return static_cast<int32_t>(value);
}

Result<double> parse_percent(std::string_view flag, std::string_view text) {
  auto fail = [&] {
    return usage_error(quoted_flag(flag, text) + "expected a percentage from 0 to 100");
  };
  size_t i = 0, digits = 0;
  double value = 0, scale = 1;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (!is_digit(c) || digits >= 12) return fail();
    ++digits;
    if (seen_point)
      value += (c - '0') * (scale /= 10);
    else
      value = value * 10 + (c - '0');
  }
  if (digits == 0 || text.back() == '.' || text.front() == '.' || value > 100) return fail();
  return value;
}

Result<int32_t> parse_whole_percent(std::string_view flag, std::string_view text) {
  auto value = parse_count(flag, text);
  if (!value.ok() || *value > 100)
    return usage_error(quoted_flag(flag, text) + "expected a whole percentage from 0 to 100");
  return value;
}

Result<int32_t> parse_http_status(std::string_view flag, std::string_view text) {
  auto value = parse_count(flag, text);
  if (!value.ok() || *value < 200 || *value > 599 || text.size() != 3)
    return usage_error(quoted_flag(flag, text) + "expected an HTTP status code from 200 to 599");
  return value;
}

Result<std::string> parse_retry_on(std::string_view flag, std::string_view text) {
  std::vector<std::string> words;
  for (const auto& part : split(text, ',')) {
    std::string word(trim(part));
    const auto& known = retry_conditions();
    if (std::find(known.begin(), known.end(), word) == known.end() && !is_status_code(word)) {
      std::string hint;
      if (auto near = nearest(word, known, 1); !word.empty() && !near.empty())
        hint = " (did you mean " + near.front() + "?)";
      return usage_error(quoted_flag(flag, text) + "\"" + word + "\" is not a retry condition" +
                         hint + "; expected a comma-separated list of " + join(known, ", ") +
                         " or HTTP status codes such as 503");
    }
    if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
  }
  return join(words, ",");
}

}  // namespace kmesh::mesh::policy
