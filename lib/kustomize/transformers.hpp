#pragma once
// Kustomize's built-in transformers, each applied to every object of a kustomization in the
// order Kustomize runs them (see build.cpp).

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kustomize/fieldspec.hpp"
#include "lib/kustomize/kustomization.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// `namespace`: metadata.namespace of namespaced objects, Namespace names, RoleBinding
/// subjects named "default", and the built-in namespace field specs.
Status set_namespace(ResMap& map, const std::string& ns);

/// `namePrefix` (suffix=false) or `nameSuffix` (suffix=true).
Status add_name_affix(ResMap& map, const std::string& affix, bool suffix);

/// Sets every label (or annotation) of `pairs` at every field the specs reach.
Status set_map_entries(ResMap& map, const StringMap& pairs, const std::vector<FieldSpec>& specs);

/// The field specs one `labels` entry applies to.
std::vector<FieldSpec> label_field_specs(const LabelArgs& label);

/// One `images` entry.
Status set_image(ResMap& map, const ImageArgs& image);

/// Whether `image` names `name` (with any tag or digest), as Kustomize decides it.
bool image_matches(const std::string& image, const std::string& name);

/// An image reference with a new name, tag or digest.
std::string update_image(const std::string& image, const ImageArgs& args);

/// One `replicas` entry.
Status set_replicas(ResMap& map, const ReplicaArgs& replicas);

}  // namespace kmesh::kustomize
