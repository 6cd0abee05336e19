// The labels, commonLabels and commonAnnotations transformers.

#include "lib/kustomize/setters.hpp"
#include "lib/kustomize/transformers.hpp"

namespace kmesh::kustomize {

Status set_map_entries(ResMap& map, const StringMap& pairs, const std::vector<FieldSpec>& specs) {
  if (pairs.empty()) return {};
  for (auto& r : map.items()) {
    for (const auto& [key, value] : pairs) {
      SetFn set = set_entry(key, value, r.cur_id().str() + " (" + key + ")");
      KMESH_TRY(apply_field_specs(r.object, specs, CreateKind::kMap, set));
    }
  }
  return {};
}

std::vector<FieldSpec> label_field_specs(const LabelArgs& label) {
  std::vector<FieldSpec> specs = label.fields;
  const BuiltinConfig& config = builtin_config();
  if (label.include_selectors) {
    merge_field_specs(specs, config.common_labels);
    return specs;
  }
  if (label.include_templates) merge_field_specs(specs, config.template_labels);
  merge_field_specs(specs, {FieldSpec::make({}, "metadata/labels", true)});
  return specs;
}

}  // namespace kmesh::kustomize
