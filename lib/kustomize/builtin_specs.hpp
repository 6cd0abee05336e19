#pragma once
// Kustomize's built-in field spec lists, as YAML text (see builtin_specs.cpp).

namespace kmesh::kustomize {

extern const char* const kCommonLabels;
extern const char* const kTemplateLabels;
extern const char* const kCommonAnnotations;
extern const char* const kImages;
extern const char* const kReplicas;
extern const char* const kNamespace;
extern const char* const kNameReference;

}  // namespace kmesh::kustomize
