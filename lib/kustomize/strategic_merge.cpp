// A port of the parts of kyaml's merge2 walker that Kustomize's patches use. Kyaml mutates
// YAML nodes in place and some of its results depend on which node a value came from; the
// `from_dest` flag below carries that, so the quirks (patch items first, multi-key lists
// reordered) come out as Kustomize's do.

#include "lib/kustomize/strategic_merge.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "lib/core/strings.hpp"
#include "lib/kustomize/resource.hpp"
#include "lib/kustomize/scalars.hpp"
#include "lib/kustomize/schema.hpp"
#include "lib/yaml/scalar.hpp"

namespace kmesh::kustomize {
namespace {

using Src = std::optional<Json>;  // nothing: the field is absent from that side
using Strings = std::vector<std::string>;

// The outcome of walking one field.
struct Out {
  bool clear = false;      // remove the field
  Json value;              // the merged value otherwise
  bool keep_null = false;  // a null that stays (kyaml's persistent null)
  bool from_dest = false;  // value is the target's own node, merged in place

  static Out cleared() { return {true, nullptr, false, false}; }
  static Out of(Json v, bool from_dest = false) { return {false, std::move(v), false, from_dest}; }
};

enum class Kind { kNone, kMap, kSeq, kScalar };
enum class Directive { kMerge, kReplace, kDelete };

Kind kind_of(const Json& v) {
  if (v.is_null()) return Kind::kNone;
  if (v.is_object()) return Kind::kMap;
  if (v.is_array()) return Kind::kSeq;
  return Kind::kScalar;
}

// The text kyaml compares for a node: scalars as written, maps and lists as "".
std::string node_text(const Json& v) {
  return v.is_structured() ? "" : scalar_text(v);
}

bool nil_or_empty(const Json& v) {
  return v.is_null() || (v.is_structured() && v.empty());
}

Result<Out> walk(Src dest, Src patch, SchemaNode schema, const std::string& path);

Result<Directive> directive_text(const std::string& v) {
  if (v == "delete") return Directive::kDelete;
  if (v == "replace") return Directive::kReplace;
  if (v == "merge") return Directive::kMerge;
  return usage_error("unknown patch strategy '" + v + "'");
}

// ---- kyaml's element matching and setting, on JSON lists ----

// FieldMatcher{Name, StringValue}: an empty value only asks for the field to exist.
Result<bool> field_matches(const Json& elem, const std::string& key, const std::string& value) {
  if (elem.is_null()) return false;
  if (key.empty()) {
    if (elem.is_structured()) return usage_error("wrong node kind: expected a scalar list element");
    return node_text(elem) == value;
  }
  if (!elem.is_object()) return usage_error("wrong node kind: expected a map list element");
  auto it = elem.find(key);
  if (it == elem.end()) return false;
  return value.empty() || node_text(*it) == value;
}

// ElementSetter: drops null and empty-map items, replaces the items matching keys/values
// with `element` (or removes them when there is none) and appends it when none matched.
Status set_element(Json& list, const Src& element, Strings keys, const Strings& values) {
  if (keys.empty()) keys.push_back("");
  if (!list.is_array()) return usage_error("wrong node kind: expected a list");
  bool mapping_setter = !keys[0].empty() && !values.empty() && !values[0].empty();
  Json kept = Json::array();
  bool matched = false;
  for (auto& item : list) {
    if (item.is_null() || (item.is_object() && item.empty())) continue;
    if (!item.is_object() && mapping_setter) {
      kept.push_back(std::move(item));
      continue;
    }
    bool found = false;
    for (size_t j = 0; j < keys.size(); ++j) {
      if (j < values.size()) {
        KMESH_ASSIGN_OR_RETURN(found, field_matches(item, keys[j], values[j]));
      }
      if (!found) break;
    }
    if (!found) {
      if (!values.empty()) kept.push_back(std::move(item));
      continue;
    }
    matched = true;
    if (element && !element->is_null()) kept.push_back(*element);
  }
  list = std::move(kept);
  if (!element || element->is_null()) return {};
  if (!matched) list.push_back(*element);
  return {};
}

// ElementMatcher with exact values: the first item whose keys all have those values.
int find_element(const Json& list, const Strings& keys, const Strings& values) {
  if (!list.is_array()) return -1;
  std::string first = values.empty() ? "" : values[0];
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& item = list[i];
    if (keys.empty() || keys[0].empty()) {
      if (node_text(item) == first) return static_cast<int>(i);
      continue;
    }
    if (!item.is_object()) continue;
    bool all = true;
    for (size_t k = 0; k < keys.size() && all; ++k) {
      auto it = item.find(keys[k]);
      all = it != item.end() && k < values.size() && node_text(*it) == values[k];
    }
    if (all) return static_cast<int>(i);
  }
  return -1;
}

// ---- directives ----

// Reads and removes a `$patch` directive from a patch map or list.
Result<Directive> take_directive(Json& patch) {
  if (patch.is_object()) {
    auto it = patch.find("$patch");
    if (it == patch.end()) return Directive::kMerge;
    KMESH_ASSIGN_OR_RETURN(Directive d, directive_text(node_text(*it)));
    patch.erase(it);
    return d;
  }
  if (patch.is_array()) {
    for (const auto& item : patch) {
      if (!item.is_object() || !item.contains("$patch")) continue;
      if (item.size() > 1) return Directive::kMerge;
      std::string v = node_text(item["$patch"]);
      KMESH_ASSIGN_OR_RETURN(Directive d, directive_text(v));
      KMESH_TRY(set_element(patch, std::nullopt, {"$patch"}, {v}));
      return d;
    }
    return Directive::kMerge;
  }
  return usage_error("no implemented strategic merge patch strategy for a scalar");
}

// ---- maps ----

Result<Out> visit_map(const Src& dest, Src& patch) {
  if (!dest || dest->is_null()) {
    Directive d = Directive::kMerge;
    if (patch) {
      auto taken = take_directive(*patch);
      if (taken.ok()) d = *taken;
    }
    if (d == Directive::kDelete) return Out::cleared();
    if (!patch && dest) return Out{false, nullptr, true, false};
    if (!patch) return Out::cleared();
    return Out::of(*patch);
  }
  if (patch && patch->is_null()) return Out::cleared();
  Directive d = Directive::kMerge;
  if (patch) {
    KMESH_ASSIGN_OR_RETURN(d, take_directive(*patch));
  }
  if (d == Directive::kDelete) return Out::cleared();
  if (d == Directive::kReplace) return Out::of(*patch);
  return Out::of(*dest, true);
}

void store(Json& map, const std::string& key, Out out) {
  if (out.clear || (out.value.is_null() && !out.keep_null))
    map.erase(key);
  else
    map[key] = std::move(out.value);
}

Result<Out> walk_map(const Src& dest, Src patch, SchemaNode schema, const std::string& path) {
  KMESH_ASSIGN_OR_RETURN(Out out, visit_map(dest, patch));
  if (out.clear || !out.value.is_object()) return out;
  Json& merged = out.value;
  std::set<std::string> keys;
  for (auto it = merged.begin(); it != merged.end(); ++it)
    keys.insert(it.key());
  if (patch && patch->is_object())
    for (auto it = patch->begin(); it != patch->end(); ++it)
      keys.insert(it.key());
  for (const auto& key : keys) {
    Src d, p;
    if (auto it = merged.find(key); it != merged.end()) d = std::move(*it);
    if (patch && patch->is_object())
      if (auto it = patch->find(key); it != patch->end()) p = *it;
    KMESH_ASSIGN_OR_RETURN(
        Out child, walk(std::move(d), std::move(p), schema_field(schema, key), path + "." + key));
    store(merged, key, std::move(child));
  }
  return out;
}

// ---- lists ----

bool is_associative(SchemaNode schema) {
  if (!schema) return false;
  for (const auto& s : split(patch_strategy(schema), ','))
    if (s == "merge") return true;
  return false;
}

std::vector<Strings> element_values(const Strings& keys, const Src& patch, const Json& dest) {
  std::vector<Strings> out;
  std::set<Strings> seen;
  for (const Json* src : {patch ? &*patch : nullptr, &dest}) {
    if (!src || !src->is_array()) continue;
    for (const auto& elem : *src) {
      Strings values;
      for (const auto& key : keys) {
        const Json* f = elem.is_object() && elem.contains(key) ? &elem[key] : nullptr;
        values.push_back(!f || nil_or_empty(*f) ? "" : node_text(*f));
      }
      if (values.empty() || !seen.insert(values).second) continue;
      out.push_back(std::move(values));
    }
  }
  return out;
}

std::vector<Strings> primitive_values(const Src& patch, const Json& dest) {
  std::vector<Strings> out;
  std::set<std::string> seen;
  for (const Json* src : {patch ? &*patch : nullptr, &dest}) {
    if (!src || !src->is_array()) continue;
    for (const auto& item : *src)
      if (seen.insert(node_text(item)).second) out.push_back({node_text(item)});
  }
  return out;
}

std::pair<Strings, Strings> validate_keys(const std::vector<Strings>& all, const Strings& values,
                                          const Strings& keys) {
  std::set<std::string> valid;
  for (const auto& vs : all)
    for (size_t i = 0; i < vs.size() && i < keys.size(); ++i)
      if (!vs[i].empty()) valid.insert(keys[i]);
  if (valid.empty()) return {keys, values};
  Strings valid_keys, valid_values;
  for (const auto& k : keys)
    if (valid.count(k)) valid_keys.push_back(k);
  for (size_t i = 0; i < values.size() && i < keys.size(); ++i)
    if (!values[i].empty() || valid.count(keys[i])) valid_values.push_back(values[i]);
  return {valid_keys, valid_values};
}

std::pair<bool, Strings> match_values(const Strings& a, const Strings& b) {
  if (a.size() != b.size()) return {false, {}};
  bool common = false;
  Strings res;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) {
      common = true;
      res.push_back(a[i]);
      continue;
    }
    if (!a[i].empty() && !b[i].empty()) return {false, {}};
    res.push_back(!a[i].empty() ? a[i] : b[i]);
  }
  return {common, res};
}

