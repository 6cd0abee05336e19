#include "lib/mesh/analyze/world.hpp"

#include "lib/kube/objects.hpp"

namespace kmesh::mesh::analyze {
namespace {

const Json kEmpty = Json::object();

std::string key_of(const Object& o) {
  return canonical_group(o.group, o.kind) + "/" + o.kind + "/" + o.ns + "/" + o.name;
}

}  // namespace

const Json& Object::spec() const {
  auto it = value.find("spec");
  return it != value.end() && it->is_object() ? *it : kEmpty;
}

const Json& Object::labels() const {
  auto meta = value.find("metadata");
  if (meta == value.end() || !meta->is_object()) return kEmpty;
  auto it = meta->find("labels");
  return it != meta->end() && it->is_object() ? *it : kEmpty;
}

void World::add(Object object) {
  std::string key = key_of(object);
  auto it = index_.find(key);
  if (it == index_.end()) {
    index_[key] = objects_.size();
    objects_.push_back(std::move(object));
    return;
  }
  Object& old = objects_[it->second];
  if (!old.from_cluster() && object.from_cluster()) return;  // the file applies on top
  if (!old.from_cluster()) replaced_.emplace_back(old, it->second);
  if (old.from_cluster() && object.from_cluster())
    object.in_scope = object.in_scope || old.in_scope;
  old = std::move(object);
}

std::vector<World::Duplicate> World::duplicates() const {
  std::vector<Duplicate> out;
  for (const auto& [first, pos] : replaced_)
    out.push_back({first, &objects_[pos]});
  return out;
}

std::vector<const Object*> World::of_kind(const std::string& group, const std::string& kind) const {
  std::vector<const Object*> out;
  for (const auto& o : objects_)
    if (o.kind == kind && (group == "*" || o.group == group)) out.push_back(&o);
  return out;
}

const Object* World::find(const std::string& group, const std::string& kind, const std::string& ns,
                          const std::string& name) const {
  Object probe;
  probe.group = group, probe.kind = kind, probe.ns = ns, probe.name = name;
  auto it = index_.find(key_of(probe));
  return it == index_.end() ? nullptr : &objects_[it->second];
}

bool World::knows(const std::string& kind, const std::string& ns) const {
  if (all_known_) return true;
  auto it = known_.find(kind);
  return it != known_.end() && (it->second.all || (!ns.empty() && it->second.covers(ns)));
}

bool World::knows_all(const std::string& kind) const {
  if (all_known_) return true;
  auto it = known_.find(kind);
  return it != known_.end() && it->second.all;
}

std::string canonical_group(const std::string& group, const std::string& kind) {
  if (group != "extensions") return group;
  if (kind == "Deployment" || kind == "DaemonSet" || kind == "ReplicaSet") return "apps";
  if (kind == "Ingress" || kind == "NetworkPolicy") return "networking.k8s.io";
  if (kind == "PodSecurityPolicy") return "policy";
  return group;
}

bool cluster_scoped_kind(const std::string& kind) {
  static const std::set<std::string> kinds = {"Namespace",
                                              "Node",
                                              "PersistentVolume",
                                              "ClusterRole",
                                              "ClusterRoleBinding",
                                              "CustomResourceDefinition",
                                              "StorageClass",
                                              "PriorityClass",
                                              "IngressClass",
                                              "RuntimeClass",
                                              "MutatingWebhookConfiguration",
                                              "ValidatingWebhookConfiguration",
                                              "ValidatingAdmissionPolicy",
                                              "ValidatingAdmissionPolicyBinding",
                                              "APIService",
                                              "CSIDriver",
                                              "CSINode",
                                              "VolumeAttachment",
                                              "PodSecurityPolicy",
                                              "CertificateSigningRequest",
                                              "FlowSchema",
                                              "PriorityLevelConfiguration",
                                              "ComponentStatus"};
  return kinds.count(kind) > 0;
}

Object object_from(Document doc, const std::string& default_ns) {
  Object o = object_from_cluster(std::move(doc.value), true);
  o.source = doc.source.empty() ? "-" : doc.source;
  o.line = doc.line;
  if (o.ns.empty() && !cluster_scoped_kind(o.kind)) o.ns = default_ns;
  return o;
}

Object object_from_cluster(Json value, bool in_scope) {
  Object o;
  o.api_version = kube::api_version_of(value);
  o.group = kube::group_of(o.api_version);
  o.kind = kube::kind_of(value);
  o.name = kube::name_of(value);
  o.ns = kube::namespace_of(value);
  o.in_scope = in_scope;
  o.value = std::move(value);
  return o;
}

}  // namespace kmesh::mesh::analyze
