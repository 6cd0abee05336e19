// YAML exactly as Go's sigs.k8s.io/yaml writes a JSON value (goyaml.v2's encoder and
// emitter, best width 80): what `kubectl kustomize` and `kubectl get -o yaml` print. The rules
// below are goyaml's: key order, the choice between plain, single-quoted, double-quoted and
// literal scalars, line folding of long scalars, and number formatting.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "lib/yaml/emit.hpp"
#include "lib/yaml/scalar.hpp"

namespace kmesh::yaml {
namespace {

constexpr int kBestWidth = 80;

// ---- key order: goyaml's keyList.Less (digits compare as numbers, non-letters first) ----

std::u32string runes(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    char32_t r = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k)
      r = (r << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(r);
    i += n;
  }
  return out;
}

bool is_letter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  return r >= 0xAA;  // close enough for keys: non-ASCII letters sort with the letters
}
bool is_digit(char32_t r) {
  return r >= '0' && r <= '9';
}

bool key_less(const std::string& as, const std::string& bs) {
  std::u32string a = runes(as), b = runes(bs);
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == b[i]) continue;
    bool al = is_letter(a[i]), bl = is_letter(b[i]);
    if (al && bl) return a[i] < b[i];
    if (al || bl) return bl;
    long long an = 0, bn = 0;
    if (a[i] == '0' || b[i] == '0') {
      for (size_t j = i; j-- > 0 && is_digit(a[j]);)
        if (a[j] != '0') {
          an = bn = 1;
          break;
        }
    }
    size_t ai = i, bi = i;
    for (; ai < a.size() && is_digit(a[ai]); ++ai)
      an = an * 10 + (a[ai] - '0');
    for (; bi < b.size() && is_digit(b[bi]); ++bi)
      bn = bn * 10 + (b[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return a[i] < b[i];
  }
  return a.size() < b.size();
}

std::vector<std::pair<std::string, const Json*>> sorted_entries(const Json& map) {
  std::vector<std::pair<std::string, const Json*>> entries;
  for (auto it = map.begin(); it != map.end(); ++it)
    entries.emplace_back(it.key(), &it.value());
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& x, const auto& y) { return key_less(x.first, y.first); });
  return entries;
}

// ---- scalar analysis: goyaml's yaml_emitter_analyze_scalar ----

size_t width(unsigned char c) {
  return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
}

unsigned char at(const std::string& s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

bool printable(const std::string& s, size_t i) {
  unsigned char b = at(s, i), b1 = at(s, i + 1), b2 = at(s, i + 2);
  return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && b1 >= 0xA0) ||
         (b > 0xC2 && b < 0xED) || (b == 0xED && b1 < 0xA0) || b == 0xEE ||
         (b == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)));
}

bool is_break(const std::string& s, size_t i) {
  unsigned char b = at(s, i), b1 = at(s, i + 1), b2 = at(s, i + 2);
  return b == '\r' || b == '\n' || (b == 0xC2 && b1 == 0x85) ||
         (b == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9));
}

bool is_blankz(const std::string& s, size_t i) {
  return i >= s.size() || at(s, i) == ' ' || at(s, i) == '\t' || is_break(s, i) || at(s, i) == 0;
}

struct Analysis {
  bool multiline = false;
  bool plain_allowed = true;  // block context
  bool single_allowed = true;
  bool block_allowed = true;
};

