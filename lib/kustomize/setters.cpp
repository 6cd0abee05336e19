#include "lib/kustomize/setters.hpp"

namespace kmesh::kustomize {

SetFn set_scalar_to(Json value, std::string what) {
  return [value = std::move(value), what = std::move(what)](Json& field) -> Status {
    if (field.is_structured())
      return usage_error(what + ": expected a scalar field, found a " +
                         (field.is_object() ? "map" : "list"));
    field = value;
    return {};
  };
}

SetFn set_entry(std::string key, std::string value, std::string what) {
  return [key = std::move(key), value = std::move(value),
          what = std::move(what)](Json& field) -> Status {
    if (field.is_null()) field = Json::object();
    if (!field.is_object())
      return usage_error(what + ": expected a map field, found " +
                         (field.is_array() ? "a list" : "a scalar"));
    field[key] = value;
    return {};
  };
}

}  // namespace kmesh::kustomize
