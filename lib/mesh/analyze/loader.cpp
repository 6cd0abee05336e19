#include "lib/mesh/analyze/loader.hpp"

#include <set>

#include "lib/core/strings.hpp"
#include "lib/kube/ops.hpp"
#include "lib/mesh/analyze/fields.hpp"

namespace kmesh::mesh::analyze {
namespace {

struct Kind {
  const char* group;
  const char* kind;
  bool reference;  ///< also read outside the scope, to resolve references
};

const std::vector<Kind> kKinds = {
    {"", "Service", true},
    {"", "Pod", false},
    {"apps", "Deployment", false},
    {"apps", "StatefulSet", false},
    {"apps", "DaemonSet", false},
    {"batch", "Job", false},
    {kNetworking, "VirtualService", false},
    {kNetworking, "DestinationRule", true},
    {kNetworking, "Gateway", true},
    {kNetworking, "ServiceEntry", true},
    {kSecurity, "PeerAuthentication", true},
    {kSecurity, "RequestAuthentication", false},
    {kSecurity, "AuthorizationPolicy", false},
};

void add_listed(World& world, std::vector<Json> items, const ClusterScope& scope) {
  for (auto& item : items) {
    Object o = object_from_cluster(std::move(item), false);
    o.in_scope = scope.all || o.ns == scope.ns || o.ns.empty();
    world.add(std::move(o));
  }
}

Status read_namespaces(World& world, kube::Client& client, kube::Discovery& discovery,
                       const ClusterScope& scope, std::vector<std::string>& notes) {
  auto info = discovery.find_preferred("", "Namespace");
  if (!info) return cluster_error("the server does not serve Namespaces");
  auto all = kube::list_objects(client, *info, "", "");
  if (all.ok()) {
    for (auto& item : *all) {
      Object o = object_from_cluster(std::move(item), false);
      o.in_scope = scope.all || o.name == scope.ns;
      world.add(std::move(o));
    }
    world.set_known("Namespace", {true, {}});
    return {};
  }
  notes.push_back("cannot list namespaces (" + all.error().message +
                  "): namespace references stay unresolved");
  if (scope.all) return {};
  auto one = kube::get_object(client, *info, "", scope.ns);
  if (!one.ok())
    notes.push_back("cannot read namespace " + scope.ns + " (" + one.error().message +
                    "): its injection labels are unknown");
  else if (*one)
    world.add(object_from_cluster(std::move(**one), true));
  return {};
}

// The Pods and workloads that the Gateways' selectors pick, in any namespace.
void read_gateway_workloads(World& world, kube::Client& client, kube::Discovery& discovery,
                            std::vector<std::string>& notes) {
  std::set<std::string> selectors;
  for (const Object* gw : world.of_kind(kNetworking, "Gateway")) {
    std::vector<std::string> pairs;
    for (const auto& [k, v] : map(gw->spec(), "selector").items())
      if (v.is_string()) pairs.push_back(k + "=" + v.get<std::string>());
    if (!pairs.empty()) selectors.insert(join(pairs, ","));
  }
  bool complete = true;
  for (const auto& selector : selectors)
    for (const auto& [group, kind] : {std::pair{"", "Pod"}, std::pair{"apps", "Deployment"}}) {
      auto info = discovery.find_preferred(group, kind);
      if (!info) continue;
      auto items = kube::list_objects(client, *info, "", selector);
      if (!items.ok()) {
        notes.push_back("cannot look for gateway workloads (" + items.error().message + ")");
        complete = false;
        continue;
      }
      for (auto& item : *items)
        world.add(object_from_cluster(std::move(item), false));
    }
  world.gateway_workloads_known = complete;
}

}  // namespace

void add_documents(World& world, std::vector<Document> docs, const std::string& default_ns) {
  for (auto& doc : docs)
    world.add(object_from(std::move(doc), default_ns));
}

Status add_cluster_objects(World& world, kube::Client& client, kube::Discovery& discovery,
                           const ClusterScope& scope, std::vector<std::string>& notes) {
  KMESH_TRY(read_namespaces(world, client, discovery, scope, notes));
  for (const auto& k : kKinds) {
    auto info = discovery.find_preferred(k.group, k.kind);
    if (!info) {  // the CRD is not installed: no such object exists anywhere
      notes.push_back(std::string("the cluster does not serve ") + k.kind + " (" +
                      (*k.group ? k.group : "core") + "): skipped");
      world.set_known(k.kind, {true, {}});
      continue;
    }
    if (!scope.all && k.reference) {
      auto wide = kube::list_objects(client, *info, "", "");
      if (wide.ok()) {
        add_listed(world, std::move(*wide), scope);
        world.set_known(k.kind, {true, {}});
        continue;
      }
      notes.push_back("cannot list " + info->resource + " in all namespaces (" +
                      wide.error().message + "): references to other namespaces stay unresolved");
    }
    KMESH_ASSIGN_OR_RETURN(auto items,
                           kube::list_objects(client, *info, scope.all ? "" : scope.ns, ""));
    add_listed(world, std::move(items), scope);
    world.set_known(k.kind, scope.all ? Coverage{true, {}} : Coverage{false, {scope.ns}});
  }
  read_gateway_workloads(world, client, discovery, notes);
  return {};
}

Result<Report> analyze_cluster(kube::Client& client, kube::Discovery& discovery,
                               const ClusterScope& scope, const AnalyzeOptions& options,
                               std::vector<std::string>& notes) {
  World world;
  KMESH_TRY(add_cluster_objects(world, client, discovery, scope, notes));
  return analyze(world, options);
}

}  // namespace kmesh::mesh::analyze
