#include "lib/yaml/scalar.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

namespace kmesh::yaml {
namespace {

bool is_null_word(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::optional<bool> yaml12_bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

std::optional<bool> yaml11_bool(std::string_view s) {
  if (auto b = yaml12_bool(s)) return b;
  for (auto w : {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"})
    if (s == w) return true;
  for (auto w : {"n", "N", "no", "No", "NO", "off", "Off", "OFF"})
    if (s == w) return false;
  return std::nullopt;
}

std::optional<double> special_float(std::string_view s) {
  for (auto w : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
    if (s == w) return std::numeric_limits<double>::infinity();
  for (auto w : {"-.inf", "-.Inf", "-.INF"})
    if (s == w) return -std::numeric_limits<double>::infinity();
  for (auto w : {".nan", ".NaN", ".NAN"})
    if (s == w) return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Go's strconv.ParseInt(s, 0, 64) after yaml removed underscores: optional sign, then a
// 0x/0o/0b prefix, a leading 0 for octal, or decimal. Values beyond int64 fall through to
// the float rule (yaml.v2 would try uint64 first; the difference is beyond what JSON keeps).
std::optional<int64_t> go_parse_int(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') base = 16, s.remove_prefix(2);
    else if (p == 'o' || p == 'O') base = 8, s.remove_prefix(2);
    else if (p == 'b' || p == 'B') base = 2, s.remove_prefix(2);
    else base = 8, s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  unsigned __int128 value = 0;
  for (char c : s) {
    int d = digit_value(c);
    if (d >= base) return std::nullopt;
    value = value * base + d;
    if (value > static_cast<unsigned __int128>(INT64_MAX) + 1) return std::nullopt;
  }
  if (!negative && value > INT64_MAX) return std::nullopt;
  return negative ? static_cast<int64_t>(-value) : static_cast<int64_t>(value);
}

// yaml.v2's float syntax: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool looks_like_yaml_float(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// A float whose value is whole becomes an integer: Go's encoding/json prints float64(8) as
// 8, so this is what the API server receives from kubectl for `080` or `1.0`.
Json number_from_double(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
    return static_cast<int64_t>(d);
  return d;
}

std::optional<Json> resolve_number(std::string_view text) {
  char first = text[0];
  if (first == '.') {
    if (auto f = special_float(text)) return Json(*f);
    if (looks_like_yaml_float(text)) return number_from_double(std::strtod(std::string(text).c_str(), nullptr));
    return std::nullopt;
  }
  if (!(first == '+' || first == '-' || (first >= '0' && first <= '9'))) return std::nullopt;
  if (auto f = special_float(text)) return Json(*f);
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  if (auto i = go_parse_int(plain)) return Json(*i);
  if (looks_like_yaml_float(plain)) {
    errno = 0;
    double d = std::strtod(plain.c_str(), nullptr);
    if (errno != ERANGE) return number_from_double(d);
  }
  return std::nullopt;
}

}  // namespace

Json resolve_plain(std::string_view text, Typing typing) {
  if (is_null_word(text)) return nullptr;
  auto b = typing == Typing::kYaml11 ? yaml11_bool(text) : yaml12_bool(text);
  if (b) return *b;
  if (auto n = resolve_number(text)) return *n;
  return std::string(text);
}

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  if (!resolve_plain(s, Typing::kYaml11).is_string()) return true;
  if (s == "<<" || s == "=") return true;  // merge and value keys of YAML 1.1
  unsigned char first = static_cast<unsigned char>(s[0]);
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(static_cast<char>(first)) != std::string_view::npos)
    return true;
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return true;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return true;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return true;
  }
  return false;
}

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace kmesh::yaml
