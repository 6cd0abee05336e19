#pragma once
// Installing, upgrading and verifying an Istio control plane from an InstallPlan.
//
// install: precheck, then under the install lock apply the plan stage by stage (namespace,
// CRDs until Established, RBAC, configuration, workloads, webhooks last) with field
// manager kubectl-mesh-install, prune what this revision installed before but the plan no
// longer has, and optionally wait for the Deployments.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/apply.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/kube/ops.hpp"
#include "lib/mesh/install_plan.hpp"
#include "lib/mesh/precheck.hpp"

namespace kmesh::mesh {

struct InstallOptions {
  kube::DryRun dry_run = kube::DryRun::kNone;
  bool wait = false;
  std::chrono::milliseconds timeout{300000};
  /// Lines for the person watching (stage progress, waits).
  std::function<void(const std::string&)> progress = [](const std::string&) {};
  /// The state of a wait, replaced at each poll (on a terminal, one line rewritten).
  std::function<void(const std::string&)> status = [](const std::string&) {};
};

/// What an install did.
struct InstallReport {
  std::vector<kube::ApplyItem> items;
  std::vector<std::string> pruned;  ///< display names of removed objects
  size_t created() const;
  size_t changed() const;  ///< existing objects the apply changed
  size_t unchanged() const;
};

/// The permissions the plan needs (create, patch, get, list, delete on each resource;
/// bind and escalate on roles).
Result<std::vector<Permission>> needed_permissions(kube::Discovery& discovery,
                                                   const InstallPlan& plan);

/// Version and permission checks; an error lists everything missing.
Status precheck(kube::Client& client, kube::Discovery& discovery, const InstallPlan& plan);

/// Applies the plan (see above). On failure the error says which stage stopped and what
/// was and was not applied; running install again converges.
Result<InstallReport> install(kube::Client& client, kube::Discovery& discovery, InstallPlan plan,
                              const InstallOptions& options);

/// The objects this revision installed earlier that the plan no longer has.
Result<std::vector<kube::ObjectRef>> stale_objects(kube::Client& client, kube::Discovery& discovery,
                                                   const InstallPlan& plan);

/// Every resource kind an install may create (the union over profiles), for finding what
/// carries the install labels.
std::vector<std::pair<std::string, std::string>> installable_kinds();  ///< {apiVersion, kind}

}  // namespace kmesh::mesh
