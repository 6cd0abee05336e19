#pragma once
// Which Kubernetes Service an Istio host names. Istio reads a short host ("reviews") in
// the namespace of the rule that carries it, so "reviews", "reviews.bookstore",
// "reviews.bookstore.svc" and "reviews.bookstore.svc.cluster.local" all name the same
// Service when the rule lives in bookstore.

#include <string>
#include <string_view>

namespace kmesh::mesh::policy {

/// A Service, by name and namespace.
struct ServiceRef {
  std::string name, ns;
  /// "reviews.bookstore", the form messages use.
  std::string display() const { return name + "." + ns; }
};

/// The cluster DNS domain Istio expands short names with.
inline constexpr std::string_view kClusterDomain = "cluster.local";

/// Whether `host`, written in a rule of namespace `rule_ns`, names the Service. Wildcards
/// ("*", "*.bookstore.svc.cluster.local") name no particular Service and do not match.
bool host_is_service(std::string_view host, const ServiceRef& service, std::string_view rule_ns);

}  // namespace kmesh::mesh::policy
