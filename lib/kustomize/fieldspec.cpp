#include "lib/kustomize/fieldspec.hpp"

#include "lib/core/strings.hpp"
#include "lib/kustomize/builtin_specs.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kustomize {
namespace {

// kyaml's PathSplitter: '/' separates, "\/" is a literal slash, a leading '/' is ignored.
std::vector<std::string> split_spec_path(const std::string& path) {
  std::vector<std::string> parts = split(path, '/');
  if (parts.size() > 1 && parts[0].empty()) parts.erase(parts.begin());
  std::vector<std::string> out;
  out.push_back(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    if (ends_with(out.back(), "\\")) {
      out.back().pop_back();
      out.back() += "/" + parts[i];
    } else {
      out.push_back(parts[i]);
    }
  }
  return out;
}

bool gvk_matches(const FieldSpec& spec, const Json& object) {
  if (spec.gvk.kind.empty() && spec.gvk.group.empty() && spec.gvk.version.empty()) return true;
  Gvk gvk = Gvk::of(object);
  return (spec.gvk.kind.empty() || spec.gvk.kind == gvk.kind) &&
         (spec.gvk.group.empty() || spec.gvk.group == gvk.group) &&
         (spec.gvk.version.empty() || spec.gvk.version == gvk.version);
}

struct Walk {
  const FieldSpec& spec;
  CreateKind create;
  const SetFn& set;

  Status at(Json& node, size_t depth) const {
    if (depth == spec.segments.size()) return set(node);
    if (node.is_null()) return {};
    if (node.is_array()) {
      for (auto& element : node)
        KMESH_TRY(at(element, depth));
      return {};
    }
    if (node.is_object()) return in_map(node, depth);
    return usage_error("considering field '" + spec.path + "': expected sequence or mapping node");
  }

  Status in_map(Json& map, size_t depth) const {
    std::string name = spec.segments[depth];
    bool is_sequence = ends_with(name, "[]");
    if (is_sequence) name.resize(name.size() - 2);
    if (name.empty()) return usage_error("cannot set or create an empty field name");
    bool last = depth + 1 == spec.segments.size();
    bool creating = spec.create && create != CreateKind::kNone && !is_sequence;
    auto it = map.find(name);
    if (it == map.end()) {
      if (!creating) return {};
      it = map.emplace(name, empty_value(last)).first;
    } else if (it->is_null() && (creating || is_sequence)) {
      // kyaml turns an explicit null into the kind it was asked to create.
      *it = is_sequence ? Json::array() : empty_value(last);
    }
    return at(*it, depth + 1);
  }

  Json empty_value(bool last) const {
    if (last && create == CreateKind::kScalar) return "";
    return Json::object();
  }
};

Result<std::vector<FieldSpec>> builtin_list(const char* yaml_text, const char* key) {
  yaml::ParseOptions options;
  options.typing = yaml::Typing::kYaml12;
  KMESH_ASSIGN_OR_RETURN(auto doc, yaml::parse_single(yaml_text, "builtin", options));
  return parse_field_specs(doc.value[key], std::string("builtin ") + key);
}

std::vector<FieldSpec> must(Result<std::vector<FieldSpec>> specs) {
  // The built-in lists are compiled in and covered by tests; a failure here is a bug.
  if (!specs.ok()) throw std::logic_error(specs.error().message);
  return std::move(specs).value();
}

std::vector<BuiltinConfig::NameBackReference> name_references() {
  yaml::ParseOptions options;
  options.typing = yaml::Typing::kYaml12;
  auto doc = yaml::parse_single(kNameReference, "builtin", options);
  if (!doc.ok()) throw std::logic_error(doc.error().message);
  std::vector<BuiltinConfig::NameBackReference> out;
  for (const auto& entry : doc->value["nameReference"]) {
    BuiltinConfig::NameBackReference ref;
    ref.target = Gvk{string_field(entry, "group"), string_field(entry, "version"),
                     string_field(entry, "kind")};
    ref.referrers = must(parse_field_specs(entry["fieldSpecs"], "builtin nameReference"));
    out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace

FieldSpec FieldSpec::make(Gvk gvk, std::string path, bool create) {
  FieldSpec spec{std::move(gvk), std::move(path), create, {}};
  spec.segments = split_spec_path(spec.path);
  return spec;
}

Status apply_field_spec(Json& object, const FieldSpec& spec, CreateKind create, const SetFn& set) {
  if (!gvk_matches(spec, object)) return {};
  return Walk{spec, create, set}.at(object, 0);
}

Status apply_field_specs(Json& object, const std::vector<FieldSpec>& specs, CreateKind create,
                         const SetFn& set) {
  for (const auto& spec : specs)
    KMESH_TRY(apply_field_spec(object, spec, create, set));
  return {};
}

Result<std::vector<FieldSpec>> parse_field_specs(const Json& list, const std::string& where) {
  std::vector<FieldSpec> out;
  if (list.is_null()) return out;
  if (!list.is_array()) return usage_error(where + ": field specs must be a list");
  for (const auto& item : list) {
    if (!item.is_object() || !item.contains("path") || !item["path"].is_string())
      return usage_error(where + ": every field spec needs a path");
    bool create =
        item.contains("create") && item["create"].is_boolean() && item["create"].get<bool>();
    Gvk gvk{string_field(item, "group"), string_field(item, "version"), string_field(item, "kind")};
    out.push_back(FieldSpec::make(std::move(gvk), item["path"].get<std::string>(), create));
  }
  return out;
}

void merge_field_specs(std::vector<FieldSpec>& into, const std::vector<FieldSpec>& more) {
  for (const auto& spec : more) {
    bool present = false;
    for (const auto& have : into)
      present = present || (have.gvk == spec.gvk && have.path == spec.path);
    if (!present) into.push_back(spec);
  }
}

const BuiltinConfig& builtin_config() {
  static const BuiltinConfig config = [] {
    BuiltinConfig c;
    c.common_labels = must(builtin_list(kCommonLabels, "commonLabels"));
    c.template_labels = must(builtin_list(kTemplateLabels, "templateLabels"));
    c.common_annotations = must(builtin_list(kCommonAnnotations, "commonAnnotations"));
    c.images = must(builtin_list(kImages, "images"));
    c.replicas = must(builtin_list(kReplicas, "replicas"));
    c.namespace_specs = must(builtin_list(kNamespace, "namespace"));
    c.name_prefix = {FieldSpec::make({}, "metadata/name", false)};
    c.name_references = name_references();
    return c;
  }();
  return config;
}

}  // namespace kmesh::kustomize
