#pragma once
// The setters transformers hand to field specs: replace a scalar, or set a map entry.

#include <string>

#include "lib/kustomize/fieldspec.hpp"

namespace kmesh::kustomize {

/// Replaces a scalar (or null) field with `value`; a map or list there is an error.
SetFn set_scalar_to(Json value, std::string what);

/// Sets key=value in the map a spec reached (a null field becomes a map).
SetFn set_entry(std::string key, std::string value, std::string what);

}  // namespace kmesh::kustomize
