// The replicas transformer.

#include "lib/core/strings.hpp"
#include "lib/kustomize/setters.hpp"
#include "lib/kustomize/transformers.hpp"

namespace kmesh::kustomize {

Status set_replicas(ResMap& map, const ReplicaArgs& replicas) {
  bool found = false;
  std::vector<std::string> kinds;
  for (const auto& spec : builtin_config().replicas) {
    kinds.push_back(spec.gvk.str());
    auto matches = map.matching_any_id(
        [&](const ResId& id) { return id.name == replicas.name && id.gvk.selected_by(spec.gvk); });
    found = found || !matches.empty();
    for (size_t i : matches) {
      Resource& r = map.items()[i];
      KMESH_TRY(apply_field_spec(r.object, spec, CreateKind::kScalar,
                                 set_scalar_to(replicas.count, "replicas of " + r.cur_id().str())));
    }
  }
  if (!found)
    return usage_error("replicas: resource with name " + replicas.name +
                       " does not match a config with the following GVK [" + join(kinds, " ") +
                       "]");
  return {};
}

}  // namespace kmesh::kustomize
