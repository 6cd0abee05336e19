// The namespace transformer.

#include <unordered_set>

#include "lib/kustomize/setters.hpp"
#include "lib/kustomize/transformers.hpp"

namespace kmesh::kustomize {
namespace {

// The built-in specs minus those Kustomize drops per object: metadata/namespace (handled
// apart) and, unless apiVersion is v1, metadata/name (the Namespace rename).
std::vector<FieldSpec> specs_for(const Json& object) {
  std::vector<FieldSpec> out;
  bool core = string_field(object, "apiVersion") == "v1";
  for (const auto& spec : builtin_config().namespace_specs) {
    if (spec.path == "metadata/namespace") continue;
    if (!core && spec.path == "metadata/name") continue;
    out.push_back(spec);
  }
  return out;
}

// RoleBinding subjects named "default" (the default ServiceAccount) move with the namespace;
// other ServiceAccount subjects are fixed by the name reference pass.
Status set_default_subjects(Json& object, const std::string& ns) {
  auto subjects = object.find("subjects");
  if (subjects == object.end() || !subjects->is_array()) return {};
  for (auto& subject : *subjects)
    if (subject.is_object() && subject.value("name", Json()) == "default")
      subject["namespace"] = ns;
  return {};
}

Status namespace_one(Resource& r, const std::string& ns) {
  r.store_previous_id();
  Gvk gvk = Gvk::of(r.object);
  SetFn set = set_scalar_to(ns, "namespace of " + r.cur_id().str());
  if (!is_cluster_scoped(gvk)) {
    static const FieldSpec meta = FieldSpec::make({}, "metadata/namespace", true);
    KMESH_TRY(apply_field_spec(r.object, meta, CreateKind::kScalar, set));
  }
  if (gvk.kind == "RoleBinding" || gvk.kind == "ClusterRoleBinding")
    KMESH_TRY(set_default_subjects(r.object, ns));
  return apply_field_specs(r.object, specs_for(r.object), CreateKind::kScalar, set);
}

}  // namespace

Status set_namespace(ResMap& map, const std::string& ns) {
  if (ns.empty()) return {};
  for (auto& r : map.items())
    if (!r.object.empty()) KMESH_TRY(namespace_one(r, ns));
  map.invalidate();
  std::unordered_set<std::string> seen;
  for (const auto& r : map.items()) {
    ResId id = r.cur_id();
    std::string key = id.gvk.str() + "|" + id.name + "|" + id.effective_namespace();
    if (!seen.insert(key).second)
      return usage_error("namespace transformation produces ID conflict: " + id.str());
  }
  return {};
}

}  // namespace kmesh::kustomize
