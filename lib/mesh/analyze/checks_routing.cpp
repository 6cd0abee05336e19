// KM0101-KM0110: what VirtualServices, DestinationRules and Gateways refer to, and policy
// values that cannot behave as meant.

#include <map>
#include <set>

#include "lib/core/strings.hpp"
#include "lib/core/time.hpp"
#include "lib/mesh/analyze/checks.hpp"
#include "lib/mesh/analyze/fields.hpp"
#include "lib/mesh/analyze/hosts.hpp"
#include "lib/mesh/injection.hpp"

namespace kmesh::mesh::analyze {
namespace {

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

// Every host the mesh's registry serves: Kubernetes Services and ServiceEntry hosts.
class Registry {
 public:
  explicit Registry(const World& world) {
    for (const Object* s : world.of_kind("", "Service"))
      exact_.insert(service_fqdn(s->name, s->ns));
    for (const Object* se : world.of_kind(kNetworking, "ServiceEntry"))
      for (const auto& h : list(se->spec(), "hosts")) {
        if (!h.is_string()) continue;
        Host host = resolve_host(h.get<std::string>(), se->ns);
        if (host.wildcard || host.fqdn == "*")
          wildcards_.push_back(host.fqdn);
        else
          exact_.insert(host.fqdn);
      }
  }

  bool serves(const Host& h) const {
    if (h.wildcard || h.fqdn == "*") {
      for (const auto& e : exact_)
        if (host_covers(h.fqdn, e)) return true;
      for (const auto& w : wildcards_)
        if (hosts_overlap(h.fqdn, w)) return true;
      return false;
    }
    if (exact_.count(h.fqdn)) return true;
    for (const auto& w : wildcards_)
      if (host_covers(w, h.fqdn)) return true;
    return false;
  }

 private:
  std::set<std::string> exact_;
  std::vector<std::string> wildcards_;
};

// Whether the world holds every Service and ServiceEntry that could serve the host.
bool knows_host(const World& world, const Host& h) {
  if (!world.knows_all("ServiceEntry")) return false;
  if (!h.service_ns.empty()) return world.knows("Service", h.service_ns);
  bool may_be_service =
      h.fqdn == "*" || host_covers(h.fqdn, "x.y.svc." + std::string(kClusterDomain));
  return !may_be_service || world.knows_all("Service");
}

// "...: create the Service ..." with a hint when the host looks like a half-written FQDN.
std::string host_problem(const std::string& field, const std::string& raw, const Host& h) {
  std::string text = field + " " + in_quotes(raw);
  if (h.fqdn != raw) text += " (" + h.fqdn + ")";
  text += " matches no Service or ServiceEntry";
  if (!h.partial_service_fqdn.empty())
    return text + ": Istio expands only names without dots; write " + h.partial_service_fqdn +
           " (or the short name in the Service's own namespace)";
  return text + ": fix the host, create the Service, or declare the host with a ServiceEntry";
}

struct RuleHost {
  const Object* rule;
  Host host;
};

// DestinationRules by host, so a lookup costs a map access, not a scan.
class RuleIndex {
 public:
  void add(const Object* rule, const Host& host) {
    if (host.wildcard || host.fqdn == "*")
      wildcards_.push_back({rule, host});
    else
      exact_[host.fqdn].push_back(rule);
  }

  // The DestinationRule Istio applies to traffic from `client_ns` to `dest`: an exact host
  // before a wildcard one; within those, the client's namespace, the service's, the root.
  const Object* rule_for(const Host& dest, const std::string& client_ns) const {
    std::vector<const Object*> matching;
    if (auto it = exact_.find(dest.fqdn); it != exact_.end()) matching = it->second;
    if (matching.empty())
      for (const auto& r : wildcards_)
        if (host_covers(r.host.fqdn, dest.fqdn)) matching.push_back(r.rule);
    if (matching.empty()) return nullptr;
    for (const std::string& ns : {client_ns, dest.service_ns, std::string(kRootNamespace)})
      for (const Object* r : matching)
        if (r->ns == ns) return r;
    return matching.front();
  }

