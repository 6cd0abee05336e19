#include "lib/mesh/precheck.hpp"

#include <cstdio>

#include "lib/core/strings.hpp"

namespace kmesh::mesh {

std::string Permission::describe() const {
  std::string what = group.empty() ? resource : resource + "." + group;
  return verb + " " + what + (ns.empty() ? " (cluster-wide)" : " in " + ns);
}

std::optional<std::pair<int, int>> parse_server_version(const std::string& git_version) {
  int major = 0, minor = 0;
  if (std::sscanf(git_version.c_str(), "v%d.%d", &major, &minor) != 2) return std::nullopt;
  return std::make_pair(major, minor);
}

bool version_in_range(std::pair<int, int> v, const std::string& min, const std::string& max) {
  auto lo = parse_server_version("v" + min), hi = parse_server_version("v" + max);
  return lo && hi && v >= *lo && v <= *hi;
}

Status check_server_version(kube::Client& client) {
  KMESH_ASSIGN_OR_RETURN(auto version, client.get_json("/version", "reading the server version"));
  std::string git = version.value("gitVersion", "");
  auto parsed = parse_server_version(git);
  if (!parsed) return cluster_error("precheck: cannot read the server version \"" + git + "\"");
  if (!version_in_range(*parsed, KMESH_KUBE_MIN, KMESH_KUBE_MAX))
    return cluster_error(std::string("precheck: the cluster runs Kubernetes ") + git + "; Istio " +
                         KMESH_ISTIO_VERSION + " supports " + KMESH_KUBE_MIN + " to " +
                         KMESH_KUBE_MAX + "; nothing was changed");
  return {};
}

Result<std::vector<Permission>> denied_permissions(kube::Client& client,
                                                   const std::vector<Permission>& wanted) {
  std::vector<kube::HttpRequest> requests;
  for (const auto& p : wanted) {
    Json attrs = {{"group", p.group}, {"resource", p.resource}, {"verb", p.verb}};
    if (!p.ns.empty()) attrs["namespace"] = p.ns;
    kube::HttpRequest r;
    r.method = "POST";
    r.path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = Json{{"apiVersion", "authorization.k8s.io/v1"},
                  {"kind", "SelfSubjectAccessReview"},
                  {"spec", {{"resourceAttributes", attrs}}}}
                 .dump();
    r.idempotent = true;  // a review changes nothing
    requests.push_back(std::move(r));
  }
  auto responses = client.send(requests);
  std::vector<Permission> denied;
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (!responses[i].ok())
      return client.error(responses[i], "precheck: asking what the user may do");
    Json review = Json::parse(responses[i].body, nullptr, false);
    bool allowed = !review.is_discarded() && review.contains("status") &&
                   review["status"].value("allowed", false);
    if (!allowed) denied.push_back(wanted[i]);
  }
  return denied;
}

}  // namespace kmesh::mesh