void merge_values(std::vector<Strings>& all) {
  for (size_t i = 0; i < all.size(); ++i) {
    Strings first = all[i];
    for (size_t j = 0; j < all.size(); ++j) {
      auto [matched, res] = match_values(first, all[j]);
      if (matched) all[i] = all[j] = res;
    }
  }
}

// appendListNode: the target's items go into `items`, replacing those with the same keys.
Result<Json> append_list_node(Json items, const Json& dest, const Strings& keys) {
  if (!dest.is_array()) return items;
  for (const auto& elem : dest) {
    if (keys.empty() || keys[0].empty()) {
      KMESH_TRY(set_element(items, elem, {""}, {node_text(elem)}));
      continue;
    }
    Strings values;
    for (const auto& key : keys) {
      if (!elem.is_null() && !elem.is_object())
        return usage_error("wrong node kind: expected a map list element");
      if (elem.is_null() || !elem.contains(key)) {
        items.push_back(elem);
        continue;
      }
      values.push_back(node_text(elem[key]));
    }
    if (keys.size() > 1) KMESH_TRY(set_element(items, std::nullopt, keys, values));
    KMESH_TRY(set_element(items, elem, keys, values));
  }
  return items;
}

// Adds a merge key the merged element lost, as kyaml does (untyped, so typed on output).
void restore_key(Out& val, const std::string& key, const std::string& value) {
  if (!val.value.is_object() || val.value.contains(key) || value.empty()) return;
  val.value[key] = yaml::resolve_plain(value, yaml::Typing::kYaml12);
}

