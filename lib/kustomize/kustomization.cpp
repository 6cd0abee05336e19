#include "lib/kustomize/kustomization.hpp"

#include <set>

#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kustomize {
namespace {

constexpr const char* kKustomizationVersion = "kustomize.config.k8s.io/v1beta1";
constexpr const char* kComponentVersion = "kustomize.config.k8s.io/v1alpha1";

// Fields Kustomize knows that this engine does not implement: rejected by name rather than
// silently ignored.
const std::set<std::string> kUnsupported = {
    "openapi",
    "crds",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "vars",
    "replacements",
    "helmCharts",
    "helmGlobals",
    "helmChartInflationGenerator",
    "buildMetadata",
};

// Reads typed values out of the JSON form of the file, as Go's strict JSON decoding into
// Kustomize's structs would, and names the field on any mismatch.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Error error(const std::string& field, const std::string& what) const {
    return usage_error(file_ + ": field " + field + ": " + what);
  }

  Result<std::string> str(const Json& v, const std::string& field) const {
    if (v.is_null()) return std::string();
    if (!v.is_string()) return error(field, "expected a string, got " + describe(v));
    return v.get<std::string>();
  }

  Result<bool> boolean(const Json& v, const std::string& field) const {
    if (v.is_null()) return false;
    if (!v.is_boolean()) return error(field, "expected true or false, got " + describe(v));
    return v.get<bool>();
  }

  Result<std::vector<std::string>> strings(const Json& v, const std::string& field) const {
    std::vector<std::string> out;
    if (v.is_null()) return out;
    if (!v.is_array()) return error(field, "expected a list of strings");
    for (size_t i = 0; i < v.size(); ++i) {
      KMESH_ASSIGN_OR_RETURN(auto s, str(v[i], field + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<StringMap> string_map(const Json& v, const std::string& field) const {
    StringMap out;
    if (v.is_null()) return out;
    if (!v.is_object()) return error(field, "expected a map of strings");
    for (auto it = v.begin(); it != v.end(); ++it) {
      KMESH_ASSIGN_OR_RETURN(out[it.key()], str(it.value(), field + "." + it.key()));
    }
    return out;
  }

  // A map with known keys only; returns it (or an empty object for null).
  Result<Json> object(const Json& v, const std::string& field,
                      const std::set<std::string>& known) const {
    if (v.is_null()) return Json::object();
    if (!v.is_object()) return error(field, "expected a map");
    for (auto it = v.begin(); it != v.end(); ++it)
      if (!known.count(it.key())) return error(field + "." + it.key(), "unknown field");
    return v;
  }

  Result<std::vector<Json>> list(const Json& v, const std::string& field) const {
    std::vector<Json> out;
    if (v.is_null()) return out;
    if (!v.is_array()) return error(field, "expected a list");
    for (const auto& item : v)
      out.push_back(item);
    return out;
  }

 private:
  static std::string describe(const Json& v) {
    if (v.is_number()) return "a number";
    if (v.is_boolean()) return "a boolean (quote it to make it a string)";
    if (v.is_array()) return "a list";
    if (v.is_object()) return "a map";
    return "null";
  }

  std::string file_;
};

Json field(const Json& map, const char* key) {
  auto it = map.find(key);
  return it == map.end() ? Json() : *it;
}

Result<Selector> read_selector(const Reader& r, const Json& v, const std::string& name) {
  KMESH_ASSIGN_OR_RETURN(Json m, r.object(v, name,
                                          {"group", "version", "kind", "name", "namespace",
                                           "labelSelector", "annotationSelector"}));
  Selector s;
  KMESH_ASSIGN_OR_RETURN(s.gvk.group, r.str(field(m, "group"), name + ".group"));
  KMESH_ASSIGN_OR_RETURN(s.gvk.version, r.str(field(m, "version"), name + ".version"));
  KMESH_ASSIGN_OR_RETURN(s.gvk.kind, r.str(field(m, "kind"), name + ".kind"));
  KMESH_ASSIGN_OR_RETURN(s.name, r.str(field(m, "name"), name + ".name"));
  KMESH_ASSIGN_OR_RETURN(s.ns, r.str(field(m, "namespace"), name + ".namespace"));
  KMESH_ASSIGN_OR_RETURN(s.label_selector,
                         r.str(field(m, "labelSelector"), name + ".labelSelector"));
  KMESH_ASSIGN_OR_RETURN(s.annotation_selector,
                         r.str(field(m, "annotationSelector"), name + ".annotationSelector"));
  return s;
}

Result<PatchArgs> read_patch(const Reader& r, const Json& v, const std::string& name) {
  KMESH_ASSIGN_OR_RETURN(Json m, r.object(v, name, {"path", "patch", "target", "options"}));
  PatchArgs p;
  KMESH_ASSIGN_OR_RETURN(p.path, r.str(field(m, "path"), name + ".path"));
  KMESH_ASSIGN_OR_RETURN(p.patch, r.str(field(m, "patch"), name + ".patch"));
  if (!field(m, "target").is_null()) {
    KMESH_ASSIGN_OR_RETURN(p.target, read_selector(r, m["target"], name + ".target"));
  }
  KMESH_ASSIGN_OR_RETURN(Json opts, r.object(field(m, "options"), name + ".options",
                                             {"allowNameChange", "allowKindChange"}));
  KMESH_ASSIGN_OR_RETURN(p.allow_name_change, r.boolean(field(opts, "allowNameChange"),
                                                        name + ".options.allowNameChange"));
  KMESH_ASSIGN_OR_RETURN(p.allow_kind_change, r.boolean(field(opts, "allowKindChange"),
                                                        name + ".options.allowKindChange"));
  return p;
}

Result<GeneratorOptions> read_generator_options(const Reader& r, const Json& v,
                                                const std::string& name) {
  KMESH_ASSIGN_OR_RETURN(
      Json m, r.object(v, name, {"labels", "annotations", "disableNameSuffixHash", "immutable"}));
  GeneratorOptions o;
  KMESH_ASSIGN_OR_RETURN(o.labels, r.string_map(field(m, "labels"), name + ".labels"));
  KMESH_ASSIGN_OR_RETURN(o.annotations,
                         r.string_map(field(m, "annotations"), name + ".annotations"));
  KMESH_ASSIGN_OR_RETURN(o.disable_name_suffix_hash, r.boolean(field(m, "disableNameSuffixHash"),
                                                               name + ".disableNameSuffixHash"));
  KMESH_ASSIGN_OR_RETURN(o.immutable, r.boolean(field(m, "immutable"), name + ".immutable"));
  return o;
}

Result<GeneratorArgs> read_generator(const Reader& r, const Json& v, const std::string& name,
                                     bool secret) {
  std::set<std::string> known = {"name",  "namespace", "behavior", "literals",
                                 "files", "envs",      "env",      "options"};
  if (secret) known.insert("type");
  KMESH_ASSIGN_OR_RETURN(Json m, r.object(v, name, known));
  GeneratorArgs g;
  KMESH_ASSIGN_OR_RETURN(g.name, r.str(field(m, "name"), name + ".name"));
  KMESH_ASSIGN_OR_RETURN(g.ns, r.str(field(m, "namespace"), name + ".namespace"));
  KMESH_ASSIGN_OR_RETURN(g.behavior, r.str(field(m, "behavior"), name + ".behavior"));
  KMESH_ASSIGN_OR_RETURN(g.literals, r.strings(field(m, "literals"), name + ".literals"));
  KMESH_ASSIGN_OR_RETURN(g.files, r.strings(field(m, "files"), name + ".files"));
  KMESH_ASSIGN_OR_RETURN(g.envs, r.strings(field(m, "envs"), name + ".envs"));
  KMESH_ASSIGN_OR_RETURN(std::string env, r.str(field(m, "env"), name + ".env"));
  if (!env.empty()) g.envs.push_back(env);  // the deprecated singular form goes last
  if (!field(m, "options").is_null()) {
    KMESH_ASSIGN_OR_RETURN(g.options, read_generator_options(r, m["options"], name + ".options"));
  }
  if (secret) {
    KMESH_ASSIGN_OR_RETURN(g.type, r.str(field(m, "type"), name + ".type"));
  }
  return g;
}

Result<LabelArgs> read_label(const Reader& r, const Json& v, const std::string& name) {
  KMESH_ASSIGN_OR_RETURN(
      Json m, r.object(v, name, {"pairs", "includeSelectors", "includeTemplates", "fields"}));
  LabelArgs l;
  KMESH_ASSIGN_OR_RETURN(l.pairs, r.string_map(field(m, "pairs"), name + ".pairs"));
  KMESH_ASSIGN_OR_RETURN(l.include_selectors,
                         r.boolean(field(m, "includeSelectors"), name + ".includeSelectors"));
  KMESH_ASSIGN_OR_RETURN(l.include_templates,
                         r.boolean(field(m, "includeTemplates"), name + ".includeTemplates"));
  KMESH_ASSIGN_OR_RETURN(l.fields, parse_field_specs(field(m, "fields"), name + ".fields"));
  return l;
}

Result<ImageArgs> read_image(const Reader& r, const Json& v, const std::string& name) {
  KMESH_ASSIGN_OR_RETURN(Json m,
                         r.object(v, name, {"name", "newName", "newTag", "digest", "tagSuffix"}));
  ImageArgs i;
  KMESH_ASSIGN_OR_RETURN(i.name, r.str(field(m, "name"), name + ".name"));
  KMESH_ASSIGN_OR_RETURN(i.new_name, r.str(field(m, "newName"), name + ".newName"));
  KMESH_ASSIGN_OR_RETURN(i.new_tag, r.str(field(m, "newTag"), name + ".newTag"));
  KMESH_ASSIGN_OR_RETURN(i.digest, r.str(field(m, "digest"), name + ".digest"));
  KMESH_ASSIGN_OR_RETURN(i.tag_suffix, r.str(field(m, "tagSuffix"), name + ".tagSuffix"));
  return i;
}

Result<ReplicaArgs> read_replica(const Reader& r, const Json& v, const std::string& name) {
  KMESH_ASSIGN_OR_RETURN(Json m, r.object(v, name, {"name", "count"}));
  ReplicaArgs rep;
  KMESH_ASSIGN_OR_RETURN(rep.name, r.str(field(m, "name"), name + ".name"));
  Json count = field(m, "count");
  if (!count.is_null() && !count.is_number_integer())
    return r.error(name + ".count", "expected an integer");
  rep.count = count.is_null() ? 0 : count.get<int64_t>();
  return rep;
}

Result<SortOptions> read_sort_options(const Reader& r, const Json& v) {
  KMESH_ASSIGN_OR_RETURN(Json m, r.object(v, "sortOptions", {"order", "legacySortOptions"}));
  SortOptions s;
  KMESH_ASSIGN_OR_RETURN(s.order, r.str(field(m, "order"), "sortOptions.order"));
  if (s.order != "legacy" && s.order != "fifo")
    return r.error("sortOptions.order", "must be one of [fifo, legacy]");
  if (!field(m, "legacySortOptions").is_null()) {
    if (s.order != "legacy")
      return r.error("sortOptions.legacySortOptions", "is set but the sort order is not legacy");
    KMESH_ASSIGN_OR_RETURN(Json l, r.object(m["legacySortOptions"], "sortOptions.legacySortOptions",
                                            {"orderFirst", "orderLast"}));
    KMESH_ASSIGN_OR_RETURN(s.order_first, r.strings(field(l, "orderFirst"), "orderFirst"));
    KMESH_ASSIGN_OR_RETURN(s.order_last, r.strings(field(l, "orderLast"), "orderLast"));
  }
  return s;
}

template <typename T, typename ReadOne>
Result<std::vector<T>> read_list(const Reader& r, const Json& v, const std::string& name,
                                 ReadOne read_one) {
  std::vector<T> out;
  KMESH_ASSIGN_OR_RETURN(auto items, r.list(v, name));
  for (size_t i = 0; i < items.size(); ++i) {
    KMESH_ASSIGN_OR_RETURN(T item, read_one(r, items[i], name + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(item));
  }
  return out;
}

Status check_fields(const Reader& r, const Json& doc, const std::string& file) {
  static const std::set<std::string> known = {"apiVersion",
                                              "kind",
                                              "metadata",
                                              "resources",
                                              "bases",
                                              "components",
                                              "namespace",
                                              "namePrefix",
                                              "nameSuffix",
                                              "commonLabels",
                                              "labels",
                                              "commonAnnotations",
                                              "images",
                                              "imageTags",
                                              "replicas",
                                              "patches",
                                              "patchesStrategicMerge",
                                              "patchesJson6902",
                                              "configMapGenerator",
                                              "secretGenerator",
                                              "generatorOptions",
                                              "sortOptions"};
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (kUnsupported.count(it.key()))
      return usage_error(file + ": field " + it.key() +
                         " is not supported by kubectl mesh kustomize (use kubectl kustomize)");
    if (!known.count(it.key())) return r.error(it.key(), "unknown field");
  }
  return {};
}

Status check_kind(const Reader& r, const Json& doc, Kustomization& k) {
  KMESH_ASSIGN_OR_RETURN(k.kind, r.str(field(doc, "kind"), "kind"));
  KMESH_ASSIGN_OR_RETURN(std::string api_version, r.str(field(doc, "apiVersion"), "apiVersion"));
  if (k.kind.empty()) k.kind = "Kustomization";
  if (k.kind != "Kustomization" && k.kind != "Component")
    return r.error("kind", "should be Kustomization or Component");
  std::string required = k.kind == "Component" ? kComponentVersion : kKustomizationVersion;
  if (!api_version.empty() && api_version != required)
    return r.error("apiVersion", "for " + k.kind + " should be " + required);
  return {};
}

Status read_operands(const Reader& r, const Json& doc, Kustomization& k) {
  KMESH_ASSIGN_OR_RETURN(k.resources, r.strings(field(doc, "resources"), "resources"));
  KMESH_ASSIGN_OR_RETURN(auto bases, r.strings(field(doc, "bases"), "bases"));
  k.resources.insert(k.resources.end(), bases.begin(), bases.end());
  KMESH_ASSIGN_OR_RETURN(k.components, r.strings(field(doc, "components"), "components"));
  KMESH_ASSIGN_OR_RETURN(
      k.config_map_generator,
      read_list<GeneratorArgs>(
          r, field(doc, "configMapGenerator"), "configMapGenerator",
          [](auto& rr, auto& v, auto n) { return read_generator(rr, v, n, false); }));
  KMESH_ASSIGN_OR_RETURN(k.secret_generator,
                         read_list<GeneratorArgs>(r, field(doc, "secretGenerator"),
                                                  "secretGenerator", [](auto& rr, auto& v, auto n) {
                                                    return read_generator(rr, v, n, true);
                                                  }));
  if (!field(doc, "generatorOptions").is_null()) {
    KMESH_ASSIGN_OR_RETURN(k.generator_options,
                           read_generator_options(r, doc["generatorOptions"], "generatorOptions"));
  }
  return {};
}

Status read_operators(const Reader& r, const Json& doc, Kustomization& k) {
  KMESH_ASSIGN_OR_RETURN(k.ns, r.str(field(doc, "namespace"), "namespace"));
  KMESH_ASSIGN_OR_RETURN(k.name_prefix, r.str(field(doc, "namePrefix"), "namePrefix"));
  KMESH_ASSIGN_OR_RETURN(k.name_suffix, r.str(field(doc, "nameSuffix"), "nameSuffix"));
  KMESH_ASSIGN_OR_RETURN(k.common_labels, r.string_map(field(doc, "commonLabels"), "commonLabels"));
  KMESH_ASSIGN_OR_RETURN(k.common_annotations,
                         r.string_map(field(doc, "commonAnnotations"), "commonAnnotations"));
  KMESH_ASSIGN_OR_RETURN(k.labels,
                         read_list<LabelArgs>(r, field(doc, "labels"), "labels", read_label));
  KMESH_ASSIGN_OR_RETURN(k.images,
                         read_list<ImageArgs>(r, field(doc, "images"), "images", read_image));
  KMESH_ASSIGN_OR_RETURN(auto tags,
                         read_list<ImageArgs>(r, field(doc, "imageTags"), "imageTags", read_image));
  k.images.insert(k.images.end(), tags.begin(), tags.end());
  KMESH_ASSIGN_OR_RETURN(
      k.replicas, read_list<ReplicaArgs>(r, field(doc, "replicas"), "replicas", read_replica));
  KMESH_ASSIGN_OR_RETURN(k.patches,
                         read_list<PatchArgs>(r, field(doc, "patches"), "patches", read_patch));
  KMESH_ASSIGN_OR_RETURN(k.patches_json6902, read_list<PatchArgs>(r, field(doc, "patchesJson6902"),
                                                                  "patchesJson6902", read_patch));
  KMESH_ASSIGN_OR_RETURN(k.patches_strategic_merge,
                         r.strings(field(doc, "patchesStrategicMerge"), "patchesStrategicMerge"));
  if (!field(doc, "sortOptions").is_null()) {
    KMESH_ASSIGN_OR_RETURN(k.sort_options, read_sort_options(r, doc["sortOptions"]));
  }
  return {};
}

bool is_empty(const Kustomization& k) {
  return k.resources.empty() && k.components.empty() && k.ns.empty() && k.name_prefix.empty() &&
         k.name_suffix.empty() && k.common_labels.empty() && k.labels.empty() &&
         k.common_annotations.empty() && k.images.empty() && k.replicas.empty() &&
         k.patches.empty() && k.patches_strategic_merge.empty() && k.patches_json6902.empty() &&
         k.config_map_generator.empty() && k.secret_generator.empty() && !k.generator_options &&
         !k.sort_options;
}

}  // namespace

const std::vector<std::string>& kustomization_file_names() {
  static const std::vector<std::string> names = {"kustomization.yaml", "kustomization.yml",
                                                 "Kustomization"};
  return names;
}

Result<Kustomization> parse_kustomization(const std::string& text, const std::string& file,
                                          const std::string& dir) {
  // Kustomize converts the file to JSON with a YAML 1.1 reader before decoding it.
  yaml::ParseOptions options;
  options.typing = yaml::Typing::kYaml11;
  KMESH_ASSIGN_OR_RETURN(auto doc, yaml::parse_single(text, file, options));
  Reader r(file);
  Kustomization k;
  k.file = file;
  k.dir = dir;
  if (doc.value.is_null()) return usage_error(file + ": kustomization.yaml is empty");
  if (!doc.value.is_object()) return usage_error(file + ": invalid Kustomization: not a map");
  KMESH_TRY(check_fields(r, doc.value, file));
  KMESH_TRY(check_kind(r, doc.value, k));
  KMESH_TRY(read_operands(r, doc.value, k));
  KMESH_TRY(read_operators(r, doc.value, k));
  if (is_empty(k)) return usage_error(file + ": kustomization.yaml is empty");
  return k;
}

}  // namespace kmesh::kustomize
