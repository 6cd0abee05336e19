#pragma once
// The in-memory "world" analyzers look at: objects from files and/or the cluster, each
// with where it came from, and what is known completely (which kinds were listed from the
// cluster in which namespaces). An analyzer may call a missing object a problem only where
// the world knows it completely; elsewhere the reference is "unresolved".

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/mesh/analyze/findings.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh::analyze {

/// One Kubernetes object and its origin.
struct Object {
  Json value;
  std::string api_version, group, kind, ns, name;  ///< ns empty when cluster-scoped
  std::string source;                              ///< the file; empty when read from the cluster
  int line = 0;
  bool in_scope = true;  ///< analyzed; false for objects read only to resolve references

  bool from_cluster() const { return source.empty(); }
  ObjectRef ref() const { return {kind, ns, name}; }
  const Json& spec() const;
  const Json& labels() const;
};

/// Which namespaces the world knows every object of a kind in.
struct Coverage {
  bool all = false;
  std::set<std::string> namespaces;
  bool covers(const std::string& ns) const { return all || namespaces.count(ns) > 0; }
};

/// Istio's API groups.
inline constexpr const char* kNetworking = "networking.istio.io";
inline constexpr const char* kSecurity = "security.istio.io";
/// The namespace whose mesh-wide policies apply everywhere.
inline constexpr const char* kRootNamespace = "istio-system";

class World {
 public:
  /// Adds an object. With the same group, kind, namespace and name as one already there, a
  /// file object wins over a cluster one whatever the order (files apply on top of the
  /// cluster), and a later file object replaces an earlier one (recorded as a duplicate).
  void add(Object object);

  const std::vector<Object>& objects() const { return objects_; }
  /// Objects of a kind (any group when `group` is "*").
  std::vector<const Object*> of_kind(const std::string& group, const std::string& kind) const;
  const Object* find(const std::string& group, const std::string& kind, const std::string& ns,
                     const std::string& name) const;

  /// Records that every object of `kind` in `coverage` is in the world.
  void set_known(const std::string& kind, Coverage coverage) { known_[kind] = std::move(coverage); }
  /// Pretends everything is known (a unit test standing in for a whole cluster).
  void set_all_known() { all_known_ = true; }
  /// Whether every object of `kind` in namespace `ns` (any, for cluster-scoped kinds: "")
  /// is in the world.
  bool knows(const std::string& kind, const std::string& ns) const;
  /// Whether every object of `kind` in every namespace is in the world.
  bool knows_all(const std::string& kind) const;
  /// Whether the cluster was asked for the workloads a Gateway's selector picks.
  bool gateway_workloads_known = false;

  /// A file object that an earlier file object with the same key was replaced by.
  struct Duplicate {
    Object first;         ///< the one replaced
    const Object* later;  ///< the one kept
  };
  /// Objects given twice in the input (the later one wins, as with kubectl apply).
  std::vector<Duplicate> duplicates() const;

 private:
  std::vector<Object> objects_;
  std::vector<std::pair<Object, size_t>> replaced_;  ///< replaced file object, kept position
  std::map<std::string, size_t> index_;              ///< key -> position
  std::map<std::string, Coverage> known_;
  bool all_known_ = false;
};

/// The group kubectl treats an old group as for this kind ("extensions" Deployment ->
/// "apps"), so duplicates across old and new versions are found.
std::string canonical_group(const std::string& group, const std::string& kind);

/// Whether a kind is cluster-scoped (Namespace, ClusterRole, CRDs, webhooks...).
bool cluster_scoped_kind(const std::string& kind);

/// An Object from a document: namespaced kinds without a namespace get `default_ns`.
Object object_from(Document doc, const std::string& default_ns);
/// An Object read from the cluster.
Object object_from_cluster(Json value, bool in_scope);

}  // namespace kmesh::mesh::analyze
