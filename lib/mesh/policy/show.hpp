#pragma once
// `policy show` and `policy export`: the traffic policy of Services gathered from the
// VirtualServices and DestinationRules of their namespaces, as one value, as table rows,
// and as objects fit for a Git repository. Pure functions of the listed objects.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lib/mesh/policy/host_match.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh::policy {

/// What the cluster holds, as read for show and export.
struct PolicyObjects {
  std::vector<Json> services;  ///< Services (of one namespace, or all)
  std::vector<Json> virtual_services;
  std::vector<Json> destination_rules;
  std::vector<Json> http_routes;           ///< Gateway API HTTPRoutes, when served
  std::map<std::string, Json> namespaces;  ///< by name, when readable
};

/// The policy of one Service: the routes of every VirtualService that names or routes to
/// it (mesh and gateway-bound), their destinations, timeouts, retries, faults and
/// mirrors; its DestinationRule's breakers and subsets; warnings.
Json service_policy(const ServiceRef& service, const PolicyObjects& objects);

/// The policy of the named Service, or of every Service that some VirtualService or
/// DestinationRule concerns: {"services": [...]}, sorted by namespace and name.
Json policy_view(const PolicyObjects& objects, const std::optional<ServiceRef>& only);

/// Table rows, one per route (or one per Service that has no routes):
/// SERVICE, ROUTE, MATCH, DESTINATIONS, TIMEOUT, RETRIES, FAULT, MIRROR, BREAKER.
std::vector<std::string> policy_headers();
std::vector<std::vector<std::string>> policy_rows(const Json& view);

/// The VirtualServices and DestinationRules of the view's Services (each once), without
/// what the server manages: uid, resourceVersion, managedFields, creationTimestamp,
/// generation, selfLink, status.
std::vector<Json> export_objects(const PolicyObjects& objects,
                                 const std::optional<ServiceRef>& only);

/// An object without the metadata the server manages, and without status.
Json strip_server_fields(Json object);

}  // namespace kmesh::mesh::policy
