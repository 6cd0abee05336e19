#include "lib/mesh/policy/host_match.hpp"

#include "lib/core/strings.hpp"

namespace kmesh::mesh::policy {

bool host_is_service(std::string_view host, const ServiceRef& service, std::string_view rule_ns) {
  std::string h = to_lower(host);
  if (!h.empty() && h.back() == '.') h.pop_back();  // an absolute DNS name
  if (h.empty() || h.find('*') != std::string::npos) return false;
  std::string name = to_lower(service.name), ns = to_lower(service.ns);
  if (h == name) return to_lower(rule_ns) == ns;
  std::string qualified = name + "." + ns;
  return h == qualified || h == qualified + ".svc" ||
         h == qualified + ".svc." + std::string(kClusterDomain);
}

}  // namespace kmesh::mesh::policy
