#include "lib/core/time.hpp"

#include <cstdio>
#include <cstdlib>
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

// timegm would quietly turn February 30 into March 2; Go's time.Parse rejects it.
int days_in_month(int year, int mon) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return mon == 2 && leap ? 29 : kDays[mon - 1];
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
    if (s.empty() || s[0] < '0' || s[0] > '9') return std::nullopt;  // "." needs a digit
    while (!s.empty() && s[0] >= '0' && s[0] <= '9')
      s.remove_prefix(1);
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
  if (!s.empty() || mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || hour > 23 ||
      min > 59 || sec > 60)
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
    while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.'))
      ++n;
    if (n == 0 || n > 12) return std::nullopt;
    // Digits with at most one point ("1..5s" is not a duration, as in Go).
    std::string number(s.substr(0, n));
    if (number == "." || number.find('.') != number.rfind('.')) return std::nullopt;
    double value = std::strtod(number.c_str(), nullptr);
    s.remove_prefix(n);
    size_t u = 0;
    while (u < s.size() && !((s[u] >= '0' && s[u] <= '9') || s[u] == '.'))
      ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    double scale;
    if (unit == "h")
      scale = 3600e3;
    else if (unit == "m")
      scale = 60e3;
    else if (unit == "s")
      scale = 1e3;
    else if (unit == "ms")
      scale = 1;
    else if (unit == "us" || unit == "µs")
      scale = 1e-3;
    else if (unit == "ns")
      scale = 1e-6;
    else
      return std::nullopt;
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
      while (frac.back() == '0')
        frac.pop_back();
      out += frac;
    }
    out += "s";
  }
  return out;
}

// k8s.io/apimachinery/pkg/util/duration.HumanDuration, which kubectl prints as AGE.
std::string human_age(std::chrono::seconds age) {
  long long s = age.count();
  auto n = [](long long v) { return std::to_string(v); };
  if (s < 0) return "0s";
  if (s < 120) return n(s) + "s";
  long long minutes = s / 60, hours = s / 3600, days = s / 86400;
  if (minutes < 10) return n(minutes) + "m" + (s % 60 ? n(s % 60) + "s" : "");
  if (minutes < 180) return n(minutes) + "m";
  if (hours < 8) return n(hours) + "h" + (minutes % 60 ? n(minutes % 60) + "m" : "");
  if (hours < 48) return n(hours) + "h";
  if (hours < 24 * 8) return n(days) + "d" + (hours % 24 ? n(hours % 24) + "h" : "");
  if (hours < 24 * 365 * 2) return n(days) + "d";
  if (hours < 24 * 365 * 8) return n(days / 365) + "y" + (days % 365 ? n(days % 365) + "d" : "");
  return n(days / 365) + "y";
}

}  // namespace kmesh
