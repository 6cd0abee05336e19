#include "lib/kustomize/ordering.hpp"

#include <algorithm>
#include <unordered_map>

namespace kmesh::kustomize {
namespace {

const std::vector<std::string> kOrderFirst = {"Namespace",
                                              "ResourceQuota",
                                              "StorageClass",
                                              "CustomResourceDefinition",
                                              "ServiceAccount",
                                              "PodSecurityPolicy",
                                              "Role",
                                              "ClusterRole",
                                              "RoleBinding",
                                              "ClusterRoleBinding",
                                              "ConfigMap",
                                              "Secret",
                                              "Endpoints",
                                              "Service",
                                              "LimitRange",
                                              "PriorityClass",
                                              "PersistentVolume",
                                              "PersistentVolumeClaim",
                                              "Deployment",
                                              "StatefulSet",
                                              "CronJob",
                                              "PodDisruptionBudget"};
const std::vector<std::string> kOrderLast = {"MutatingWebhookConfiguration",
                                             "ValidatingWebhookConfiguration"};

std::string gvk_key(const Gvk& g) {
  return (g.group.empty() ? "~G" : g.group) + "_" + (g.version.empty() ? "~V" : g.version) + "_" +
         (g.kind.empty() ? "~K" : g.kind);
}

std::string id_key(const ResId& id) {
  return id.gvk.str() + "|" + (id.ns.empty() ? "~X" : id.ns) + "|" +
         (id.name.empty() ? "~N" : id.name);
}

struct Key {
  int rank;
  Gvk gvk;
  std::string gvk_sort;
  std::string id_sort;
};

bool less(const Key& a, const Key& b) {
  if (!(a.gvk == b.gvk)) {
    if (a.rank != b.rank) return a.rank < b.rank;
    // Kustomize orders two Namespace kinds, one without a group, the other way round.
    if (a.gvk.kind == "Namespace" && b.gvk.kind == "Namespace" &&
        (a.gvk.group.empty() || b.gvk.group.empty()))
      return a.gvk_sort > b.gvk_sort;
    return a.gvk_sort < b.gvk_sort;
  }
  return a.id_sort < b.id_sort;
}

}  // namespace

void sort_for_output(std::vector<Resource>& items, const std::optional<SortOptions>& options) {
  if (options && options->order == "fifo") return;
  const auto& first = options && options->order_first ? *options->order_first : kOrderFirst;
  const auto& last = options && options->order_last ? *options->order_last : kOrderLast;
  std::unordered_map<std::string, int> rank;
  for (size_t i = 0; i < first.size(); ++i)
    rank[first[i]] = -static_cast<int>(first.size()) + static_cast<int>(i);
  for (size_t i = 0; i < last.size(); ++i)
    rank[last[i]] = 1 + static_cast<int>(i);
  std::vector<std::pair<Key, size_t>> keys;
  keys.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    ResId id = items[i].cur_id();
    auto it = rank.find(id.gvk.kind);
    keys.push_back(
        {Key{it == rank.end() ? 0 : it->second, id.gvk, gvk_key(id.gvk), id_key(id)}, i});
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return less(a.first, b.first); });
  std::vector<Resource> sorted;
  sorted.reserve(items.size());
  for (const auto& [key, i] : keys)
    sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

}  // namespace kmesh::kustomize