Analysis analyze(const std::string& v) {
  Analysis a;
  if (v.empty()) {
    a.block_allowed = false;
    return a;
  }
  bool block_ind = false, special = false, line_breaks = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, prev_space = false, prev_break = false;
  bool preceded_by_ws = true;
  if (v.size() >= 3 && (v.compare(0, 3, "---") == 0 || v.compare(0, 3, "...") == 0))
    block_ind = true;
  for (size_t i = 0; i < v.size(); i += width(at(v, i))) {
    size_t w = width(at(v, i));
    bool followed_by_ws = i + w >= v.size() || at(v, i + w) == ' ' || at(v, i + w) == '\t';
    char c = v[i];
    if (i == 0) {
      if (std::string_view("#,[]{}&*!|>'\"%@`").find(c) != std::string_view::npos) block_ind = true;
      if ((c == '?' || c == ':' || c == '-') && followed_by_ws) block_ind = true;
    } else if ((c == ':' && followed_by_ws) || (c == '#' && preceded_by_ws)) {
      block_ind = true;
    }
    if (!printable(v, i)) special = true;
    if (c == ' ') {
      if (i == 0) leading_space = true;
      if (i + w == v.size()) trailing_space = true;
      if (prev_break) break_space = true;
      prev_space = true, prev_break = false;
    } else if (is_break(v, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == v.size()) trailing_break = true;
      if (prev_space) space_break = true;
      prev_space = false, prev_break = true;
    } else {
      prev_space = prev_break = false;
    }
    preceded_by_ws = is_blankz(v, i);
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) a.plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) a.plain_allowed = a.single_allowed = false;
  if (space_break || special) a.plain_allowed = a.single_allowed = a.block_allowed = false;
  if (line_breaks || block_ind) a.plain_allowed = false;
  return a;
}

// goyaml's isBase60Float, ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ : "1:20" would
// read as a number in YAML 1.1, so it is quoted.
bool is_base60_float(const std::string& s) {
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (!digit(i)) return false;
  ++i;
  while (digit(i) || (i < s.size() && s[i] == '_'))
    ++i;
  bool groups = false;
  while (i < s.size() && s[i] == ':') {
    ++i;
    if (digit(i) && s[i] <= '5' && digit(i + 1))
      i += 2;
    else if (digit(i))
      i += 1;
    else
      return false;
    groups = true;
  }
  if (!groups) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (digit(i) || (i < s.size() && s[i] == '_'))
      ++i;
  }
  return i == s.size();
}

// Strings a YAML 1.1 reader would take for something else (goyaml's resolve), or that look
// like timestamps, are double-quoted.
bool resolves_to_non_string(const std::string& s) {
  if (!resolve_plain(s, Typing::kYaml11).is_string()) return true;
  if (is_base60_float(s)) return true;
  return go_timestamp(s).has_value();
}

// ---- writers ----

class Writer {
 public:
  std::string out;

  void newline() {
    out += '\n';
    column_ = 0;
  }
  void indent(int n) {
    out.append(static_cast<size_t>(n), ' ');
    column_ += n;
  }
  void text(std::string_view s) {
    out += s;
    for (size_t i = 0; i < s.size(); i += width(static_cast<unsigned char>(s[i])))
      ++column_;
  }
  void put_char(const std::string& s, size_t& i) {
    size_t w = width(at(s, i));
    text(std::string_view(s).substr(i, w));
    i += w;
  }
  int column() const { return column_; }
  // goyaml's write_break: '\n' starts a line; other breaks (\r, NEL, LS, PS) are copied.
  void line_break(const std::string& s, size_t& i) {
    if (s[i] == '\n') {
      newline();
      ++i;
      return;
    }
    put_char(s, i);
    column_ = 0;
  }