 private:
  std::map<std::string, std::vector<const Object*>> exact_;
  std::vector<RuleHost> wildcards_;
};

class RoutingChecks {
 public:
  RoutingChecks(const World& world, Sink& sink) : world_(world), sink_(sink), registry_(world) {
    for (const Object* dr : world.of_kind(kNetworking, "DestinationRule")) {
      rules_.push_back({dr, resolve_host(str(dr->spec(), "host"), dr->ns)});
      index_.add(dr, rules_.back().host);
    }
  }

  void run() {
    std::map<std::pair<std::string, std::string>, const Object*> mesh_hosts;
    for (const Object* vs : world_.of_kind(kNetworking, "VirtualService")) {
      if (!vs->in_scope) continue;
      check_gateways(*vs);
      check_routes(*vs);
      check_duplicate_hosts(*vs, mesh_hosts);
    }
    for (const auto& r : rules_) {
      if (!r.rule->in_scope) continue;
      check_rule_host(r);
      check_outlier_detection(*r.rule);
    }
    for (const Object* gw : world_.of_kind(kNetworking, "Gateway"))
      if (gw->in_scope) check_gateway_selector(*gw);
  }

 private:
  // Hosts a VirtualService binds to the mesh (no gateways, or "mesh" among them): the
  // sidecars use only one VirtualService per host.
  void check_duplicate_hosts(const Object& vs,
                             std::map<std::pair<std::string, std::string>, const Object*>& seen) {
    const Json& gateways = list(vs.spec(), "gateways");
    bool mesh = gateways.empty();
    for (const auto& g : gateways)
      mesh = mesh || g == "mesh";
    if (!mesh) return;
    for (const auto& h : list(vs.spec(), "hosts")) {
      if (!h.is_string()) continue;
      Host host = resolve_host(h.get<std::string>(), vs.ns);
      auto [it, fresh] = seen.try_emplace({vs.ns, host.fqdn}, &vs);
      if (fresh || it->second == &vs) continue;
      sink_.finding(
          "KM0106", vs,
          "host " + in_quotes(h.get<std::string>()) + " (" + host.fqdn +
              ") is also defined by VirtualService " + it->second->ns + "/" + it->second->name +
              ": sidecars apply only one VirtualService per host, so one set of routes is ignored;"
              " merge the routes into one VirtualService");
    }
  }

  void check_gateways(const Object& vs) {
    const Json& gateways = list(vs.spec(), "gateways");
    for (size_t i = 0; i < gateways.size(); ++i) {
      if (!gateways[i].is_string() || gateways[i] == "mesh") continue;
      std::string ref = gateways[i].get<std::string>(), ns = vs.ns, name = ref;
      if (auto slash = ref.find('/'); slash != std::string::npos)
        ns = ref.substr(0, slash), name = ref.substr(slash + 1);
      else if (auto dot = ref.find('.');
               dot != std::string::npos) {  // legacy name.ns.svc.cluster.local
        auto parts = split(ref, '.');
        name = parts[0], ns = parts[1];
      }
      if (world_.find(kNetworking, "Gateway", ns, name)) continue;
      if (!world_.knows("Gateway", ns)) {
        sink_.unresolved(vs, "Gateway " + ns + "/" + name);
        continue;
      }
      sink_.finding("KM0107", vs,
                    "spec.gateways[" + std::to_string(i) + "] " + in_quotes(ref) + ": Gateway " +
                        ns + "/" + name +
                        " does not exist, so these routes are not served; create it or fix the name"
                        " (NAMESPACE/NAME for a Gateway in another namespace)");
    }
  }

