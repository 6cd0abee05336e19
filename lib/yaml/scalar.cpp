#include "lib/yaml/scalar.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
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

// Go's strconv.ParseInt(s, 0, 64), then ParseUint, after yaml removed underscores: optional
// sign, then a 0x/0o/0b prefix, a leading 0 for octal, or decimal. Positive values beyond
// int64 are uint64, as yaml.v2 and v3 read them; beyond that the float rule decides.
std::optional<Json> go_parse_int(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X')
      base = 16, s.remove_prefix(2);
    else if (p == 'o' || p == 'O')
      base = 8, s.remove_prefix(2);
    else if (p == 'b' || p == 'B')
      base = 2, s.remove_prefix(2);
    else
      base = 8, s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  unsigned __int128 value = 0;
  for (char c : s) {
    int d = digit_value(c);
    if (d >= base) return std::nullopt;
    value = value * base + d;
    if (value > UINT64_MAX) return std::nullopt;
  }
  if (negative) {
    if (value > static_cast<unsigned __int128>(INT64_MAX) + 1) return std::nullopt;
    return Json(static_cast<int64_t>(-value));
  }
  if (value > INT64_MAX) return Json(static_cast<uint64_t>(value));
  return Json(static_cast<int64_t>(value));
}

// yaml.v2's float syntax: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool looks_like_yaml_float(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
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
    if (looks_like_yaml_float(text))
      return number_from_double(std::strtod(std::string(text).c_str(), nullptr));
    return std::nullopt;
  }
  if (!(first == '+' || first == '-' || (first >= '0' && first <= '9'))) return std::nullopt;
  if (auto f = special_float(text)) return Json(*f);
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  if (auto i = go_parse_int(plain)) return *i;
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
  if (s == "<<" || s == "=") return true;    // merge and value keys of YAML 1.1
  if (s.substr(0, 3) == "...") return true;  // at a line's start, "... x" ends the document
  unsigned char first = static_cast<unsigned char>(s[0]);
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(static_cast<char>(first)) !=
      std::string_view::npos)
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

namespace kmesh::yaml {
namespace {

// Reads 1 to `max` digits at s[i], as Go's time parser reads "1", "2", "15", "4" and "5".
std::optional<int> read_number(std::string_view s, size_t& i, size_t min, size_t max) {
  size_t start = i;
  int v = 0;
  while (i < s.size() && i - start < max && s[i] >= '0' && s[i] <= '9')
    v = v * 10 + (s[i++] - '0');
  if (i - start < min) return std::nullopt;
  return v;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

struct Stamp {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string fraction;  // digits after the point, trailing zeros removed
  int offset_minutes = 0;
};

// Go's time.Parse for yaml.v3's layouts: date, then optional [Tt ]time, fraction and zone
// (a zone only after 'T' or 't').
std::optional<Stamp> parse_stamp(std::string_view s) {
  Stamp t;
  size_t i = 0;
  auto year = read_number(s, i, 4, 4);
  if (!year || i >= s.size() || s[i++] != '-') return std::nullopt;
  auto month = read_number(s, i, 1, 2);
  if (!month || i >= s.size() || s[i++] != '-') return std::nullopt;
  auto day = read_number(s, i, 1, 2);
  if (!day) return std::nullopt;
  t.year = *year, t.month = *month, t.day = *day;
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in(t.year, t.month))
    return std::nullopt;
  if (i == s.size()) return t;
  char sep = s[i++];
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  auto hour = read_number(s, i, 1, 2);
  if (!hour || i >= s.size() || s[i++] != ':') return std::nullopt;
  auto minute = read_number(s, i, 1, 2);
  if (!minute || i >= s.size() || s[i++] != ':') return std::nullopt;
  auto second = read_number(s, i, 1, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  t.hour = *hour, t.minute = *minute, t.second = *second;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    if (i == start || i - start > 9) return std::nullopt;
    t.fraction = std::string(s.substr(start, i - start));
    while (!t.fraction.empty() && t.fraction.back() == '0')
      t.fraction.pop_back();
  }
  if (sep == ' ') return i == s.size() ? std::optional<Stamp>(t) : std::nullopt;
  if (i < s.size() && s[i] == 'Z') return ++i == s.size() ? std::optional<Stamp>(t) : std::nullopt;
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return std::nullopt;
  int sign = s[i++] == '-' ? -1 : 1;
  auto zh = read_number(s, i, 2, 2);
  if (!zh || i >= s.size() || s[i++] != ':') return std::nullopt;
  auto zm = read_number(s, i, 2, 2);
  if (!zm || i != s.size()) return std::nullopt;
  t.offset_minutes = sign * (*zh * 60 + *zm);
  return t;
}

}  // namespace

std::optional<std::string> go_timestamp(std::string_view text) {
  auto t = parse_stamp(text);
  if (!t) return std::nullopt;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t->year, t->month, t->day,
                t->hour, t->minute, t->second);
  std::string out = buf;
  if (!t->fraction.empty()) out += "." + t->fraction;
  if (t->offset_minutes == 0) return out + "Z";
  int m = std::abs(t->offset_minutes);
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", t->offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
  return out + buf;
}

}  // namespace kmesh::yaml
