#pragma once
// What an install consists of: the objects of a profile and revision, rendered from the
// embedded manifests with the user's values, labelled as ours, in dependency order. Pure:
// `kubectl mesh manifest generate` prints it, install applies it, verify compares with it.

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/mesh/values.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

/// The order objects are applied in: each stage waits for the one before.
enum class Stage { kNamespace, kCrds, kRbac, kConfig, kWorkloads, kWebhooks };
const char* stage_name(Stage stage);

/// What the user asked for.
struct InstallRequest {
  std::string profile = "default";
  std::string revision;                   ///< empty: from values (default "default")
  std::vector<std::string> values_files;  ///< paths of -f files
  std::vector<std::string> sets;          ///< --set PATH=VALUE
};

/// One object of the plan.
struct PlannedObject {
  Json object;
  std::string component;  ///< base, istiod, ingress-gateway, egress-gateway
  Stage stage;
  bool shared = false;  ///< belongs to every revision (namespace, CRDs, default validator)
};

struct InstallPlan {
  std::string profile;
  std::string revision;
  std::string version;  ///< Istio release
  Values values;
  std::vector<PlannedObject> objects;  ///< sorted by stage, then as the manifests list them
};

/// Reads values (profile, then -f files in order, then --set in order) and renders.
Result<InstallPlan> build_install_plan(const InstallRequest& request);

/// Renders the plan for already-complete values.
Result<InstallPlan> render_plan(const std::string& profile, Values values);

/// Replaces each {{name}} (no spaces: Go template actions in the injector ConfigMap are
/// written "{{ ... }}" and stay as they are). An unknown name is an error naming the file.
Result<std::string> substitute(const std::string& text, const Values& values,
                               const std::string& source);

/// The fields that others take over after install (istiod fills webhook CA bundles and
/// switches failure policies; an HPA owns replicas): copies their live values into the
/// object we are about to apply, so re-applying neither reverts nor conflicts with them.
void adopt_taken_over_fields(Json& planned, const Json& live);

}  // namespace kmesh::mesh
