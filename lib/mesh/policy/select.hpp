#pragma once
// Choosing what a policy command edits: the DestinationRule and VirtualService of a
// Service among those of its namespace, and the HTTP route inside the VirtualService.
// Pure functions of the listed objects.

#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/mesh/policy/host_match.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh::policy {

/// How a command names the route it edits; neither set means the default route (the
/// first one without a match).
struct RouteSelector {
  std::optional<std::string> name;
  std::optional<int> index;
};

/// Whether a VirtualService applies to sidecars: no gateways, or "mesh" among them.
bool binds_mesh(const Json& vs);
/// Whether a VirtualService is bound to `gateway` ("NAME" or "NS/NAME"; an unqualified
/// name is read in the VirtualService's namespace).
bool binds_gateway(const Json& vs, const std::string& gateway);
/// Whether one of the VirtualService's hosts names the Service.
bool hosts_service(const Json& vs, const ServiceRef& service);
/// Whether one of an HTTP route's destinations is the Service.
bool route_targets(const Json& http_route, const ServiceRef& service, const std::string& rule_ns);
/// Whether one of the VirtualService's HTTP routes sends traffic to the Service.
bool routes_to_service(const Json& vs, const ServiceRef& service);
/// Whether an HTTP route has no match conditions (it takes whatever earlier routes left).
bool is_default_route(const Json& http_route);

/// The DestinationRule whose host is the Service; null when there is none; a usage
/// error listing them when there are several.
Result<const Json*> pick_destination_rule(const std::vector<Json>& rules,
                                          const ServiceRef& service);

/// The VirtualService a command edits. Without `gateway`: the mesh-internal one whose
/// hosts name the Service. With it: the one bound to that gateway that names or routes
/// to the Service. Null when there is none; a usage error listing them when several.
Result<const Json*> pick_virtual_service(const std::vector<Json>& services,
                                         const ServiceRef& service, const std::string& gateway);

/// What locate_route needs to know about the VirtualService.
struct RouteScope {
  ServiceRef service;
  std::string vs_name;
  /// A gateway-bound VirtualService whose hosts do not name the Service (the bookstore's
  /// "*"): the chosen route must send traffic to the Service.
  bool must_target_service = false;
};

/// The index in spec.http of the route the selector picks. When spec.http is empty a
/// default route to the Service is added first (a new or bare VirtualService). Usage
/// errors name the VirtualService and list its routes.
Result<size_t> locate_route(Json& spec, const RouteSelector& selector, const RouteScope& scope);

/// Why a VirtualService may not be what routes the Service's traffic: an HTTPRoute
/// (Gateway API) among `http_routes` whose parentRefs name the Service, or a namespace
/// (`namespace_obj`, null when unknown) in ambient mode. One sentence each.
std::vector<std::string> routing_warnings(const ServiceRef& service, const Json& namespace_obj,
                                          const std::vector<Json>& http_routes);

/// "uri prefix /restful/accounts" or "headers end-user=jason"; "" for a default route.
std::string describe_match(const Json& http_route);
/// "account:80/v1 90%, account/v2 10%".
std::string describe_destinations(const Json& http_route);
/// "virtualservice \"reviews\" in bookstore", for messages.
std::string describe_object(const std::string& kind_lower, const Json& object);

}  // namespace kmesh::mesh::policy
