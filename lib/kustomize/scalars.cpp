#include "lib/kustomize/scalars.hpp"

#include "lib/yaml/emit.hpp"

namespace kmesh::kustomize {

std::string scalar_text(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return yaml::format_number(value);
    default:
      return "";
  }
}

}  // namespace kmesh::kustomize
