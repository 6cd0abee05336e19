#pragma once
// The objects a kustomization works on: one Json per Kubernetes object, plus what Kustomize
// keeps beside it while building (previous ids, name prefixes and suffixes, generator
// options). Kustomize keeps that bookkeeping in annotations it strips at the end; here it
// lives in fields, which nothing a user writes can collide with.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kustomize {

/// Group, version and kind, as Kustomize compares them.
struct Gvk {
  std::string group;
  std::string version;
  std::string kind;

  /// From an object's apiVersion and kind.
  static Gvk of(const Json& object);
  /// "group/version", or "version" for the core group.
  std::string api_version() const;
  /// Whether this matches a selector whose empty fields match anything.
  bool selected_by(const Gvk& selector) const;
  /// Kind.version.group with Kustomize's placeholders for empty fields, for messages.
  std::string str() const;
  bool operator==(const Gvk&) const = default;
};

/// Whether Kustomize knows the type to be cluster-scoped (unknown kinds are namespaced).
bool is_cluster_scoped(const Gvk& gvk);

/// An object's identity: GVK, name and namespace.
struct ResId {
  Gvk gvk;
  std::string name;
  std::string ns;
  bool cluster_scoped = false;

  /// The namespace used for comparisons: "default" for none, a marker for cluster scope.
  std::string effective_namespace() const;
  /// Same GVK, name and effective namespace.
  bool equals(const ResId& other) const;
  /// "Kind.version.group/name.namespace", as Kustomize prints ids.
  std::string str() const;
};

/// How a generated ConfigMap or Secret combines with one of the same id from a base.
enum class Behavior { kUnspecified, kCreate, kReplace, kMerge };

/// What a generator attached to the object it made.
struct Generated {
  Behavior behavior = Behavior::kUnspecified;
  bool needs_hash = true;
};

/// One object and Kustomize's bookkeeping about it.
struct Resource {
  Json object;
  /// Earlier (kind, name, effective namespace) of the object, oldest first.
  struct PrevId {
    std::string kind, name, ns;
  };
  std::vector<PrevId> previous;
  std::vector<std::string> prefixes;
  std::vector<std::string> suffixes;
  std::optional<Generated> generated;
  /// Whether Kustomize would have written build annotations on it (they normalise the
  /// annotations map when removed at the end).
  bool build_annotated = false;
  std::string source;  ///< where it was read or generated, for messages

  std::string name() const;
  std::string ns() const;
  std::string kind() const;
  ResId cur_id() const;
  /// Previous ids with the current group and version, as Kustomize rebuilds them.
  std::vector<ResId> prev_ids() const;
  /// The first id the object had.
  ResId org_id() const;
  /// Records the current id as a previous one (before a rename or a namespace change).
  void store_previous_id();
  void set_name(const std::string& name);
  void set_namespace(const std::string& ns);
  /// Marks the object as carrying build annotations, normalising its annotations map.
  void mark_build_annotated();
};

/// The ordered set of objects being built, with an index against duplicate ids.
class ResMap {
 public:
  std::vector<Resource>& items() { return items_; }
  const std::vector<Resource>& items() const { return items_; }
  size_t size() const { return items_.size(); }

  /// Adds an object; an error if one with the same current id is already there.
  Status append(Resource resource);
  /// Appends every object of another map.
  Status append_all(ResMap other);
  /// Indexes of the objects whose current or any previous id satisfies `match`.
  template <typename Match>
  std::vector<size_t> matching_any_id(Match match) const {
    std::vector<size_t> out;
    for (size_t i = 0; i < items_.size(); ++i) {
      if (match(items_[i].cur_id())) {
        out.push_back(i);
        continue;
      }
      for (const auto& id : items_[i].prev_ids())
        if (match(id)) {
          out.push_back(i);
          break;
        }
    }
    return out;
  }
  /// Drops the objects that became empty (deleted by a patch).
  void drop_empty();
  /// Forgets the duplicate index; call after anything renamed objects.
  void invalidate() { index_valid_ = false; }

 private:
  static std::string key_of(const ResId& id);
  void rebuild_index();

  std::vector<Resource> items_;
  std::unordered_map<std::string, size_t> index_;
  bool index_valid_ = true;
};

/// A string field of a map, or "" when absent or not a string.
std::string string_field(const Json& map, const char* key);

}  // namespace kmesh::kustomize
