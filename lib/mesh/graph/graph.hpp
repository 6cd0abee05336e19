#pragma once
// The mesh's topology as data: ingress gateways (and the mesh itself) through
// VirtualServices to Services and their subsets, with each route's match, weight, retries,
// timeout and the destination's circuit breaker on the edges. Built by a pure function of
// the same World analyze uses; printed by the renderers in render.hpp.

#include <optional>
#include <string>
#include <vector>

#include "lib/mesh/analyze/world.hpp"

namespace kmesh::mesh::graph {

enum class NodeKind { kGateway, kMesh, kVirtualService, kService, kSubset, kExternal };

/// "Gateway", "VirtualService", "Service"...
std::string kind_name(NodeKind kind);

struct Node {
  std::string id;  ///< "n1", "n2": safe in every output format
  NodeKind kind = NodeKind::kService;
  std::string name, ns;
  std::string parent;                ///< a subset's Service node id
  std::vector<std::string> details;  ///< gateway servers, VirtualService hosts, "no Service"
  std::string key;                   ///< identity while building: "svc/ns/name"
};

/// Request rate and error ratio on an edge, from istio_requests_total.
struct Traffic {
  double rps = 0;
  double error_ratio = 0;  ///< 5xx responses / all responses
};

struct Edge {
  std::string from, to;             ///< node ids
  std::vector<std::string> labels;  ///< "prefix /restful/accounts", "weight 90", "retries 3x2s"
  std::optional<Traffic> traffic;
  /// The destination, for attaching metrics: Service name, namespace, version of the subset.
  std::string service, service_ns, version;
};

struct Graph {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  const Node* node(const std::string& id) const;
};

/// Builds the graph of the in-scope objects of a World.
Graph build_graph(const analyze::World& world);

}  // namespace kmesh::mesh::graph
