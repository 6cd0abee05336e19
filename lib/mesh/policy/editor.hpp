#pragma once
// The read-modify-write under every traffic policy command. Istio's CRDs declare their
// lists atomic, so server-side apply cannot merge inside spec.http or spec.subsets: an
// edit reads the object, changes only its own fields (a pure function from edits.hpp)
// and writes the whole object back with PUT and its resourceVersion, reading and editing
// again on 409 Conflict, a bounded number of times. A missing object is created with
// POST (409 AlreadyExists: read it and edit).
//
// Round trips per edit, whatever the cluster's size (discovery aside, read once per run):
//   1. in parallel: GET the Service, GET the Namespace, LIST the VirtualServices and/or
//      DestinationRules of the namespace, LIST its HTTPRoutes when Gateway API is served;
//   2. only when a route command names a subset the DestinationRule lacks: in parallel,
//      LIST the namespace's Deployments, StatefulSets and DaemonSets;
//   3. one PUT or POST per object changed (the DestinationRule before the VirtualService
//      that sends traffic to its subsets); nothing when the edit changes nothing.
// A 409 adds one GET and one PUT.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/apply.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/mesh/policy/edits.hpp"
#include "lib/mesh/policy/select.hpp"
#include "lib/mesh/policy/show.hpp"

namespace kmesh::mesh::policy {

/// An edit of a whole spec, told where the route it edits is to be found.
using SpecEdit = std::function<Result<Json>(Json spec, const RouteScope& scope)>;
/// An edit of one HTTP route, told how the VirtualService names the Service.
using RouteEdit =
    std::function<Result<Json>(Json http_route, const Destination& dest, const RouteScope& scope)>;

/// A SpecEdit that applies `edit` to the route `selector` picks.
SpecEdit on_route(RouteSelector selector, RouteEdit edit);

/// What one command changes.
struct EditRequest {
  ServiceRef service;
  std::string gateway;  ///< edit the VirtualService bound to this gateway
  SpecEdit vs_edit;     ///< empty: the VirtualService is not touched
  SpecEdit dr_edit;     ///< empty: the DestinationRule is not touched (but see subsets)
  std::vector<std::string> subsets;  ///< subsets the VirtualService will send traffic to
  std::string subset_label = "version";
  bool create = true;  ///< create missing objects (clear commands do not)
  kube::DryRun dry_run = kube::DryRun::kNone;
  bool preview = false;  ///< compute only (--diff), write nothing
  std::string field_manager = "kubectl-mesh-policy";
  int max_attempts = 5;  ///< writes per object before giving up on conflicts
};

/// What became of one object.
struct ObjectOutcome {
  enum class Kind { kCreated, kConfigured, kUnchanged, kAbsent };
  Kind kind = Kind::kUnchanged;
  std::string kind_name;  ///< "VirtualService"
  std::string display;    ///< "virtualservice.networking.istio.io/reviews"
  Json before;            ///< the live object; null when there was none
  Json after;             ///< the object as sent, or as it would be sent
  Json stored;            ///< the server's answer (writes and server dry runs)
  int conflicts = 0;      ///< 409s met on the way
};

struct EditReport {
  std::vector<ObjectOutcome> objects;  ///< DestinationRule first, then VirtualService
  std::vector<std::string> warnings;
  int requests = 0;  ///< API requests sent, discovery excluded
  int rounds = 0;    ///< sequential round trips, discovery excluded
};

/// Validates against the live objects, then (unless a client dry run or preview) writes.
/// Usage errors (bad route, missing Service, a subset that would select nothing) come
/// before any write. When a later write fails after an earlier one landed, the error
/// says which landed; running the command again converges.
Result<EditReport> edit_policy(kube::Client& client, kube::Discovery& discovery,
                               const EditRequest& request);

/// Reads what show and export need: the Services, VirtualServices, DestinationRules and
/// HTTPRoutes of namespace `ns` (all namespaces when empty), and the namespaces' labels.
/// One parallel round after discovery.
Result<PolicyObjects> read_policy_objects(kube::Client& client, kube::Discovery& discovery,
                                          const std::string& ns);

/// The resource of an Istio networking kind: networking.istio.io/v1 when served, else
/// the version discovery prefers (Istio before 1.22). An error when Istio is not installed.
Result<kube::ResourceInfo> istio_resource(kube::Discovery& discovery, const std::string& kind);

}  // namespace kmesh::mesh::policy