Result<Out> set_elements(std::vector<Strings> all, const Strings& keys, Json dest, Src patch,
                         SchemaNode schema, const std::string& path) {
  Json items = Json::array();
  SchemaNode element_schema = schema_elements(schema);
  if (keys.size() > 1) merge_values(all);
  Strings valid_keys, valid_values;
  for (const auto& values : all) {
    if (values.empty()) continue;
    std::tie(valid_keys, valid_values) = validate_keys(all, values, keys);
    auto [match_keys, match_vals] = validate_keys({valid_values}, valid_values, valid_keys);
    int di = find_element(dest, match_keys, match_vals);
    int pi = patch ? find_element(*patch, match_keys, match_vals) : -1;
    Src d = di >= 0 ? Src(dest[di]) : std::nullopt;
    Src p = pi >= 0 ? Src((*patch)[pi]) : std::nullopt;
    KMESH_ASSIGN_OR_RETURN(Out val, walk(std::move(d), std::move(p), element_schema, path + "[]"));
    bool removed = val.clear || val.value.is_null() || (val.value.is_object() && val.value.empty());
    if (removed) {
      KMESH_TRY(set_element(dest, std::nullopt, valid_keys, valid_values));
      continue;
    }
    for (size_t i = 0; i < valid_keys.size() && i < valid_values.size(); ++i)
      restore_key(val, valid_keys[i], valid_values[i]);
    if (di >= 0 && val.from_dest) dest[di] = val.value;
    KMESH_TRY(set_element(items, val.value, valid_keys, valid_values));
  }
  if (!all.empty()) {
    KMESH_ASSIGN_OR_RETURN(dest, append_list_node(std::move(items), dest, valid_keys));
  }
  if (dest.is_null()) return Out::cleared();
  return Out::of(std::move(dest));
}

