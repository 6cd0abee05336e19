#pragma once
// Field specs: "apply this to field spec/template/metadata/labels of Deployments". This is how
// Kustomize's built-in transformers find the fields they change; the built-in lists (labels,
// annotations, images, replicas, namespace, name references) are Kustomize v5's.

#include <functional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// One field spec: which objects (by GVK) and which path; `create` adds missing fields.
struct FieldSpec {
  Gvk gvk;
  std::string path;
  bool create = false;
  std::vector<std::string> segments;  ///< path split on unescaped '/'

  /// Builds a spec, splitting the path.
  static FieldSpec make(Gvk gvk, std::string path, bool create);
};

/// What a missing field becomes when a spec with create=true reaches it.
enum class CreateKind { kNone, kScalar, kMap };

/// Sets or changes the field a spec reached.
using SetFn = std::function<Status(Json& field)>;

/// Applies `set` to every field `spec` reaches in object (lists are walked element by
/// element). Objects whose kind, group or version differ from the spec's are left alone.
Status apply_field_spec(Json& object, const FieldSpec& spec, CreateKind create, const SetFn& set);

/// Applies every spec of a list, in order.
Status apply_field_specs(Json& object, const std::vector<FieldSpec>& specs, CreateKind create,
                         const SetFn& set);

/// Reads a list of field specs from YAML or JSON data ({path, group, version, kind, create}).
Result<std::vector<FieldSpec>> parse_field_specs(const Json& list, const std::string& where);

/// Adds specs to a list unless an equal one (same GVK and path) is there already.
void merge_field_specs(std::vector<FieldSpec>& into, const std::vector<FieldSpec>& more);

/// Kustomize's built-in field spec lists.
struct BuiltinConfig {
  std::vector<FieldSpec> common_labels;
  std::vector<FieldSpec> template_labels;
  std::vector<FieldSpec> common_annotations;
  std::vector<FieldSpec> images;
  std::vector<FieldSpec> replicas;
  std::vector<FieldSpec> namespace_specs;
  std::vector<FieldSpec> name_prefix;
  /// A kind that other objects refer to by name, and the fields that do.
  struct NameBackReference {
    Gvk target;
    std::vector<FieldSpec> referrers;
  };
  std::vector<NameBackReference> name_references;
};

/// The built-in configuration, parsed once.
const BuiltinConfig& builtin_config();

}  // namespace kmesh::kustomize
