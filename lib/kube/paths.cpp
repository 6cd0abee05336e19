#include "lib/kube/paths.hpp"

#include "lib/kube/client.hpp"

namespace kmesh::kube {

std::string collection_path(const ResourceInfo& r, const std::string& ns) {
  std::string path = r.group.empty() ? "/api/" + r.version : "/apis/" + r.group + "/" + r.version;
  if (r.namespaced && !ns.empty()) path += "/namespaces/" + url_escape(ns);
  return path + "/" + r.resource;
}

std::string object_path(const ResourceInfo& r, const std::string& ns, const std::string& name) {
  return collection_path(r, ns) + "/" + url_escape(name);
}

}  // namespace kmesh::kube