Result<Out> walk_associative(const Src& dest, Src patch, SchemaNode schema,
                             const std::string& path) {
  Out visited;
  if (!dest || dest->is_null()) {
    if (!patch) return Out::cleared();
    visited = Out::of(*patch);
  } else if (patch && patch->is_null()) {
    return Out::cleared();
  } else {
    Directive d = Directive::kMerge;
    if (patch) {
      KMESH_ASSIGN_OR_RETURN(d, take_directive(*patch));
    }
    if (d == Directive::kDelete) return Out::cleared();
    visited = d == Directive::kReplace ? Out::of(*patch) : Out::of(*dest, true);
  }
  Strings keys = merge_keys(schema);
  auto values = element_values(keys, patch, visited.value);
  if (!values.empty() || !keys.empty())
    return set_elements(std::move(values), keys, std::move(visited.value), std::move(patch), schema,
                        path);
  return set_elements(primitive_values(patch, visited.value), {""}, std::move(visited.value),
                      std::move(patch), schema, path);
}

// ---- dispatch ----

SchemaNode schema_from_type_fields(const Src& dest, const Src& patch) {
  for (const Src* s : {&dest, &patch}) {
    if (!*s || !(*s)->is_object()) continue;
    std::string api_version = string_field(**s, "apiVersion"), kind = string_field(**s, "kind");
    if (api_version.empty() || kind.empty()) continue;
    if (SchemaNode found = schema_for_type(api_version, kind)) return found;
  }
  return nullptr;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kMap:
      return "a map";
    case Kind::kSeq:
      return "a list";
    default:
      return "a scalar";
  }
}

Result<Out> walk(Src dest, Src patch, SchemaNode schema, const std::string& path) {
  if (!schema) schema = schema_from_type_fields(dest, patch);
  Kind kind = Kind::kNone;
  for (const Src* s : {&dest, &patch})
    if (kind == Kind::kNone && *s) kind = kind_of(**s);
  for (const Src* s : {&dest, &patch})
    if (*s && !(*s)->is_null() && kind_of(**s) != kind)
      return usage_error("strategic merge patch: " + (path.empty() ? std::string(".") : path) +
                         " is " + kind_name(kind_of(**s)) + " on one side and " + kind_name(kind) +
                         " on the other");
  switch (kind) {
    case Kind::kMap:
    case Kind::kNone:
      return walk_map(dest, std::move(patch), schema, path);
    case Kind::kSeq:
      if (is_associative(schema)) return walk_associative(dest, std::move(patch), schema, path);
      if (patch) return Out::of(std::move(*patch));
      return Out::of(std::move(*dest), true);
    case Kind::kScalar:
      if (patch) return Out::of(std::move(*patch));
      return Out::of(std::move(*dest), true);
  }
  return Out::cleared();
}

}  // namespace

Result<std::optional<Json>> strategic_merge(Json target, Json patch) {
  KMESH_ASSIGN_OR_RETURN(Out out, walk(std::move(target), std::move(patch), nullptr, ""));
  if (out.clear || out.value.is_null() || (out.value.is_object() && out.value.empty()))
    return std::optional<Json>();
  return std::optional<Json>(std::move(out.value));
}

}  // namespace kmesh::kustomize
