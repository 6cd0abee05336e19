#include "lib/core/time.hpp"

#include <cstdio>
#include <ctime>

namespace kmesh {
namespace {

bool read_int(std::string_view& s, size_t digits, int& out) {
  if (s.size() < digits) return false;
  out = 0;
  for (size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  s.remove_prefix(digits);
  return true;
}

bool expect(std::string_view& s, char c) {
  if (s.empty() || (s[0] != c && !(c == 'T' && (s[0] == 't' || s[0] == ' ')))) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<SystemTime> parse_rfc3339(std::string_view s) {
  std::tm tm{};
  int year, mon, day, hour, min, sec;
  if (!read_int(s, 4, year) || !expect(s, '-') || !read_int(s, 2, mon) || !expect(s, '-') ||
      !read_int(s, 2, day) || !expect(s, 'T') || !read_int(s, 2, hour) || !expect(s, ':') ||
      !read_int(s, 2, min) || !expect(s, ':') || !read_int(s, 2, sec))
    return std::nullopt;
  if (!s.empty() && s[0] == '.') {
    s.remove_prefix(1);
    while (!s.empty() && s[0] >= '0' && s[0] <= '9') s.remove_prefix(1);
  }
  long offset = 0;
  if (!s.empty() && (s[0] == 'Z' || s[0] == 'z')) {
    s.remove_prefix(1);
  } else if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    int sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh, om;
    if (!read_int(s, 2, oh) || !expect(s, ':') || !read_int(s, 2, om)) return std::nullopt;
    offset = sign * (oh * 3600L + om * 60L);
  } else {
    return std::nullopt;
  }
  if (!s.empty() || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  time_t t = timegm(&tm) - offset;
  return std::chrono::system_clock::from_time_t(t);
}

std::string format_rfc3339(SystemTime t) {
  time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s, bool bare_seconds) {
  if (s.empty()) return std::nullopt;
  bool all_digits = s.find_first_not_of("0123456789") == std::string_view::npos;
  if (all_digits) {
    if (!bare_seconds || s.size() > 9) return std::nullopt;
    return std::chrono::seconds(std::stol(std::string(s)));
  }
  double total_ms = 0;
  while (!s.empty()) {
    size_t n = 0;
    while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.')) ++n;
    if (n == 0 || n > 12) return std::nullopt;
    double value = 0;
    if (std::sscanf(std::string(s.substr(0, n)).c_str(), "%lf", &value) != 1) return std::nullopt;
    s.remove_prefix(n);
    size_t u = 0;
    while (u < s.size() && !((s[u] >= '0' && s[u] <= '9') || s[u] == '.')) ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    double scale;
    if (unit == "h") scale = 3600e3;
    else if (unit == "m") scale = 60e3;
    else if (unit == "s") scale = 1e3;
    else if (unit == "ms") scale = 1;
    else if (unit == "us" || unit == "µs") scale = 1e-3;
    else if (unit == "ns") scale = 1e-6;
    else return std::nullopt;
    total_ms += value * scale;
  }
  if (total_ms > 1e13) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(total_ms + 0.5));
}

std::string format_duration(std::chrono::milliseconds d) {
  long long ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms % 1000 != 0 && ms < 1000) return std::to_string(ms) + "ms";
  long long h = ms / 3600000, m = (ms / 60000) % 60, sec = (ms / 1000) % 60, rest = ms % 1000;
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (sec || rest) {
    out += std::to_string(sec);
    if (rest) {
      char buf[8];
      std::snprintf(buf, sizeof buf, ".%03lld", rest);
      std::string frac = buf;
      while (frac.back() == '0') frac.pop_back();
      out += frac;
    }
    out += "s";
  }
  return out;
}

std::string human_age(std::chrono::seconds age) {
  long s = static_cast<long>(age.count());
  if (s < 0) s = 0;
  if (s < 120) return std::to_string(s) + "s";
  if (s < 7200) return std::to_string(s / 60) + "m";
  if (s < 48 * 3600) return std::to_string(s / 3600) + "h";
  return std::to_string(s / 86400) + "d";
}

}  // namespace kmesh