  void plain(const std::string& v, int ind, bool allow_breaks) {
    bool spaces = false;
    for (size_t i = 0; i < v.size();) {
      if (v[i] == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && at(v, i + 1) != ' ') {
          newline(), indent(ind), ++i;
        } else {
          put_char(v, i);
        }
        spaces = true;
      } else {
        put_char(v, i);
        spaces = false;
      }
    }
  }

  void single_quoted(const std::string& v, int ind, bool allow_breaks) {
    text("'");
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < v.size();) {
      if (v[i] == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i + 1 < v.size() &&
            at(v, i + 1) != ' ') {
          newline(), indent(ind), ++i;
        } else {
          put_char(v, i);
        }
        spaces = true;
      } else if (is_break(v, i)) {
        if (!breaks && v[i] == '\n') newline();
        line_break(v, i);
        breaks = true;
      } else {
        if (breaks) indent(ind);
        if (v[i] == '\'') text("'");
        put_char(v, i);
        spaces = breaks = false;
      }
    }
    text("'");
  }

  void double_quoted(const std::string& v, int ind, bool allow_breaks) {
    text("\"");
    bool spaces = false;
    for (size_t i = 0; i < v.size();) {
      unsigned char c = at(v, i);
      bool bom = c == 0xEF && at(v, i + 1) == 0xBB && at(v, i + 2) == 0xBF;
      if (!printable(v, i) || bom || is_break(v, i) || c == '"' || c == '\\') {
        escape(v, i);
        spaces = false;
      } else if (c == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i + 1 < v.size()) {
          newline(), indent(ind);
          if (at(v, i + 1) == ' ') text("\\");
          ++i;
        } else {
          put_char(v, i);
        }
        spaces = true;
      } else {
        put_char(v, i);
        spaces = false;
      }
    }
    text("\"");
  }

  void literal(const std::string& v, int ind) {
    text("|");
    if (v[0] == ' ' || is_break(v, 0)) text("2");
    size_t last = v.size() - 1;
    while (last > 0 && (at(v, last) & 0xC0) == 0x80)
      --last;
    if (!is_break(v, last)) {
      text("-");
    } else if (last == 0) {
      text("+");
    } else {
      size_t prev = last - 1;
      while (prev > 0 && (at(v, prev) & 0xC0) == 0x80)
        --prev;
      if (is_break(v, prev)) text("+");
    }
    newline();
    // The caller ends the line; the text's own last line break is that one.
    size_t end = v.size();
    if (is_break(v, last)) end = last;
    bool breaks = true;
    for (size_t i = 0; i < end;) {
      if (is_break(v, i)) {
        line_break(v, i);
        breaks = true;
      } else {
        if (breaks) indent(ind);
        put_char(v, i);
        breaks = false;
      }
    }
  }

 private:
  void escape(const std::string& v, size_t& i) {
    unsigned char octet = at(v, i);
    size_t w = width(octet);
    char32_t r = w == 1   ? octet
                 : w == 2 ? (octet & 0x1F)
                 : w == 3 ? (octet & 0x0F)
                          : (octet & 0x07);
    for (size_t k = 1; k < w; ++k)
      r = (r << 6) | (at(v, i + k) & 0x3F);
    i += w;
    static const std::pair<char32_t, const char*> named[] = {
        {0x00, "\\0"},  {0x07, "\\a"}, {0x08, "\\b"}, {0x09, "\\t"},   {0x0A, "\\n"},
        {0x0B, "\\v"},  {0x0C, "\\f"}, {0x0D, "\\r"}, {0x1B, "\\e"},   {0x22, "\\\""},
        {0x5C, "\\\\"}, {0x85, "\\N"}, {0xA0, "\\_"}, {0x2028, "\\L"}, {0x2029, "\\P"}};
    for (const auto& [code, text_] : named)
      if (r == code) return text(text_);
    char buf[16];
    if (r <= 0xFF)
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(r));
    else if (r <= 0xFFFF)
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(r));
    else
      std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(r));
    text(buf);
  }

  int column_ = 0;
};

// Go's strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form below 1e-4 or
// from 1e21 (whole numbers below that arrive as integers through JSON).
std::string go_float(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  if (d == std::floor(d) && std::fabs(d) < 1e21) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  char buf[40];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string e = buf;  // d.ddde[+-]XX
  size_t epos = e.find('e');
  std::string mantissa = e.substr(0, epos);
  int exp = std::atoi(e.c_str() + epos + 1);
  if (exp < -4 || exp >= 6) {
    char tail[16];
    std::snprintf(tail, sizeof tail, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return mantissa + tail;
  }
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, precision - 1 - exp), d);
  return buf;
}

