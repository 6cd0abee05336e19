// The build: Kustomize's KustTarget. A kustomization accumulates its resources (files and
// other kustomizations), runs its generators, lets its components act on the result, then
// runs its transformers. At the top, generated names get their hash, name references are
// fixed, local-config objects are dropped and the result is sorted.

#include <set>

#include "lib/core/strings.hpp"
#include "lib/kustomize/generators.hpp"
#include "lib/kustomize/hash.hpp"
#include "lib/kustomize/kustomization.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/kustomize/loader.hpp"
#include "lib/kustomize/nameref.hpp"
#include "lib/kustomize/ordering.hpp"
#include "lib/kustomize/patches.hpp"
#include "lib/kustomize/paths.hpp"
#include "lib/kustomize/resources.hpp"
#include "lib/kustomize/transformers.hpp"

namespace kmesh::kustomize {
namespace {

class Builder {
 public:
  explicit Builder(const FileSource& files) : files_(files) {}

  Result<Kustomization> load(const std::string& dir) {
    std::vector<std::string> found;
    for (const auto& name : kustomization_file_names()) {
      std::string path = join_path(dir, name);
      if (files_.exists(path) && !files_.is_dir(path)) found.push_back(path);
    }
    if (found.empty())
      return usage_error(
          "unable to find one of 'kustomization.yaml', 'kustomization.yml' or "
          "'Kustomization' in directory '" +
          dir + "'");
    if (found.size() > 1) return usage_error("found multiple kustomization files under: " + dir);
    KMESH_ASSIGN_OR_RETURN(auto text, files_.read(found.front()));
    return parse_kustomization(text, found.front(), dir);
  }

  // AccumulateTarget: `ra` is empty for a kustomization, the parent's objects for a component.
  Result<ResMap> accumulate(const Kustomization& k, ResMap ra) {
    if (!active_.insert(k.dir).second)
      return usage_error("cycle detected: " + k.dir + " is included from inside itself");
    RootLoader loader(files_, k.dir);
    KMESH_TRY(accumulate_resources(ra, k, loader));
    KMESH_TRY(run_generators(ra, k, loader));
    for (const auto& component : k.components) {
      KMESH_ASSIGN_OR_RETURN(ra, accumulate_component(std::move(ra), k, component));
    }
    KMESH_TRY(wrap(transform(ra, k, loader), k));
    ra.invalidate();
    active_.erase(k.dir);
    return ra;
  }

 private:
  static Status wrap(Status status, const Kustomization& k) {
    if (status.ok()) return status;
    Error e = std::move(status).error();
    if (!starts_with(e.message, k.file)) e.message = k.file + ": " + e.message;
    return e;
  }

  Status accumulate_resources(ResMap& ra, const Kustomization& k, const RootLoader& loader) {
    for (const auto& entry : k.resources) {
      if (entry.find("://") != std::string::npos || starts_with(entry, "github.com/") ||
          starts_with(entry, "git@"))
        return usage_error(k.file + ": resources: remote resource " + entry +
                           " is not supported by kubectl mesh kustomize");
      std::string path = loader.resolve(entry);
      if (files_.is_dir(path)) {
        KMESH_ASSIGN_OR_RETURN(auto sub, load(path));
        if (sub.kind == "Component")
          return usage_error(k.file + ": resources: " + entry +
                             " is a Component; list it under components");
        KMESH_ASSIGN_OR_RETURN(auto sub_map, accumulate(sub, ResMap()));
        KMESH_TRY(wrap(ra.append_all(std::move(sub_map)), k));
        continue;
      }
      if (!files_.exists(path))
        return usage_error(k.file + ": resources: " + entry + ": no such file or directory");
      KMESH_ASSIGN_OR_RETURN(auto text, loader.load(entry));
      KMESH_ASSIGN_OR_RETURN(auto objects, parse_resources(text, path));
      for (auto& r : objects)
        KMESH_TRY(wrap(ra.append(std::move(r)), k));
    }
    return {};
  }

