#include "lib/kustomize/schema.hpp"

#include <map>
#include <utility>

namespace kmesh::kustomize {
namespace {

struct Schema {
  Json root;
  std::map<std::pair<std::string, std::string>, std::string> types;
};

const Schema& schema() {
  static const Schema s = [] {
    Schema out;
    out.root = Json::parse(kSchemaJson);
    for (const auto& t : out.root["types"])
      out.types[{t[0].get<std::string>(), t[1].get<std::string>()}] = t[2].get<std::string>();
    return out;
  }();
  return s;
}

SchemaNode resolve(SchemaNode node) {
  const Json& defs = schema().root["defs"];
  while (node && node->contains("ref")) {
    auto it = defs.find((*node)["ref"].get<std::string>());
    node = it == defs.end() ? nullptr : &*it;
  }
  return node;
}

}  // namespace

SchemaNode schema_for_type(const std::string& api_version, const std::string& kind) {
  const Schema& s = schema();
  auto it = s.types.find({api_version, kind});
  if (it == s.types.end()) return nullptr;
  auto def = s.root["defs"].find(it->second);
  return def == s.root["defs"].end() ? nullptr : &*def;
}

SchemaNode schema_field(SchemaNode node, const std::string& name) {
  if (!node) return nullptr;
  auto props = node->find("p");
  if (props != node->end()) {
    auto it = props->find(name);
    if (it != props->end()) return resolve(&*it);
  }
  auto additional = node->find("a");
  return additional == node->end() ? nullptr : resolve(&*additional);
}

SchemaNode schema_elements(SchemaNode node) {
  if (!node || !node->contains("array")) return nullptr;
  auto items = node->find("items");
  return items == node->end() ? nullptr : resolve(&*items);
}

std::string patch_strategy(SchemaNode node) {
  if (!node) return "";
  auto it = node->find("ps");
  return it == node->end() ? "" : it->get<std::string>();
}

std::vector<std::string> merge_keys(SchemaNode node) {
  std::vector<std::string> keys;
  if (!node) return keys;
  auto it = node->find("mk");
  if (it != node->end())
    for (const auto& k : *it)
      keys.push_back(k.get<std::string>());
  return keys;
}

}  // namespace kmesh::kustomize
