#include "lib/mesh/analyze/hosts.hpp"

#include "lib/core/strings.hpp"

namespace kmesh::mesh::analyze {
namespace {

const std::string kSvcSuffix = ".svc." + std::string(kClusterDomain);

}  // namespace

std::string service_fqdn(std::string_view name, std::string_view ns) {
  return std::string(name) + "." + std::string(ns) + kSvcSuffix;
}

Host resolve_host(std::string_view raw, std::string_view rule_ns) {
  Host h;
  std::string host = to_lower(trim(raw));
  h.wildcard = starts_with(host, "*");
  if (host.empty() || host == "*") {
    h.fqdn = host;
    return h;
  }
  if (!h.wildcard && host.find('.') == std::string::npos) host = service_fqdn(host, rule_ns);
  h.fqdn = host;
  if (ends_with(host, kSvcSuffix)) {
    auto labels = split(host.substr(0, host.size() - kSvcSuffix.size()), '.');
    if (labels.size() == 2 && !labels[1].empty()) {
      h.service_ns = labels[1];
      if (!h.wildcard) h.service = labels[0];
    }
    return h;
  }
  // "name.ns" and "name.ns.svc" look like Services but Istio does not expand them.
  auto labels = split(host, '.');
  if (!h.wildcard && (labels.size() == 2 || (labels.size() == 3 && labels[2] == "svc")))
    h.partial_service_fqdn = service_fqdn(labels[0], labels[1]);
  return h;
}

bool host_covers(std::string_view pattern, std::string_view host) {
  if (pattern == host) return true;
  if (pattern == "*") return true;
  if (!starts_with(pattern, "*")) return false;
  std::string_view suffix = pattern.substr(1);  // ".example.com"
  if (starts_with(host, "*")) return ends_with(host.substr(1), suffix);
  return host.size() > suffix.size() && ends_with(host, suffix);
}

bool hosts_overlap(std::string_view a, std::string_view b) {
  return host_covers(a, b) || host_covers(b, a);
}

}  // namespace kmesh::mesh::analyze
