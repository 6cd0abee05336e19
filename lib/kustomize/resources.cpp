#include "lib/kustomize/resources.hpp"

#include <deque>

#include "lib/core/strings.hpp"
#include "lib/kustomize/scalars.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kustomize {
namespace {

Status validate(const Json& object, const std::string& where) {
  if (!object.is_object()) return usage_error(where + ": a resource must be a map");
  std::string kind = string_field(object, "kind");
  if (kind.empty()) return usage_error(where + ": missing kind in object");
  const Json* meta = object.contains("metadata") ? &object["metadata"] : nullptr;
  if (!ends_with(kind, "List") && (!meta || string_field(*meta, "name").empty()))
    return usage_error(where + ": missing metadata.name in " + kind);
  return {};
}

const std::vector<std::string> kBuildAnnotations = {
    "config.kubernetes.io/origin",
    "alpha.config.kubernetes.io/transformations",
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
};

}  // namespace

Result<std::vector<Resource>> parse_resources(const std::string& text, const std::string& file) {
  yaml::ParseOptions options;
  options.typing = yaml::Typing::kYaml12;
  options.go_timestamps = true;
  KMESH_ASSIGN_OR_RETURN(auto docs, yaml::parse_documents(text, file, options));
  std::deque<std::pair<Json, std::string>> queue;
  for (auto& d : docs)
    queue.emplace_back(std::move(d.value), where(d));
  std::vector<Resource> out;
  while (!queue.empty()) {
    auto [object, at] = std::move(queue.front());
    queue.pop_front();
    if (object.is_object() && object.empty()) continue;
    KMESH_TRY(validate(object, at));
    std::string kind = string_field(object, "kind");
    if (ends_with(kind, "List") && object.contains("items")) {
      // Kustomize appends a list's items after the file's remaining documents.
      const Json& items = object["items"];
      if (items.is_null()) continue;
      if (!items.is_array()) return usage_error(at + ": expected a list in " + kind + "/items");
      for (const auto& item : items)
        queue.emplace_back(item, at);
      continue;
    }
    Resource r;
    r.object = std::move(object);
    r.source = at;
    out.push_back(std::move(r));
  }
  return out;
}

void finalize_annotations(Resource& resource) {
  Json& meta = resource.object["metadata"];
  if (!meta.is_object()) meta = Json::object();
  auto it = meta.find("annotations");
  if (it == meta.end()) return;
  Json strings = Json::object();
  if (it->is_object())
    for (auto a = it->begin(); a != it->end(); ++a)
      strings[a.key()] = scalar_text(a.value());
  for (const auto& key : kBuildAnnotations)
    strings.erase(key);
  if (strings.empty())
    meta.erase(it);
  else
    *it = std::move(strings);
}

}  // namespace kmesh::kustomize
