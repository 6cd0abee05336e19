#pragma once
// Reading fields of objects written by hand without ever throwing: a field of the wrong
// type reads as absent (the API server's schema, not the analyzer, rejects those).

#include <string>

#include "lib/yaml/document.hpp"

namespace kmesh::mesh::analyze {

/// j[key] when j is a map holding it, else null.
inline const Json& field(const Json& j, const char* key) {
  static const Json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it != j.end() ? *it : null;
}
/// j[key] as a string, or "".
inline std::string str(const Json& j, const char* key) {
  const Json& v = field(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}
/// j[key] as a list, or an empty one.
inline const Json& list(const Json& j, const char* key) {
  static const Json empty = Json::array();
  const Json& v = field(j, key);
  return v.is_array() ? v : empty;
}
/// j[key] as a map, or an empty one.
inline const Json& map(const Json& j, const char* key) {
  static const Json empty = Json::object();
  const Json& v = field(j, key);
  return v.is_object() ? v : empty;
}
/// j[key] as a number, or `otherwise`.
inline long long number(const Json& j, const char* key, long long otherwise) {
  const Json& v = field(j, key);
  return v.is_number() ? v.get<long long>() : otherwise;
}

}  // namespace kmesh::mesh::analyze
