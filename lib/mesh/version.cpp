#include "lib/mesh/version.hpp"

#include "lib/kube/objects.hpp"

namespace kmesh::mesh {
namespace {

// "docker.io/istio/pilot:1.31.0" -> "1.31.0"
std::string tag_of(const std::string& image) {
  size_t colon = image.rfind(':');
  size_t slash = image.rfind('/');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
  return image.substr(colon + 1);
}

}  // namespace

Json client_version() {
  return {{"version", KMESH_VERSION},
          {"gitCommit", git_commit()},
          {"istioVersion", KMESH_ISTIO_VERSION},
          {"kubernetes", {{"min", KMESH_KUBE_MIN}, {"max", KMESH_KUBE_MAX}}}};
}

Result<Json> installed_versions(kube::Client& client) {
  kube::HttpRequest req;
  req.path = std::string("/apis/apps/v1/namespaces/") + kIstioNamespace +
             "/deployments?labelSelector=app%3Distiod";
  auto resp = client.send(req);
  if (resp.status == 404) return Json::array();
  if (!resp.ok())
    return client.error(resp, "looking for istiod in " + std::string(kIstioNamespace));
  Json list = Json::parse(resp.body, nullptr, false);
  if (list.is_discarded()) return Json::array();
  return istiod_versions(list.value("items", std::vector<Json>()));
}

Json istiod_versions(const std::vector<Json>& deployments) {
  Json out = Json::array();
  for (const auto& d : deployments) {
    if (kube::label_of(d, "app") != "istiod") continue;
    std::string version = kube::label_of(d, "kubectl-mesh.dev/version");
    if (version.empty()) {
      const Json containers =
          d.value(Json::json_pointer("/spec/template/spec/containers"), Json::array());
      if (!containers.empty()) version = tag_of(containers[0].value("image", ""));
    }
    std::string revision = kube::label_of(d, "istio.io/rev");
    out.push_back({{"revision", revision.empty() ? "default" : revision}, {"version", version}});
  }
  return out;
}

}  // namespace kmesh::mesh
