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

// Records the Namespaces: all of them when the user may list them, else the scope's own
// (GET), else none (the checks then treat the labels as unknown).
void add_namespaces(World& world, kube::Client& client, const kube::ResourceInfo& info,
                    Result<std::vector<Json>> all, const ClusterScope& scope,
                    std::vector<std::string>& notes) {
  if (all.ok()) {
    for (auto& item : *all) {
      Object o = object_from_cluster(std::move(item), false);
      o.in_scope = scope.all || o.name == scope.ns;
      world.add(std::move(o));
    }
    world.set_known("Namespace", {true, {}});
    return;
  }
  notes.push_back("cannot list namespaces (" + all.error().message +
                  "): namespace references stay unresolved");
  if (scope.all) return;
  auto one = kube::get_object(client, info, "", scope.ns);
  if (!one.ok())
    notes.push_back("cannot read namespace " + scope.ns + " (" + one.error().message +
                    "): its injection labels are unknown");
  else if (*one)
    world.add(object_from_cluster(std::move(**one), true));
}

// One kind the cluster serves, and how it is read.
struct KindRead {
  const Kind* kind;
  kube::ResourceInfo info;
  bool wide;  ///< listed in every namespace although the scope is one (a reference kind)
};

// The kinds to read; kinds the cluster does not serve (their CRD is not installed) are known
// to have no objects at all.
std::vector<KindRead> served_kinds(World& world, kube::Discovery& discovery,
                                   const ClusterScope& scope, std::vector<std::string>& notes) {
  std::vector<KindRead> out;
  for (const auto& k : kKinds) {
    auto info = discovery.find_preferred(k.group, k.kind);
    if (!info) {
      notes.push_back(std::string("the cluster does not serve ") + k.kind + " (" +
                      (*k.group ? k.group : "core") + "): skipped");
      world.set_known(k.kind, {true, {}});
      continue;
    }
    out.push_back({&k, *info, !scope.all && k.reference});
  }
  return out;
}

kube::ListCall scoped_call(const KindRead& k, const ClusterScope& scope) {
  return {k.info, scope.all || k.wide ? "" : scope.ns, "", false};
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
  std::vector<kube::ListCall> calls;
  for (const auto& selector : selectors)
    for (const auto& [group, kind] : {std::pair{"", "Pod"}, std::pair{"apps", "Deployment"}})
      if (auto info = discovery.find_preferred(group, kind)) calls.push_back({*info, "", selector});
  bool complete = true;
  for (auto& items : kube::list_objects_parallel(client, calls)) {
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

// The lists go out as one parallel batch: Namespaces and every served kind (reference kinds
// cluster-wide when the scope is one namespace). A reference kind the user may not list
// everywhere is listed again in the scope's namespace, in a second batch.
Status add_cluster_objects(World& world, kube::Client& client, kube::Discovery& discovery,
                           const ClusterScope& scope, std::vector<std::string>& notes) {
  auto ns_info = discovery.find_preferred("", "Namespace");
  if (!ns_info) return cluster_error("the server does not serve Namespaces");
  std::vector<std::string> unserved;  // noted after the namespaces, as they are read first
  std::vector<KindRead> kinds = served_kinds(world, discovery, scope, unserved);
  std::vector<kube::ListCall> calls = {{*ns_info, "", "", false}};
  for (const auto& k : kinds)
    calls.push_back(scoped_call(k, scope));
  auto results = kube::list_objects_parallel(client, calls);
  add_namespaces(world, client, *ns_info, std::move(results[0]), scope, notes);
  notes.insert(notes.end(), unserved.begin(), unserved.end());
  std::vector<size_t> narrowed_kinds;
  std::vector<kube::ListCall> narrowed;
  for (size_t i = 0; i < kinds.size(); ++i) {
    const auto& listed = results[i + 1];
    if (listed.ok() || !kinds[i].wide) continue;
    notes.push_back("cannot list " + kinds[i].info.resource + " in all namespaces (" +
                    listed.error().message + "): references to other namespaces stay unresolved");
    kinds[i].wide = false;
    narrowed_kinds.push_back(i);
    narrowed.push_back(scoped_call(kinds[i], scope));
  }
  auto again = kube::list_objects_parallel(client, narrowed);
  for (size_t k = 0; k < narrowed_kinds.size(); ++k)
    results[narrowed_kinds[k] + 1] = std::move(again[k]);
  for (size_t i = 0; i < kinds.size(); ++i) {
    auto& items = results[i + 1];
    if (!items.ok()) return std::move(items).error();
    add_listed(world, std::move(*items), scope);
    world.set_known(kinds[i].kind->kind,
                    scope.all || kinds[i].wide ? Coverage{true, {}} : Coverage{false, {scope.ns}});
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
