#pragma once
// Host names as Istio reads them in its rules. One pure function decides what a host in a
// rule of some namespace means, so every check resolves hosts the same way:
//   "reviews"                               -> reviews.<rule ns>.svc.cluster.local
//   "reviews.shop.svc.cluster.local"        -> itself
//   "*.shop.svc.cluster.local", "*"         -> themselves (wildcards)
//   "reviews.shop", "reviews.shop.svc"      -> themselves: Istio expands only names without
//                                              dots, so these name no Kubernetes Service
//   "api.example.com"                       -> itself (a ServiceEntry may declare it)

#include <optional>
#include <string>
#include <string_view>

namespace kmesh::mesh::analyze {

/// The cluster DNS domain Istio expands short names with.
inline constexpr std::string_view kClusterDomain = "cluster.local";

/// What a host means once resolved.
struct Host {
  std::string fqdn;        ///< the name Istio matches against its registry
  bool wildcard = false;   ///< starts with '*'
  std::string service;     ///< for NAME.NS.svc.cluster.local: NAME (empty otherwise)
  std::string service_ns;  ///< and NS; for "*.NS.svc.cluster.local" only NS is set
  /// For "reviews.shop" or "reviews.shop.svc": the FQDN the writer probably meant.
  std::string partial_service_fqdn;
};

/// Resolves a host written in a rule of namespace `rule_ns`.
Host resolve_host(std::string_view host, std::string_view rule_ns);

/// The FQDN of a Kubernetes Service.
std::string service_fqdn(std::string_view name, std::string_view ns);

/// Whether `pattern` (possibly a wildcard such as "*.example.com" or "*") covers `host`.
/// A concrete pattern covers only itself.
bool host_covers(std::string_view pattern, std::string_view host);

/// Whether two hosts (either may be a wildcard) can name the same service.
bool hosts_overlap(std::string_view a, std::string_view b);

}  // namespace kmesh::mesh::analyze
