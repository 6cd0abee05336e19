#include "lib/kustomize/json_patch.hpp"

#include <charconv>

#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kustomize {
namespace {

Result<std::vector<std::string>> split_pointer(const std::string& pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return usage_error("JSON pointer \"" + pointer + "\" must start with /");
  for (const auto& raw : split(pointer.substr(1), '/')) {
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += raw[i];
      }
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::optional<long> parse_index(const std::string& token) {
  long v = 0;
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec != std::errc() || ptr != token.data() + token.size() || token.empty()) return std::nullopt;
  return v;
}

// The container holding the last token of a path, or an error naming the path.
Result<Json*> parent_of(Json& doc, const std::vector<std::string>& tokens,
                        const std::string& path) {
  Json* node = &doc;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (node->is_object()) {
      auto it = node->find(t);
      if (it == node->end()) return usage_error("doc is missing path: \"" + path + "\"");
      node = &*it;
    } else if (node->is_array()) {
      auto idx = parse_index(t);
      if (!idx || *idx < 0 || *idx >= static_cast<long>(node->size()))
        return usage_error("doc is missing path: \"" + path + "\"");
      node = &(*node)[static_cast<size_t>(*idx)];
    } else {
      return usage_error("doc is missing path: \"" + path + "\"");
    }
  }
  return node;
}

Result<size_t> array_index(const Json& array, const std::string& token, bool for_add,
                           const std::string& path) {
  long size = static_cast<long>(array.size());
  if (for_add && token == "-") return static_cast<size_t>(size);
  auto idx = parse_index(token);
  if (!idx) return usage_error("invalid array index \"" + token + "\" in " + path);
  long i = *idx;
  if (i < 0) {
    if (i < -size) return usage_error("unable to access invalid index " + token + " in " + path);
    i += size;
  }
  if (i > size || (!for_add && i == size))
    return usage_error("unable to access invalid index " + token + " in " + path);
  return static_cast<size_t>(i);
}

Result<Json> get(Json& doc, const std::string& path) {
  KMESH_ASSIGN_OR_RETURN(auto tokens, split_pointer(path));
  if (tokens.empty()) return doc;
  KMESH_ASSIGN_OR_RETURN(Json * parent, parent_of(doc, tokens, path));
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    auto it = parent->find(last);
    if (it == parent->end()) return usage_error("doc is missing key: \"" + path + "\"");
    return *it;
  }
  if (parent->is_array()) {
    KMESH_ASSIGN_OR_RETURN(size_t i, array_index(*parent, last, false, path));
    return (*parent)[i];
  }
  return usage_error("doc is missing path: \"" + path + "\"");
}

Status add(Json& doc, const std::string& path, Json value) {
  KMESH_ASSIGN_OR_RETURN(auto tokens, split_pointer(path));
  if (tokens.empty()) {
    doc = std::move(value);
    return {};
  }
  KMESH_ASSIGN_OR_RETURN(Json * parent, parent_of(doc, tokens, path));
  if (parent->is_object()) {
    (*parent)[tokens.back()] = std::move(value);
    return {};
  }
  if (!parent->is_array()) return usage_error("doc is missing path: \"" + path + "\"");
  KMESH_ASSIGN_OR_RETURN(size_t i, array_index(*parent, tokens.back(), true, path));
  parent->insert(parent->begin() + static_cast<long>(i), std::move(value));
  return {};
}

Status remove(Json& doc, const std::string& path) {
  KMESH_ASSIGN_OR_RETURN(auto tokens, split_pointer(path));
  if (tokens.empty()) return usage_error("cannot remove the whole document");
  KMESH_ASSIGN_OR_RETURN(Json * parent, parent_of(doc, tokens, path));
  if (parent->is_object()) {
    if (!parent->erase(tokens.back()))
      return usage_error("unable to remove nonexistent key: " + tokens.back() + " (" + path + ")");
    return {};
  }
  if (!parent->is_array()) return usage_error("doc is missing path: \"" + path + "\"");
  KMESH_ASSIGN_OR_RETURN(size_t i, array_index(*parent, tokens.back(), false, path));
  parent->erase(parent->begin() + static_cast<long>(i));
  return {};
}

Status replace(Json& doc, const std::string& path, Json value) {
  KMESH_ASSIGN_OR_RETURN(auto tokens, split_pointer(path));
  if (tokens.empty()) {
    doc = std::move(value);
    return {};
  }
  KMESH_ASSIGN_OR_RETURN(Json * parent, parent_of(doc, tokens, path));
  if (parent->is_object()) {
    auto it = parent->find(tokens.back());
    if (it == parent->end())
      return usage_error("replace operation does not apply: doc is missing key: " + path);
    *it = std::move(value);
    return {};
  }
  if (!parent->is_array()) return usage_error("doc is missing path: \"" + path + "\"");
  KMESH_ASSIGN_OR_RETURN(size_t i, array_index(*parent, tokens.back(), false, path));
  (*parent)[i] = std::move(value);
  return {};
}

Status test(Json& doc, const std::string& path, const Json& value) {
  auto found = get(doc, path);
  if (!found.ok()) {
    if (value.is_null()) return {};  // a missing value tests equal to null
    return usage_error("testing value " + path + " failed: " + found.error().message);
  }
  if (*found != value) return usage_error("testing value " + path + " failed");
  return {};
}

Result<std::string> string_member(const Json& op, const char* key, const std::string& name) {
  auto it = op.find(key);
  if (it == op.end() || !it->is_string())
    return usage_error("JSON patch operation " + name + " needs a string \"" + key + "\"");
  return it->get<std::string>();
}

Status apply_one(Json& doc, const Json& op) {
  if (!op.is_object()) return usage_error("a JSON patch operation must be a map");
  KMESH_ASSIGN_OR_RETURN(std::string name, string_member(op, "op", "?"));
  KMESH_ASSIGN_OR_RETURN(std::string path, string_member(op, "path", name));
  Json value = op.contains("value") ? op["value"] : Json();
  if (name == "add") return add(doc, path, std::move(value));
  if (name == "remove") return remove(doc, path);
  if (name == "replace") return replace(doc, path, std::move(value));
  if (name == "test") return test(doc, path, value);
  if (name == "move" || name == "copy") {
    KMESH_ASSIGN_OR_RETURN(std::string from, string_member(op, "from", name));
    KMESH_ASSIGN_OR_RETURN(Json moved, get(doc, from));
    if (name == "move") KMESH_TRY(remove(doc, from));
    return add(doc, path, std::move(moved));
  }
  return usage_error("unexpected JSON patch operation \"" + name + "\"");
}

}  // namespace

Result<Json> parse_json_patch(const std::string& text, const std::string& source) {
  yaml::ParseOptions options;
  options.typing = yaml::Typing::kYaml11;
  KMESH_ASSIGN_OR_RETURN(auto doc, yaml::parse_single(text, source, options));
  if (!doc.value.is_array())
    return usage_error(source + ": a JSON patch must be a list of operations");
  return doc.value;
}

Status apply_json_patch(Json& document, const Json& operations) {
  for (const auto& op : operations) {
    KMESH_TRY(apply_one(document, op));
  }
  return {};
}

}  // namespace kmesh::kustomize
