// Kustomize prints each object through sigs.k8s.io/yaml (JSON to goyaml.v2); the goyaml
// emitter reproduces that format byte for byte.

#include "lib/kustomize/kustomize.hpp"
#include "lib/yaml/emit.hpp"

namespace kmesh::kustomize {

std::string to_yaml(const std::vector<Json>& objects) {
  return yaml::emit_all_goyaml(objects);
}

}  // namespace kmesh::kustomize
