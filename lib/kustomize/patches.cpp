#include "lib/kustomize/patches.hpp"

#include "lib/core/strings.hpp"
#include "lib/kustomize/json_patch.hpp"
#include "lib/kustomize/selector.hpp"
#include "lib/kustomize/strategic_merge.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kustomize {
namespace {

struct LoadedPatch {
  std::string text;
  std::string source;  // "[patch: ...]" or the file, for messages
};

Result<LoadedPatch> load_patch_text(const PatchArgs& patch, const RootLoader& loader) {
  std::string inline_text(trim(patch.patch));
  if (inline_text.empty() && patch.path.empty())
    return usage_error("must specify one of patch and path in a patches entry of " + loader.root());
  if (!inline_text.empty() && !patch.path.empty())
    return usage_error("patch and path can't be set at the same time (" + patch.path + ")");
  if (!inline_text.empty()) return LoadedPatch{inline_text, "inline patch in " + loader.root()};
  KMESH_ASSIGN_OR_RETURN(auto text, loader.load(patch.path));
  return LoadedPatch{std::move(text), loader.resolve(patch.path)};
}

// Strategic merge patches are resources: maps with a kind and a name. Anything else that
// parses as a list is a JSON patch.
Result<std::vector<Json>> parse_strategic(const std::string& text, const std::string& source) {
  yaml::ParseOptions options;
  options.typing = yaml::Typing::kYaml12;
  options.go_timestamps = true;
  KMESH_ASSIGN_OR_RETURN(auto docs, yaml::parse_documents(text, source, options));
  std::vector<Json> out;
  for (auto& doc : docs) {
    if (doc.value.is_object() && doc.value.empty()) continue;
    if (!doc.value.is_object() || string_field(doc.value, "kind").empty())
      return usage_error(source + ": not a strategic merge patch");
    out.push_back(std::move(doc.value));
  }
  return out;
}

Resource patch_resource(const Json& patch) {
  Resource r;
  r.object = patch;
  return r;
}

// The single object a patch without target applies to: the one with an id (current or
// previous) equal to the patch's.
Result<size_t> find_patch_target(const ResMap& map, const Json& patch, const std::string& source) {
  ResId id = patch_resource(patch).cur_id();
  auto matches = map.matching_any_id([&](const ResId& other) { return id.equals(other); });
  if (matches.size() == 1) return matches.front();
  return usage_error(source + ": " +
                     (matches.empty() ? "no resource matches" : "multiple resources match") +
                     " strategic merge patch " + id.str());
}

Status merge_at(ResMap& map, size_t index, const Json& patch, const PatchArgs& args) {
  KMESH_ASSIGN_OR_RETURN(bool kept, merge_into(map.items()[index], patch, args.allow_name_change,
                                               args.allow_kind_change));
  if (!kept) map.items()[index].object = Json::object();
  return {};
}

Status apply_strategic(ResMap& map, const std::vector<Json>& patches, const PatchArgs& args,
                       const std::string& source) {
  if (args.target) {
    if (patches.size() > 1)
      return usage_error(source +
                         ": multiple strategic merge patches in one patches entry may not "
                         "have a target");
    if (patches.empty()) return {};
    KMESH_ASSIGN_OR_RETURN(auto selected, select(map, *args.target));
    for (size_t i : selected) {
      // Kustomize gives the patch the target's apiVersion and keeps its own kind.
      Json patch = patches.front();
      patch["apiVersion"] = Gvk::of(map.items()[i].object).api_version();
      KMESH_TRY(merge_at(map, i, patch, args));
    }
  } else {
    for (const auto& patch : patches) {
      KMESH_ASSIGN_OR_RETURN(size_t i, find_patch_target(map, patch, source));
      KMESH_TRY(merge_at(map, i, patch, args));
    }
  }
  map.drop_empty();
  return {};
}

Status apply_json(ResMap& map, const Json& ops, const Selector& target, bool store_previous,
                  const std::string& source) {
  KMESH_ASSIGN_OR_RETURN(auto selected, select(map, target));
  for (size_t i : selected) {
    Resource& r = map.items()[i];
    if (store_previous) r.store_previous_id();
    auto applied = apply_json_patch(r.object, ops);
    if (!applied.ok())
      return usage_error(source + ": " + applied.error().message + " (in " + r.cur_id().str() +
                         ")");
  }
  map.invalidate();
  return {};
}

}  // namespace

Result<bool> merge_into(Resource& target, const Json& patch, bool allow_name_change,
                        bool allow_kind_change) {
  std::string name = target.name(), ns = target.ns(), kind = target.kind();
  if (allow_name_change || allow_kind_change) target.store_previous_id();
  KMESH_ASSIGN_OR_RETURN(auto merged, strategic_merge(std::move(target.object), patch));
  if (!merged) return false;
  target.object = std::move(*merged);
  if (!allow_kind_change) target.object["kind"] = kind;
  if (!allow_name_change) target.set_name(name);
  target.set_namespace(ns);
  return true;
}

Status apply_patch(ResMap& map, const PatchArgs& patch, const RootLoader& loader) {
  KMESH_ASSIGN_OR_RETURN(auto loaded, load_patch_text(patch, loader));
  auto strategic = parse_strategic(loaded.text, loaded.source);
  if (strategic.ok()) return apply_strategic(map, *strategic, patch, loaded.source);
  auto ops = parse_json_patch(loaded.text, loaded.source);
  if (!ops.ok())
    return usage_error("unable to parse SM or JSON patch from " + loaded.source + ": " +
                       strategic.error().message);
  if (!patch.target) return usage_error("must specify a target for JSON patch " + loaded.source);
  return apply_json(map, *ops, *patch.target, /*store_previous=*/true, loaded.source);
}

Status apply_patches_strategic_merge(ResMap& map, const std::vector<std::string>& entries,
                                     const RootLoader& loader) {
  for (const auto& entry : entries) {
    // An entry is an inline patch if it reads as one, otherwise a file.
    auto inline_patches = parse_strategic(entry, "inline patch in " + loader.root());
    std::vector<Json> patches;
    std::string source = "inline patch in " + loader.root();
    if (inline_patches.ok() && !inline_patches->empty()) {
      patches = std::move(*inline_patches);
    } else {
      KMESH_ASSIGN_OR_RETURN(auto text, loader.load(entry));
      source = loader.resolve(entry);
      KMESH_ASSIGN_OR_RETURN(patches, parse_strategic(text, source));
    }
    KMESH_TRY(apply_strategic(map, patches, PatchArgs{}, source));
  }
  return {};
}

Status apply_patch_json6902(ResMap& map, const PatchArgs& patch, const RootLoader& loader) {
  if (!patch.target || patch.target->name.empty())
    return usage_error("patchesJson6902 in " + loader.root() + ": must specify the target name");
  KMESH_ASSIGN_OR_RETURN(auto loaded, load_patch_text(patch, loader));
  KMESH_ASSIGN_OR_RETURN(auto ops, parse_json_patch(loaded.text, loaded.source));
  if (ops.empty()) return usage_error(loaded.source + ": patch appears to be empty");
  return apply_json(map, ops, *patch.target, /*store_previous=*/false, loaded.source);
}

}  // namespace kmesh::kustomize
