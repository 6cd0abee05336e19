#pragma once
// Install values: the documented keys users may set with --set and -f, their types and
// defaults per profile (manifests/profiles/*.yaml). Unknown keys are rejected with the
// known keys nearest to them.

#include <map>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// A documented install value.
struct ValueSpec {
  std::string path;  ///< "pilot.replicaCount"
  std::string type;  ///< string, image, path, int, count, percent, bool, quantity, enum
  std::vector<std::string> choices;  ///< for enum
  std::string help;
};

/// Every key --set and -f accept, in the order the README documents them.
const std::vector<ValueSpec>& value_specs();

/// Profiles install knows: minimal, default, demo.
const std::vector<std::string>& profile_names();

/// Flat values: "pilot.replicaCount" -> 1.
using Values = std::map<std::string, Json>;

/// The defaults of a profile; an unknown profile is a usage error listing the known ones.
Result<Values> profile_values(const std::string& profile);

/// Applies a values file (nested YAML, e.g. `pilot: {replicaCount: 2}`) on top of values.
Status apply_values_file(Values& values, const std::string& text, const std::string& source);

/// Applies one --set PATH=VALUE.
Status apply_set(Values& values, const std::string& assignment);

/// Derives what users do not set (revisionSuffix) and checks cross-key rules
/// (autoscaleMin <= autoscaleMax).
Status finish_values(Values& values);

/// The text a placeholder is replaced with.
std::string value_text(const Json& value);

}  // namespace kmesh::mesh
