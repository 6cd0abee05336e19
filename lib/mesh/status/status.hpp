#pragma once
// `kubectl mesh status`: one view of the mesh. The Istio install (revisions, versions,
// profiles, tags) and the health of istiod and the gateways; the namespaces in scope with
// their injection state and whether their workloads' sidecars match it; every Service's
// traffic policy; the counts of analyze's findings. Reading the cluster is read.cpp; the
// rest is pure: istio.cpp, namespaces.cpp and model.cpp build the view (one JSON value,
// the -o json|yaml document), table.cpp turns it into table sections.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/mesh/analyze/world.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh::status {

/// Which namespaces status shows.
struct Scope {
  enum Mode {
    kMesh,       ///< namespaces with an injection label or Istio objects (the default)
    kNamespace,  ///< -n NS
    kAll,        ///< -A
  } mode = kMesh;
  std::string ns;  ///< for kNamespace
};

/// What istio-system holds, as read.
struct ControlPlaneObjects {
  std::vector<Json> install_records;  ///< the kubectl-mesh-install[-R] ConfigMaps
  std::vector<Json> deployments;      ///< every Deployment of istio-system
  std::vector<Json> pods;             ///< every Pod of istio-system
  std::vector<Json> tag_webhooks;     ///< webhook configurations labelled istio.io/tag
  bool tags_known = true;             ///< false when the webhooks could not be listed
  std::string unreadable;             ///< why istio-system could not be read; "" when it could
  bool crds_served = false;           ///< the cluster serves networking.istio.io
};

/// Everything the view is built from.
struct Inputs {
  ControlPlaneObjects control_plane;
  analyze::World world;  ///< what analyze read: Namespaces, Services, workloads, Istio objects
  std::vector<Json> http_routes;  ///< Gateway API HTTPRoutes of the scope, when served
};

/// The Istio section: {installed, crds, revisions, components, message}.
Json istio_section(const ControlPlaneObjects& control_plane);

/// The namespaces in scope, sorted: the named one, every one, or (kMesh) those labelled
/// istio-injection or istio.io/rev or holding an Istio object.
std::vector<std::string> scope_namespaces(const analyze::World& world, const Scope& scope);

/// The revisions and tags injection labels may name; nothing when unknown (istio-system or
/// the tags could not be read).
std::optional<std::set<std::string>> injectable_revisions(const Json& istio,
                                                          const ControlPlaneObjects& control_plane);

/// One entry per namespace: {name, injection, labels, warnings, workloads}; a label naming
/// a revision or tag not in `revisions` gets a warning.
Json namespaces_section(const analyze::World& world, const std::vector<std::string>& names,
                        const std::optional<std::set<std::string>>& revisions);

/// The whole view: {scope, istio, namespaces, services, analysis}, keys sorted, nothing in it
/// that changes between runs on an unchanged cluster.
Json build_status(const Inputs& inputs, const Scope& scope);

/// Reads what the view needs (three parallel batches after discovery) and builds it. A
/// namespace named with -n that does not exist is a usage error. `notes` say what could
/// not be read.
Result<Json> cluster_status(kube::Client& client, kube::Discovery& discovery, const Scope& scope,
                            std::vector<std::string>& notes);

/// A table of the table output.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

/// One piece of a section: a table, or (when `table.headers` is empty) a line of text.
struct Part {
  Table table;
  std::string line;
};

/// One section of the table output: a heading ("Istio") and its parts in order.
struct Section {
  std::string heading;
  std::vector<Part> parts;
};

/// The view as table sections: Istio, Namespaces, Services, Analysis.
std::vector<Section> table_sections(const Json& view);

}  // namespace kmesh::mesh::status
