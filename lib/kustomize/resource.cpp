#include "lib/kustomize/resource.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "lib/kustomize/scalars.hpp"

namespace kmesh::kustomize {
namespace {

constexpr const char* kNotNamespaceable = "_non_namespaceable_";

// kyaml's precomputed table of built-in cluster-scoped types, keyed by exact apiVersion.
const std::set<std::pair<std::string, std::string>>& cluster_scoped_types() {
  static const std::set<std::pair<std::string, std::string>> types = {
      {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
      {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
      {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"},
      {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"},
      {"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
      {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"},
      {"apiregistration.k8s.io/v1", "APIService"},
      {"apiregistration.k8s.io/v1beta1", "APIService"},
      {"certificates.k8s.io/v1", "CertificateSigningRequest"},
      {"certificates.k8s.io/v1beta1", "CertificateSigningRequest"},
      {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"},
      {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"},
      {"networking.k8s.io/v1", "IngressClass"},
      {"networking.k8s.io/v1beta1", "IngressClass"},
      {"node.k8s.io/v1", "RuntimeClass"},
      {"node.k8s.io/v1beta1", "RuntimeClass"},
      {"policy/v1beta1", "PodSecurityPolicy"},
      {"rbac.authorization.k8s.io/v1", "ClusterRole"},
      {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
      {"rbac.authorization.k8s.io/v1beta1", "ClusterRole"},
      {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"},
      {"scheduling.k8s.io/v1", "PriorityClass"},
      {"scheduling.k8s.io/v1beta1", "PriorityClass"},
      {"storage.k8s.io/v1", "CSIDriver"},
      {"storage.k8s.io/v1", "CSINode"},
      {"storage.k8s.io/v1", "StorageClass"},
      {"storage.k8s.io/v1", "VolumeAttachment"},
      {"storage.k8s.io/v1beta1", "CSIDriver"},
      {"storage.k8s.io/v1beta1", "CSINode"},
      {"storage.k8s.io/v1beta1", "StorageClass"},
      {"storage.k8s.io/v1beta1", "VolumeAttachment"},
      {"v1", "ComponentStatus"},
      {"v1", "Namespace"},
      {"v1", "Node"},
      {"v1", "NodeProxyOptions"},
      {"v1", "PersistentVolume"},
  };
  return types;
}

std::string effective(const std::string& ns, bool cluster_scoped) {
  if (cluster_scoped) return kNotNamespaceable;
  if (ns.empty() || ns == "default") return "default";
  return ns;
}

Json& metadata_of(Json& object) {
  Json& meta = object["metadata"];
  if (!meta.is_object()) meta = Json::object();
  return meta;
}

}  // namespace

std::string string_field(const Json& map, const char* key) {
  if (!map.is_object()) return "";
  auto it = map.find(key);
  if (it == map.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

Gvk Gvk::of(const Json& object) {
  Gvk gvk;
  std::string api_version = string_field(object, "apiVersion");
  size_t slash = api_version.find('/');
  if (slash == std::string::npos) {
    gvk.version = api_version;
  } else {
    gvk.group = api_version.substr(0, slash);
    gvk.version = api_version.substr(slash + 1);
  }
  gvk.kind = string_field(object, "kind");
  return gvk;
}

std::string Gvk::api_version() const {
  return group.empty() ? version : group + "/" + version;
}

bool Gvk::selected_by(const Gvk& s) const {
  return (s.group.empty() || s.group == group) && (s.version.empty() || s.version == version) &&
         (s.kind.empty() || s.kind == kind);
}

std::string Gvk::str() const {
  return (kind.empty() ? "[noKind]" : kind) + "." + (version.empty() ? "[noVer]" : version) + "." +
         (group.empty() ? "[noGrp]" : group);
}

bool is_cluster_scoped(const Gvk& gvk) {
  return cluster_scoped_types().count({gvk.api_version(), gvk.kind}) > 0;
}

std::string ResId::effective_namespace() const {
  return effective(ns, cluster_scoped);
}

bool ResId::equals(const ResId& o) const {
  return name == o.name && gvk == o.gvk && effective_namespace() == o.effective_namespace();
}

std::string ResId::str() const {
  return gvk.str() + "/" + (name.empty() ? "[noName]" : name) + "." + (ns.empty() ? "[noNs]" : ns);
}

std::string Resource::name() const {
  auto it = object.find("metadata");
  return it == object.end() ? "" : string_field(*it, "name");
}

std::string Resource::ns() const {
  auto it = object.find("metadata");
  return it == object.end() ? "" : string_field(*it, "namespace");
}

std::string Resource::kind() const {
  return string_field(object, "kind");
}

ResId Resource::cur_id() const {
  ResId id{Gvk::of(object), name(), ns(), false};
  id.cluster_scoped = is_cluster_scoped(id.gvk);
  return id;
}

std::vector<ResId> Resource::prev_ids() const {
  std::vector<ResId> ids;
  if (previous.empty()) return ids;
  Gvk current = Gvk::of(object);
  ids.reserve(previous.size());
  for (const auto& p : previous)
    ids.push_back(ResId{Gvk{current.group, current.version, p.kind}, p.name, p.ns, false});
  return ids;
}

ResId Resource::org_id() const {
  auto ids = prev_ids();
  return ids.empty() ? cur_id() : ids.front();
}

void Resource::store_previous_id() {
  ResId id = cur_id();
  previous.push_back({id.gvk.kind, id.name, id.effective_namespace()});
  mark_build_annotated();
}

void Resource::set_name(const std::string& name) {
  metadata_of(object)["name"] = name;
}

void Resource::set_namespace(const std::string& ns) {
  Json& meta = metadata_of(object);
  if (ns.empty())
    meta.erase("namespace");
  else
    meta["namespace"] = ns;
}

void Resource::mark_build_annotated() {
  build_annotated = true;
  Json& meta = metadata_of(object);
  auto it = meta.find("annotations");
  if (it == meta.end()) return;
  Json normalised = Json::object();
  if (it->is_object())
    for (auto a = it->begin(); a != it->end(); ++a)
      normalised[a.key()] = scalar_text(a.value());
  *it = std::move(normalised);
}

std::string ResMap::key_of(const ResId& id) {
  return id.gvk.group + '\x1f' + id.gvk.version + '\x1f' + id.gvk.kind + '\x1f' + id.name + '\x1f' +
         id.effective_namespace();
}

void ResMap::rebuild_index() {
  index_.clear();
  for (size_t i = 0; i < items_.size(); ++i)
    index_.emplace(key_of(items_[i].cur_id()), i);
  index_valid_ = true;
}

Status ResMap::append(Resource resource) {
  if (!index_valid_) rebuild_index();
  ResId id = resource.cur_id();
  if (!index_.emplace(key_of(id), items_.size()).second)
    return usage_error("may not add resource with an already registered id: " + id.str());
  items_.push_back(std::move(resource));
  return {};
}

Status ResMap::append_all(ResMap other) {
  for (auto& r : other.items_)
    KMESH_TRY(append(std::move(r)));
  return {};
}

void ResMap::drop_empty() {
  auto empty = [](const Resource& r) { return r.object.is_null() || r.object.empty(); };
  items_.erase(std::remove_if(items_.begin(), items_.end(), empty), items_.end());
  index_valid_ = false;
}

}  // namespace kmesh::kustomize
