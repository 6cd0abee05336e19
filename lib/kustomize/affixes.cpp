// The namePrefix and nameSuffix transformers.

#include "lib/kustomize/scalars.hpp"
#include "lib/kustomize/transformers.hpp"

namespace kmesh::kustomize {
namespace {

// Kustomize never renames these, whatever the prefix or suffix.
bool never_renamed(const ResId& org) {
  static const std::vector<Gvk> skip = {{"", "", "CustomResourceDefinition"},
                                        {"apiregistration.k8s.io", "", "APIService"},
                                        {"", "", "Namespace"}};
  for (const auto& gvk : skip)
    if (org.gvk.selected_by(gvk)) return true;
  return false;
}

Status affix_one(Resource& r, const std::string& affix, bool suffix) {
  for (const auto& spec : builtin_config().name_prefix) {
    if (!r.org_id().gvk.selected_by(spec.gvk)) continue;
    if (spec.path == "metadata/name") {
      (suffix ? r.suffixes : r.prefixes).push_back(affix);
      r.store_previous_id();
    }
    auto set = [&](Json& field) -> Status {
      if (field.is_structured())
        return usage_error("name of " + r.cur_id().str() + " is not a string");
      std::string text = scalar_text(field);
      field = suffix ? text + affix : affix + text;
      return {};
    };
    KMESH_TRY(apply_field_spec(r.object, spec, CreateKind::kScalar, set));
  }
  return {};
}

}  // namespace

Status add_name_affix(ResMap& map, const std::string& affix, bool suffix) {
  if (affix.empty()) return {};
  for (auto& r : map.items())
    if (!never_renamed(r.org_id())) KMESH_TRY(affix_one(r, affix, suffix));
  map.invalidate();
  return {};
}

}  // namespace kmesh::kustomize