  void check_routes(const Object& vs) {
    for (const char* protocol : {"http", "tcp", "tls"}) {
      const Json& entries = list(vs.spec(), protocol);
      for (size_t i = 0; i < entries.size(); ++i) {
        std::string at = std::string("spec.") + protocol + "[" + std::to_string(i) + "]";
        const Json& routes = list(entries[i], "route");
        for (size_t j = 0; j < routes.size(); ++j)
          check_destination(vs, field(routes[j], "destination"),
                            at + ".route[" + std::to_string(j) + "].destination");
        check_weights(vs, routes, at);
        if (std::string(protocol) != "http") continue;
        if (entries[i].contains("mirror"))
          check_destination(vs, field(entries[i], "mirror"), at + ".mirror");
        check_timeouts(vs, entries[i], at);
      }
    }
  }

  void check_destination(const Object& vs, const Json& dest, const std::string& at) {
    std::string raw = str(dest, "host");
    if (raw.empty()) return;
    Host host = resolve_host(raw, vs.ns);
    if (!registry_.serves(host)) {
      if (!knows_host(world_, host))
        sink_.unresolved(vs, "Service or ServiceEntry for host " + host.fqdn);
      else
        sink_.finding("KM0102", vs,
                      host_problem(at + ".host", raw, host) + "; requests to it fail with 503");
      return;
    }
    std::string subset = str(dest, "subset");
    if (!subset.empty()) check_subset(vs, host, subset, at);
  }

  void check_subset(const Object& vs, const Host& host, const std::string& subset,
                    const std::string& at) {
    const Object* rule = index_.rule_for(host, vs.ns);
    if (!rule) {
      std::string svc_ns = host.service_ns.empty() ? vs.ns : host.service_ns;
      if (!world_.knows("DestinationRule", vs.ns) || !world_.knows("DestinationRule", svc_ns) ||
          !world_.knows("DestinationRule", kRootNamespace)) {
        sink_.unresolved(vs, "DestinationRule for host " + host.fqdn + " (subset " + subset + ")");
        return;
      }
      sink_.finding(
          "KM0101", vs,
          at + ".subset " + in_quotes(subset) + ": no DestinationRule for host " + host.fqdn +
              " defines subsets, so requests fail with 503; add a DestinationRule with subset " +
              in_quotes(subset));
      return;
    }
    std::vector<std::string> names;
    for (const auto& s : list(rule->spec(), "subsets")) {
      names.push_back(str(s, "name"));
      if (names.back() == subset) return;
    }
    sink_.finding("KM0101", vs,
                  at + ".subset " + in_quotes(subset) + ": DestinationRule " + rule->ns + "/" +
                      rule->name + " for host " + host.fqdn + " defines " +
                      (names.empty() ? std::string("no subsets") : "subsets " + join(names, ", ")) +
                      ", so requests fail with 503; add the subset there or fix the name");
  }

  void check_weights(const Object& vs, const Json& routes, const std::string& at) {
    bool any_weight = false;
    long long sum = 0;
    std::vector<std::string> parts;
    for (const auto& r : routes) {
      auto w = r.find("weight");
      if (w != r.end() && w->is_number()) any_weight = true, sum += w->get<long long>();
      parts.push_back(std::to_string(w != r.end() && w->is_number() ? w->get<long long>() : 0));
    }
    if (routes.size() < 2 && !any_weight) return;  // one destination takes everything
    if (sum == 0) {
      sink_.finding("KM0104", vs,
                    at + ".route weights sum to 0 (" + join(parts, " + ") +
                        "): Istio rejects this or sends no traffic; give the destinations weights "
                        "summing to 100");
    } else if (sum != 100) {
      sink_.finding("KM0105", vs,
                    at + ".route weights sum to " + std::to_string(sum) + " (" +
                        join(parts, " + ") +
                        "), expected 100: Istio treats them as relative shares, which is rarely "
                        "what was meant");
    }
  }

