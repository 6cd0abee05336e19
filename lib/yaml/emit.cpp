#include "lib/yaml/emit.hpp"

#include <cmath>
#include <cstdio>

#include "lib/yaml/scalar.hpp"

namespace kmesh::yaml {
namespace {

void append_indent(std::string& out, int indent) {
  out.append(static_cast<size_t>(indent), ' ');
}

std::string double_quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// A literal block keeps multi-line text (scripts, embedded config) readable. It cannot
// carry trailing spaces, control characters, or a first line that starts with a space.
bool fits_literal_block(const std::string& s) {
  if (s.find('\n') == std::string::npos) return false;
  if (s.front() == ' ' || s.front() == '\n') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
    if (c == ' ' && (i + 1 == s.size() || s[i + 1] == '\n')) return false;
  }
  return true;
}

void emit_literal_block(std::string& out, const std::string& s, int indent) {
  size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n')
    ++trailing;
  out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
  out += '\n';
  std::string body = s.substr(0, s.size() - trailing);
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    if (end > start) append_indent(out, indent);
    out.append(body, start, end - start);
    out += '\n';
    start = end + 1;
  }
  for (size_t i = 1; i < trailing; ++i)
    out += '\n';
}

std::string string_scalar(const std::string& s) {
  return needs_quotes(s) ? double_quoted(s) : s;
}

void emit_node(std::string& out, const Json& v, int indent);

// Writes the value of a map entry or list item that follows "key:" or "-".
void emit_after_key(std::string& out, const Json& v, int indent, bool in_list) {
  if (v.is_object() && !v.empty()) {
    out += '\n';
    emit_node(out, v, indent);
  } else if (v.is_array() && !v.empty()) {
    out += '\n';
    // kubectl style: a list under a map key starts at the key's own column.
    emit_node(out, v, in_list ? indent : indent - 2);
  } else if (v.is_string() && fits_literal_block(v.get_ref<const std::string&>())) {
    out += ' ';
    emit_literal_block(out, v.get_ref<const std::string&>(), indent);
  } else {
    out += ' ';
    out += emit_scalar(v);
    out += '\n';
  }
}

void emit_map(std::string& out, const Json& v, int indent, bool first_inline) {
  bool first = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!(first && first_inline)) append_indent(out, indent);
    first = false;
    out += string_scalar(it.key());
    out += ':';
    emit_after_key(out, it.value(), indent + 2, false);
  }
}

void emit_list(std::string& out, const Json& v, int indent) {
  for (const auto& item : v) {
    append_indent(out, indent);
    out += '-';
    if (item.is_object() && !item.empty()) {
      out += ' ';
      emit_map(out, item, indent + 2, /*first_inline=*/true);
    } else if (item.is_array() && !item.empty()) {
      out += ' ';
      // A list inside a list: its first item shares this line.
      std::string nested;
      emit_list(nested, item, indent + 2);
      out += nested.substr(static_cast<size_t>(indent + 2));
    } else {
      emit_after_key(out, item, indent + 2, true);
    }
  }
}

void emit_node(std::string& out, const Json& v, int indent) {
  if (v.is_object() && !v.empty()) {
    emit_map(out, v, indent, false);
  } else if (v.is_array() && !v.empty()) {
    emit_list(out, v, indent);
  } else {
    append_indent(out, indent);
    if (v.is_string() && fits_literal_block(v.get_ref<const std::string&>())) {
      emit_literal_block(out, v.get_ref<const std::string&>(), indent + 2);
    } else {
      out += emit_scalar(v);
      out += '\n';
    }
  }
}

}  // namespace

std::string format_number(const Json& n) {
  if (n.is_number_integer()) return n.dump();
  double d = n.get<double>();
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  if (d == std::floor(d) && std::fabs(d) < 1e21) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  return n.dump();
}

std::string emit_scalar(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case Json::value_t::string:
      return string_scalar(v.get_ref<const std::string&>());
    case Json::value_t::object:
      return "{}";
    case Json::value_t::array:
      return "[]";
    default:
      return format_number(v);
  }
}

std::string emit(const Json& value) {
  std::string out;
  emit_node(out, value, 0);
  return out;
}

std::string emit_all(const std::vector<Json>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += "---\n";
    out += emit(values[i]);
  }
  return out;
}

}  // namespace kmesh::yaml