  Result<ResMap> accumulate_component(ResMap ra, const Kustomization& k, const std::string& entry) {
    std::string path = join_path(k.dir, entry);
    if (!files_.is_dir(path))
      return usage_error(k.file + ": components: " + entry + " is not a directory");
    KMESH_ASSIGN_OR_RETURN(auto sub, load(path));
    if (sub.kind != "Component")
      return usage_error(k.file + ": components: expected kind 'Component' for path '" + path +
                         "' but got '" + sub.kind + "'");
    return accumulate(sub, std::move(ra));
  }

  Status run_generators(ResMap& ra, const Kustomization& k, const RootLoader& loader) {
    for (bool secret : {false, true}) {
      for (const auto& args : secret ? k.secret_generator : k.config_map_generator) {
        auto options = merge_options(args.options, k.generator_options);
        KMESH_ASSIGN_OR_RETURN(auto r, generate(args, options, secret, loader));
        KMESH_TRY(wrap(absorb_generated(ra, std::move(r)), k));
      }
    }
    return {};
  }

  Status transform(ResMap& ra, const Kustomization& k, const RootLoader& loader) {
    KMESH_TRY(apply_patches_strategic_merge(ra, k.patches_strategic_merge, loader));
    for (const auto& patch : k.patches)
      KMESH_TRY(apply_patch(ra, patch, loader));
    KMESH_TRY(set_namespace(ra, k.ns));
    KMESH_TRY(add_name_affix(ra, k.name_prefix, /*suffix=*/false));
    KMESH_TRY(add_name_affix(ra, k.name_suffix, /*suffix=*/true));
    for (const auto& label : k.labels)
      KMESH_TRY(set_map_entries(ra, label.pairs, label_field_specs(label)));
    KMESH_TRY(set_map_entries(ra, k.common_labels, builtin_config().common_labels));
    KMESH_TRY(set_map_entries(ra, k.common_annotations, builtin_config().common_annotations));
    for (const auto& patch : k.patches_json6902)
      KMESH_TRY(apply_patch_json6902(ra, patch, loader));
    for (const auto& replicas : k.replicas)
      KMESH_TRY(set_replicas(ra, replicas));
    for (const auto& image : k.images)
      KMESH_TRY(set_image(ra, image));
    return {};
  }

  const FileSource& files_;
  std::set<std::string> active_;  // directories being built, against cycles
};

void add_hash_suffixes(ResMap& map) {
  for (auto& r : map.items()) {
    if (!r.generated || !r.generated->needs_hash) continue;
    std::string hash = content_hash(r.object);
    r.store_previous_id();
    r.set_name(r.name() + "-" + hash);
  }
  map.invalidate();
}

void drop_local_config(ResMap& map) {
  for (auto& r : map.items()) {
    const Json& meta = r.object["metadata"];
    if (!meta.contains("annotations") || !meta["annotations"].is_object()) continue;
    auto it = meta["annotations"].find("config.kubernetes.io/local-config");
    if (it != meta["annotations"].end() && !(it->is_string() && *it == "false"))
      r.object = Json::object();
  }
  map.drop_empty();
}

}  // namespace

Result<std::vector<Json>> build(const std::string& dir, const FileSource& files) {
  Builder builder(files);
  std::string root = clean_path(dir);
  KMESH_ASSIGN_OR_RETURN(auto top, builder.load(root));
  if (top.kind == "Component")
    return usage_error(top.file +
                       ": a Component cannot be built on its own; list it under "
                       "components of a kustomization");
  KMESH_ASSIGN_OR_RETURN(auto map, builder.accumulate(top, ResMap()));
  add_hash_suffixes(map);
  KMESH_TRY(fix_name_references(map));
  drop_local_config(map);
  sort_for_output(map.items(), top.sort_options);
  std::vector<Json> out;
  out.reserve(map.size());
  for (auto& r : map.items()) {
    finalize_annotations(r);
    out.push_back(std::move(r.object));
  }
  return out;
}

}  // namespace kmesh::kustomize
