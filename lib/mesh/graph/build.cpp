#include <algorithm>
#include <map>

#include "lib/core/strings.hpp"
#include "lib/mesh/analyze/fields.hpp"
#include "lib/mesh/analyze/hosts.hpp"
#include "lib/mesh/graph/graph.hpp"

namespace kmesh::mesh::graph {
namespace {

using analyze::field;
using analyze::kNetworking;
using analyze::list;
using analyze::map;
using analyze::number;
using analyze::Object;
using analyze::str;

std::string scalar(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

// "prefix /restful/accounts", "exact /a, header x-user", or "any request".
std::string describe_match(const Json& http) {
  std::vector<std::string> alternatives;
  for (const auto& m : list(http, "match")) {
    std::vector<std::string> parts;
    for (const char* key : {"uri", "authority", "scheme", "method"}) {
      const Json& cond = map(m, key);
      for (const auto& [how, value] : cond.items())
        parts.push_back((std::string(key) == "uri" ? "" : std::string(key) + " ") + how + " " +
                        scalar(value));
    }
    for (const auto& [name, _] : map(m, "headers").items())
      parts.push_back("header " + name);
    if (!field(m, "port").is_null()) parts.push_back("port " + scalar(field(m, "port")));
    for (const auto& sni : list(m, "sniHosts"))
      parts.push_back("sni " + scalar(sni));
    if (!parts.empty()) alternatives.push_back(join(parts, ", "));
  }
  return alternatives.empty() ? "any request" : join(alternatives, " or ");
}

std::vector<std::string> describe_policies(const Json& http) {
  std::vector<std::string> out;
  if (!str(http, "timeout").empty()) out.push_back("timeout " + str(http, "timeout"));
  const Json& retries = map(http, "retries");
  if (!retries.empty()) {
    long long attempts = number(retries, "attempts", -1);
    if (attempts == 0)
      out.push_back("no retries");
    else {
      std::string text =
          "retries " + (attempts < 0 ? std::string("default") : std::to_string(attempts));
      if (!str(retries, "perTryTimeout").empty()) text += " x " + str(retries, "perTryTimeout");
      if (!str(retries, "retryOn").empty()) text += " on " + str(retries, "retryOn");
      out.push_back(text);
    }
  }
  const Json& fault = map(http, "fault");
  if (!map(fault, "delay").empty())
    out.push_back("fault delay " + str(map(fault, "delay"), "fixedDelay") + " " +
                  scalar(field(map(map(fault, "delay"), "percentage"), "value")) + "%");
  if (!map(fault, "abort").empty())
    out.push_back("fault abort " + scalar(field(map(fault, "abort"), "httpStatus")) + " " +
                  scalar(field(map(map(fault, "abort"), "percentage"), "value")) + "%");
  return out;
}

// The breaker a DestinationRule (and its subset) sets: connection limits and ejection.
std::string describe_breaker(const Json& policy) {
  std::vector<std::string> parts;
  const Json& tcp = map(map(policy, "connectionPool"), "tcp");
  const Json& http = map(map(policy, "connectionPool"), "http");
  if (!field(tcp, "maxConnections").is_null())
    parts.push_back("max " + scalar(field(tcp, "maxConnections")) + " conn");
  if (!field(http, "http1MaxPendingRequests").is_null())
    parts.push_back(scalar(field(http, "http1MaxPendingRequests")) + " pending");
  if (!field(http, "http2MaxRequests").is_null())
    parts.push_back(scalar(field(http, "http2MaxRequests")) + " req");
  if (!field(http, "maxRequestsPerConnection").is_null())
    parts.push_back(scalar(field(http, "maxRequestsPerConnection")) + " req/conn");
  const Json& od = map(policy, "outlierDetection");
  if (!od.empty()) {
    std::string text =
        "eject after " +
        scalar(field(od, "consecutive5xxErrors").is_null() ? Json(5)
                                                           : field(od, "consecutive5xxErrors")) +
        "x5xx";
    if (!str(od, "interval").empty()) text += "/" + str(od, "interval");
    if (!str(od, "baseEjectionTime").empty()) text += " for " + str(od, "baseEjectionTime");
    text += " (max " + std::to_string(number(od, "maxEjectionPercent", 10)) + "%)";
    parts.push_back(text);
  }
  return parts.empty() ? "" : "breaker " + join(parts, ", ");
}

class Builder {
 public:
  explicit Builder(const analyze::World& world) : world_(world) {}

  Graph build() {
    for (const Object* gw : world_.of_kind(kNetworking, "Gateway"))
      if (gw->in_scope) gateway_node(gw->ns, gw->name, gw);
    for (const Object* svc : world_.of_kind("", "Service"))
      if (svc->in_scope) service_node(svc->name, svc->ns);
    for (const Object* dr : world_.of_kind(kNetworking, "DestinationRule")) {
      if (!dr->in_scope) continue;
      auto host = analyze::resolve_host(str(dr->spec(), "host"), dr->ns);
      if (host.service.empty()) continue;
      for (const auto& s : list(dr->spec(), "subsets"))
        if (!str(s, "name").empty()) subset_node(host.service, host.service_ns, str(s, "name"));
    }
    for (const Object* vs : world_.of_kind(kNetworking, "VirtualService"))
      if (vs->in_scope) add_virtual_service(*vs);
    return finish();
  }

 private:
  Node& node(const std::string& key, NodeKind kind, const std::string& name,
             const std::string& ns) {
    auto [it, fresh] = nodes_.try_emplace(key);
    if (fresh)
      it->second.key = key, it->second.kind = kind, it->second.name = name, it->second.ns = ns;
    return it->second;
  }

  Node& gateway_node(const std::string& ns, const std::string& name, const Object* gw) {
    Node& n = node("gw/" + ns + "/" + name, NodeKind::kGateway, name, ns);
    if (!gw) {
      if (n.details.empty() && !world_.find(kNetworking, "Gateway", ns, name))
        n.details.push_back("not found");
      return n;
    }
    n.details.clear();
    for (const auto& server : list(gw->spec(), "servers")) {
      std::vector<std::string> hosts;
      for (const auto& h : list(server, "hosts"))
        hosts.push_back(scalar(h));
      n.details.push_back(":" + scalar(field(map(server, "port"), "number")) + " " +
                          str(map(server, "port"), "protocol") + " " + join(hosts, ","));
    }
    return n;
  }

  Node& service_node(const std::string& name, const std::string& ns) {
    Node& n = node("svc/" + ns + "/" + name, NodeKind::kService, name, ns);
    if (n.details.empty() && !world_.find("", "Service", ns, name) && world_.knows("Service", ns))
      n.details.push_back("no Service");
    return n;
  }

  Node& subset_node(const std::string& service, const std::string& ns, const std::string& subset) {
    Node& parent = service_node(service, ns);
    Node& n = node("svc/" + ns + "/" + service + "/" + subset, NodeKind::kSubset, subset, ns);
    n.parent = parent.key;
    return n;
  }

  // The DestinationRule for a host: the one in the client's namespace if there is one.
  const Object* rule_for(const std::string& fqdn, const std::string& client_ns) {
    if (rules_.empty())
      for (const Object* dr : world_.of_kind(kNetworking, "DestinationRule"))
        rules_[analyze::resolve_host(str(dr->spec(), "host"), dr->ns).fqdn].push_back(dr);
    const Object* found = nullptr;
    for (const Object* dr : rules_[fqdn])
      if (!found || dr->ns == client_ns) found = dr;
    return found;
  }

  void add_destination(const Node& from, const Json& route, std::vector<std::string> labels,
                       const std::string& vs_ns) {
    const Json& dest = map(route, "destination");
    std::string raw = str(dest, "host");
    if (raw.empty()) return;
    auto host = analyze::resolve_host(raw, vs_ns);
    std::string subset = str(dest, "subset");
    Edge e;
    e.from = from.key;
    const Node* to;
    if (host.service.empty()) {
      to = &node("ext/" + host.fqdn, NodeKind::kExternal, host.fqdn, "");
    } else {
      e.service = host.service, e.service_ns = host.service_ns;
      to = subset.empty() ? &service_node(host.service, host.service_ns)
                          : &subset_node(host.service, host.service_ns, subset);
    }
    e.to = to->key;
    if (!field(route, "weight").is_null())
      labels.push_back("weight " + scalar(field(route, "weight")));
    if (!field(dest, "port").is_null())
      labels.push_back("port " + scalar(field(map(dest, "port"), "number")));
    if (const Object* dr = rule_for(host.fqdn, vs_ns)) {
      Json policy = map(dr->spec(), "trafficPolicy");
      for (const auto& s : list(dr->spec(), "subsets")) {
        if (str(s, "name") != subset || subset.empty()) continue;
        e.version = str(map(s, "labels"), "version");
        for (const auto& [k, v] : map(s, "trafficPolicy").items())
          policy[k] = v;  // the subset's own wins
      }
      std::string breaker = describe_breaker(policy);
      if (!breaker.empty()) labels.push_back(breaker);
    }
    e.labels = std::move(labels);
    edges_.push_back(std::move(e));
  }

  void add_virtual_service(const Object& vs) {
    std::vector<std::string> hosts;
    for (const auto& h : list(vs.spec(), "hosts"))
      hosts.push_back(scalar(h));
    Node& self = node("vs/" + vs.ns + "/" + vs.name, NodeKind::kVirtualService, vs.name, vs.ns);
    self.details = {"hosts " + join(hosts, ",")};
    const Json& gateways = list(vs.spec(), "gateways");
    bool mesh = gateways.empty();
    for (const auto& g : gateways) {
      std::string ref = scalar(g);
      if (ref == "mesh") {
        mesh = true;
        continue;
      }
      std::string ns = vs.ns, name = ref;
      if (auto slash = ref.find('/'); slash != std::string::npos)
        ns = ref.substr(0, slash), name = ref.substr(slash + 1);
      edges_.push_back({gateway_node(ns, name, world_.find(kNetworking, "Gateway", ns, name)).key,
                        self.key,
                        {join(hosts, ",")},
                        std::nullopt,
                        "",
                        "",
                        ""});
    }
    if (mesh)
      edges_.push_back({node("mesh", NodeKind::kMesh, "mesh", "").key,
                        self.key,
                        {join(hosts, ",")},
                        std::nullopt,
                        "",
                        "",
                        ""});
    for (const char* protocol : {"http", "tcp", "tls"})
      for (const auto& entry : list(vs.spec(), protocol)) {
        std::vector<std::string> labels = {describe_match(entry)};
        if (std::string(protocol) == "http")
          for (auto& p : describe_policies(entry))
            labels.push_back(std::move(p));
        for (const auto& route : list(entry, "route"))
          add_destination(self, route, labels, vs.ns);
      }
  }

  // Sorts nodes (by kind, namespace, name) and numbers them, so output is stable.
  Graph finish() {
    std::vector<Node*> order;
    for (auto& [_, n] : nodes_)
      order.push_back(&n);
    std::stable_sort(order.begin(), order.end(), [](const Node* a, const Node* b) {
      return std::tie(a->kind, a->ns, a->key) < std::tie(b->kind, b->ns, b->key);
    });
    std::map<std::string, std::string> ids;
    for (size_t i = 0; i < order.size(); ++i)
      ids[order[i]->key] = "n" + std::to_string(i + 1);
    Graph g;
    for (Node* n : order) {
      n->id = ids[n->key];
      if (!n->parent.empty()) n->parent = ids[n->parent];
      g.nodes.push_back(*n);
    }
    for (auto& e : edges_) {
      e.from = ids[e.from], e.to = ids[e.to];
      g.edges.push_back(std::move(e));
    }
    return g;
  }

  const analyze::World& world_;
  std::map<std::string, Node> nodes_;
  std::map<std::string, std::vector<const Object*>> rules_;
  std::vector<Edge> edges_;
};

}  // namespace

std::string kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kGateway:
      return "Gateway";
    case NodeKind::kMesh:
      return "mesh";
    case NodeKind::kVirtualService:
      return "VirtualService";
    case NodeKind::kService:
      return "Service";
    case NodeKind::kSubset:
      return "subset";
    default:
      return "external";
  }
}

const Node* Graph::node(const std::string& id) const {
  for (const auto& n : nodes)
    if (n.id == id) return &n;
  return nullptr;
}

Graph build_graph(const analyze::World& world) {
  return Builder(world).build();
}

}  // namespace kmesh::mesh::graph