  void check_timeouts(const Object& vs, const Json& http, const std::string& at) {
    std::string timeout = str(http, "timeout");
    std::string per_try = str(field(http, "retries"), "perTryTimeout");
    if (timeout.empty() || per_try.empty()) return;
    auto t = parse_duration(timeout, false), p = parse_duration(per_try, false);
    if (!t || !p || *p <= *t || t->count() == 0) return;
    sink_.finding(
        "KM0109", vs,
        at + ".retries.perTryTimeout " + per_try + " is longer than " + at + ".timeout " + timeout +
            ": the route gives up before a single try times out, so no retry ever happens;"
            " make perTryTimeout shorter than timeout divided by the attempts");
  }

  void check_rule_host(const RuleHost& r) {
    std::string raw = str(r.rule->spec(), "host");
    if (raw.empty() || registry_.serves(r.host)) return;
    if (!knows_host(world_, r.host)) {
      sink_.unresolved(*r.rule, "Service or ServiceEntry for host " + r.host.fqdn);
      return;
    }
    sink_.finding("KM0103", *r.rule,
                  host_problem("spec.host", raw, r.host) + "; Istio ignores this rule");
  }

  void check_outlier_detection(const Object& dr) {
    auto check = [&](const Json& policy, const std::string& at) {
      const Json& od = field(policy, "outlierDetection");
      if (!od.is_object()) return;
      long long max = number(od, "maxEjectionPercent", 10), min = number(od, "minHealthPercent", 0);
      bool disabled = number(od, "consecutive5xxErrors", 5) == 0 &&
                      number(od, "consecutiveGatewayErrors", 0) == 0;
      if (max < 100 || min > 0 || disabled) return;
      sink_.finding(
          "KM0110", dr,
          at + ".outlierDetection: maxEjectionPercent " + std::to_string(max) +
              " with minHealthPercent 0 lets every host be ejected, and then every request fails"
              " with 503; lower maxEjectionPercent or set minHealthPercent");
    };
    auto check_policy = [&](const Json& policy, const std::string& at) {
      check(policy, at);
      const Json& ports = list(policy, "portLevelSettings");
      for (size_t i = 0; i < ports.size(); ++i)
        check(ports[i], at + ".portLevelSettings[" + std::to_string(i) + "]");
    };
    check_policy(field(dr.spec(), "trafficPolicy"), "spec.trafficPolicy");
    const Json& subsets = list(dr.spec(), "subsets");
    for (size_t i = 0; i < subsets.size(); ++i)
      check_policy(field(subsets[i], "trafficPolicy"),
                   "spec.subsets[" + std::to_string(i) + "].trafficPolicy");
  }

  void check_gateway_selector(const Object& gw) {
    const Json& selector = map(gw.spec(), "selector");
    if (selector.empty()) return;
    Json as_label_selector = {{"matchLabels", selector}};
    for (const Object& o : world_.objects()) {
      if (o.kind == "Pod" && selector_matches(as_label_selector, o.labels())) return;
      if (o.kind == "Deployment" || o.kind == "StatefulSet" || o.kind == "DaemonSet") {
        if (selector_matches(as_label_selector,
                             map(map(map(o.spec(), "template"), "metadata"), "labels")))
          return;
      }
    }
    std::vector<std::string> pairs;
    for (const auto& [k, v] : selector.items())
      pairs.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
    if (!world_.gateway_workloads_known) {
      sink_.unresolved(gw, "gateway workload with labels " + join(pairs, ","));
      return;
    }
    sink_.finding(
        "KM0108", gw,
        "spec.selector " + join(pairs, ",") +
            " matches no Pod or workload in the cluster, so no gateway serves this Gateway; fix the"
            " selector (the default ingress gateway has istio=ingressgateway) or install the "
            "gateway");
  }

  const World& world_;
  Sink& sink_;
  Registry registry_;
  std::vector<RuleHost> rules_;
  RuleIndex index_;
};

}  // namespace

void check_routing(const World& world, Sink& sink) {
  RoutingChecks(world, sink).run();
}

}  // namespace kmesh::mesh::analyze
