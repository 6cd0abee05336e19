#include "lib/kustomize/hash.hpp"

#include <openssl/sha.h>

#include <cmath>
#include <cstdio>

#include "lib/kustomize/scalars.hpp"
#include "lib/yaml/scalar.hpp"

namespace kmesh::kustomize {
namespace {

constexpr const char* kHex = "0123456789abcdef";

// Length of the UTF-8 sequence starting at s[i], or 0 if it is not valid UTF-8.
size_t utf8_length(const std::string& s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80             ? 1
             : (c & 0xE0) == 0xC0 ? 2
             : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4
                                  : 0;
  if (n == 0 || i + n > s.size()) return 0;
  return yaml::is_valid_utf8(std::string_view(s).substr(i, n)) ? n : 0;
}

void append_escaped_byte(std::string& out, unsigned char c) {
  switch (c) {
    case '\\':
      out += "\\\\";
      return;
    case '"':
      out += "\\\"";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (c < 0x20 || c == '<' || c == '>' || c == '&') {
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
    return;
  }
  out += static_cast<char>(c);
}

void append_go_string(std::string& out, const std::string& s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    size_t n = utf8_length(s, i);
    if (n == 0) {  // Go replaces invalid bytes with U+FFFD
      out += "\\ufffd";
      ++i;
    } else if (n == 1) {
      append_escaped_byte(out, static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      std::string seq = s.substr(i, n);
      if (seq == "\xE2\x80\xA8")
        out += "\\u2028";
      else if (seq == "\xE2\x80\xA9")
        out += "\\u2029";
      else
        out += seq;
      i += n;
    }
  }
  out += '"';
}

// Go writes float64 in the shortest form, switching to exponents outside [1e-6, 1e21).
std::string go_float(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e21) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  return Json(d).dump();
}

void append_go_json(std::string& out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ',';
        first = false;
        append_go_string(out, it.key());
        out += ':';
        append_go_json(out, it.value());
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        append_go_json(out, v[i]);
      }
      out += ']';
      return;
    }
    case Json::value_t::string:
      append_go_string(out, v.get_ref<const std::string&>());
      return;
    case Json::value_t::number_float:
      out += go_float(v.get<double>());
      return;
    default:
      out += v.dump();
      return;
  }
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string hex;
  for (unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0xF];
  }
  return hex;
}

// Kustomize's lookup of a top-level field: a map as itself, a scalar as its text, and ""
// when absent.
Json node_value(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return "";
  if (it->is_structured()) return *it;
  return scalar_text(*it);
}

Json hash_input(const Json& object) {
  std::string kind = object.value("kind", "");
  Json m = {{"kind", kind}, {"name", ""}};
  if (kind == "Secret") {
    m["type"] = node_value(object, "type");
    m["data"] = node_value(object, "data");
    Json string_data = node_value(object, "stringData");
    if (string_data.is_object()) m["stringData"] = string_data;
    return m;
  }
  m["data"] = node_value(object, "data");
  Json binary = node_value(object, "binaryData");
  if (binary.is_object()) m["binaryData"] = binary;
  return m;
}

}  // namespace

std::string go_json(const Json& value) {
  std::string out;
  append_go_json(out, value);
  return out;
}

std::string encode_hash(const std::string& hex) {
  std::string enc = hex.substr(0, 10);
  for (char& c : enc) {
    switch (c) {
      case '0':
        c = 'g';
        break;
      case '1':
        c = 'h';
        break;
      case '3':
        c = 'k';
        break;
      case 'a':
        c = 'm';
        break;
      case 'e':
        c = 't';
        break;
      default:
        break;
    }
  }
  return enc;
}

std::string content_hash(const Json& object) {
  return encode_hash(sha256_hex(go_json(hash_input(object))));
}

}  // namespace kmesh::kustomize