enum class Context { kValue, kKey };

void write_scalar(Writer& w, const Json& v, int ind, Context ctx) {
  switch (v.type()) {
    case Json::value_t::null:
      return w.text("null");
    case Json::value_t::boolean:
      return w.text(v.get<bool>() ? "true" : "false");
    case Json::value_t::number_float:
      return w.text(go_float(v.get<double>()));
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return w.text(v.dump());
    case Json::value_t::object:
      return w.text("{}");
    case Json::value_t::array:
      return w.text("[]");
    default:
      break;
  }
  const std::string& s = v.get_ref<const std::string&>();
  Analysis a = analyze(s);
  bool key = ctx == Context::kKey;
  // goyaml's encoder asks for literal style with a newline, plain when it reads back as a
  // string, double quotes otherwise; the emitter then downgrades what the text cannot carry.
  enum {
    kPlain,
    kSingle,
    kDouble,
    kLiteral
  } style = s.find('\n') != std::string::npos ? kLiteral
            : resolves_to_non_string(s)       ? kDouble
                                              : kPlain;
  if (key && a.multiline) style = kDouble;
  // goyaml writes a key named "<<" plain, and every YAML 1.1 reader (goyaml too) reads that
  // back as a merge key: quoted, the key survives. (Found by the yaml_load fuzz target.)
  if (key && s == "<<") style = kDouble;
  if (style == kPlain && (!a.plain_allowed || (s.empty() && key))) style = kSingle;
  if (style == kSingle && !a.single_allowed) style = kDouble;
  if (style == kLiteral && (!a.block_allowed || key)) style = kDouble;
  switch (style) {
    case kPlain:
      return w.plain(s, ind, !key);
    case kSingle:
      return w.single_quoted(s, ind, !key);
    case kDouble:
      return w.double_quoted(s, ind, !key);
    case kLiteral:
      return w.literal(s, ind);
  }
}

void write_node(Writer& w, const Json& v, int ind);

void write_map(Writer& w, const Json& v, int ind, bool first_inline) {
  bool first = true;
  for (const auto& [key, value] : sorted_entries(v)) {
    if (!(first && first_inline)) w.indent(ind);
    first = false;
    write_scalar(w, Json(key), ind + 2, Context::kKey);
    w.text(":");
    if (value->is_object() && !value->empty()) {
      w.newline();
      write_map(w, *value, ind + 2, false);
    } else if (value->is_array() && !value->empty()) {
      w.newline();
      write_node(w, *value, ind);  // lists are not indented under their key
    } else {
      w.text(" ");
      write_scalar(w, *value, ind + 2, Context::kValue);
      w.newline();
    }
  }
}

void write_list(Writer& w, const Json& v, int ind, bool first_inline) {
  bool first = true;
  for (const auto& item : v) {
    if (!(first && first_inline)) w.indent(ind);
    first = false;
    w.text("- ");
    if (item.is_object() && !item.empty()) {
      write_map(w, item, ind + 2, true);
    } else if (item.is_array() && !item.empty()) {
      write_list(w, item, ind + 2, true);
    } else {
      write_scalar(w, item, ind + 2, Context::kValue);
      w.newline();
    }
  }
}

void write_node(Writer& w, const Json& v, int ind) {
  if (v.is_object() && !v.empty()) return write_map(w, v, ind, false);
  if (v.is_array() && !v.empty()) return write_list(w, v, ind, false);
  write_scalar(w, v, ind, Context::kValue);
  w.newline();
}

}  // namespace

std::string emit_goyaml(const Json& value) {
  Writer w;
  write_node(w, value, 0);
  return std::move(w.out);
}

std::string emit_all_goyaml(const std::vector<Json>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += "---\n";
    out += emit_goyaml(values[i]);
  }
  return out;
}

}  // namespace kmesh::yaml
