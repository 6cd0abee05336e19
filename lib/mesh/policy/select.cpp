#include "lib/mesh/policy/select.hpp"

#include <algorithm>

#include "lib/core/strings.hpp"
#include "lib/yaml/emit.hpp"

namespace kmesh::mesh::policy {
namespace {

std::string ns_of(const Json& obj) {
  return obj["metadata"].value("namespace", "");
}
std::string name_of(const Json& obj) {
  return obj["metadata"].value("name", "");
}

const Json& spec_of(const Json& obj) {
  static const Json kEmpty = Json::object();
  return obj.contains("spec") && obj["spec"].is_object() ? obj["spec"] : kEmpty;
}

std::vector<std::string> strings_at(const Json& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.contains(key) || !obj[key].is_array()) return out;
  for (const auto& v : obj[key])
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::string names(const std::vector<const Json*>& objects) {
  std::vector<std::string> out;
  for (const Json* o : objects)
    out.push_back(name_of(*o));
  return join(out, ", ");
}

std::string string_match(const Json& m) {
  for (const char* how : {"exact", "prefix", "regex"})
    if (m.contains(how)) return std::string(how) + " " + yaml::emit_scalar(m[how]);
  return "any";
}

std::string describe_condition(const Json& cond) {
  std::vector<std::string> parts;
  for (const auto& [key, value] : cond.items()) {
    if (key == "name") continue;
    if (key == "headers" || key == "queryParams" || key == "withoutHeaders") {
      for (const auto& [h, m] : value.items())
        parts.push_back(key + " " + h + " " + string_match(m));
    } else if (value.is_object() &&
               (key == "uri" || key == "scheme" || key == "method" || key == "authority")) {
      parts.push_back(key + " " + string_match(value));
    } else {
      parts.push_back(key + " " + (value.is_primitive() ? yaml::emit_scalar(value) : value.dump()));
    }
  }
  return join(parts, " & ");
}

std::string list_routes(const Json& spec, const ServiceRef* only_to, const std::string& rule_ns) {
  std::vector<std::string> lines;
  const Json& http = spec.contains("http") ? spec["http"] : Json::array();
  for (size_t i = 0; i < http.size(); ++i) {
    if (only_to && !route_targets(http[i], *only_to, rule_ns)) continue;
    std::string match = describe_match(http[i]);
    std::string line = "  " + std::to_string(i) +
                       (http[i].contains("name") ? " (" + http[i].value("name", "") + ")" : "") +
                       ": " + (match.empty() ? "default route" : match) + " -> " +
                       describe_destinations(http[i]);
    lines.push_back(line);
  }
  return join(lines, "\n");
}

}  // namespace

bool binds_mesh(const Json& vs) {
  auto gateways = strings_at(spec_of(vs), "gateways");
  return gateways.empty() || std::find(gateways.begin(), gateways.end(), "mesh") != gateways.end();
}

bool binds_gateway(const Json& vs, const std::string& gateway) {
  std::string wanted = gateway.find('/') == std::string::npos ? ns_of(vs) + "/" + gateway : gateway;
  for (const auto& g : strings_at(spec_of(vs), "gateways")) {
    if (g == "mesh") continue;
    std::string qualified = g.find('/') == std::string::npos ? ns_of(vs) + "/" + g : g;
    if (qualified == wanted) return true;
  }
  return false;
}

bool hosts_service(const Json& vs, const ServiceRef& service) {
  for (const auto& h : strings_at(spec_of(vs), "hosts"))
    if (host_is_service(h, service, ns_of(vs))) return true;
  return false;
}

bool route_targets(const Json& http_route, const ServiceRef& service, const std::string& rule_ns) {
  if (!http_route.contains("route") || !http_route["route"].is_array()) return false;
  for (const auto& d : http_route["route"]) {
    if (!d.contains("destination") || !d["destination"].is_object()) continue;
    if (host_is_service(d["destination"].value("host", ""), service, rule_ns)) return true;
  }
  return false;
}

bool routes_to_service(const Json& vs, const ServiceRef& service) {
  const Json& spec = spec_of(vs);
  if (!spec.contains("http") || !spec["http"].is_array()) return false;
  for (const auto& r : spec["http"])
    if (route_targets(r, service, ns_of(vs))) return true;
  return false;
}

bool is_default_route(const Json& http_route) {
  return !http_route.contains("match") || http_route["match"].is_null() ||
         (http_route["match"].is_array() && http_route["match"].empty());
}

Result<const Json*> pick_destination_rule(const std::vector<Json>& rules,
                                          const ServiceRef& service) {
  std::vector<const Json*> found;
  for (const auto& r : rules)
    if (host_is_service(spec_of(r).value("host", ""), service, ns_of(r))) found.push_back(&r);
  if (found.size() > 1)
    return usage_error("more than one DestinationRule in " + service.ns + " has the host " +
                       service.display() + ": " + names(found) +
                       "; Istio uses only one of them, so merge them into one first");
  return found.empty() ? nullptr : found.front();
}

Result<const Json*> pick_virtual_service(const std::vector<Json>& services,
                                         const ServiceRef& service, const std::string& gateway) {
  std::vector<const Json*> found;
  for (const auto& vs : services) {
    bool wanted = gateway.empty() ? binds_mesh(vs) && hosts_service(vs, service)
                                  : binds_gateway(vs, gateway) && (hosts_service(vs, service) ||
                                                                   routes_to_service(vs, service));
    if (wanted) found.push_back(&vs);
  }
  if (found.size() > 1) {
    std::string where = gateway.empty() ? "inside the mesh" : "through gateway " + gateway;
    return usage_error("more than one VirtualService in " + service.ns + " routes " +
                       service.display() + " " + where + ": " + names(found) +
                       "; merge them into one (Istio merges them in no defined order)");
  }
  if (found.empty() && !gateway.empty())
    return usage_error("no VirtualService in " + service.ns + " is bound to gateway " + gateway +
                       " and routes to " + service.display());
  return found.empty() ? nullptr : found.front();
}

Result<size_t> locate_route(Json& spec, const RouteSelector& selector, const RouteScope& scope) {
  if (!spec.contains("http") || !spec["http"].is_array()) spec["http"] = Json::array();
  Json& http = spec["http"];
  std::string what = "virtualservice \"" + scope.vs_name + "\" in " + scope.service.ns;
  if (http.empty() && !selector.name && !selector.index)
    http.push_back({{"route", Json::array({{{"destination", {{"host", scope.service.name}}}}})}});
  auto routes = [&] {
    return http.empty() ? std::string("  (none)") : list_routes(spec, nullptr, scope.service.ns);
  };
  size_t index = http.size();
  if (selector.name) {
    for (size_t i = 0; i < http.size() && index == http.size(); ++i)
      if (http[i].value("name", "") == *selector.name) index = i;
    if (index == http.size())
      return usage_error(what + " has no route named \"" + *selector.name + "\"; its routes:\n" +
                         routes());
  } else if (selector.index) {
    if (*selector.index < 0 || static_cast<size_t>(*selector.index) >= http.size())
      return usage_error("--route-index " + std::to_string(*selector.index) + ": " + what +
                         " has " + std::to_string(http.size()) + " routes (0 to " +
                         std::to_string(http.size() - 1) + "):\n" + routes());
    index = static_cast<size_t>(*selector.index);
  } else {
    for (size_t i = 0; i < http.size() && index == http.size(); ++i)
      if (is_default_route(http[i])) index = i;
    if (index == http.size())
      return usage_error(
          what +
          " has no default route (every route has a match); pick one with --route-index or"
          " --route:\n" +
          routes());
  }
  if (scope.must_target_service && !route_targets(http[index], scope.service, scope.service.ns)) {
    std::string targeting = list_routes(spec, &scope.service, scope.service.ns);
    return usage_error("route " + std::to_string(index) + " of " + what +
                       " does not send traffic to " + scope.service.display() +
                       "; pick one of the routes that do with --route-index:\n" +
                       (targeting.empty() ? "  (none)" : targeting));
  }
  return index;
}

std::vector<std::string> routing_warnings(const ServiceRef& service, const Json& namespace_obj,
                                          const std::vector<Json>& http_routes) {
  std::vector<std::string> out;
  for (const auto& route : http_routes) {
    const Json& refs =
        spec_of(route).contains("parentRefs") ? spec_of(route)["parentRefs"] : Json::array();
    for (const auto& ref : refs) {
      if (!ref.is_object() || ref.value("kind", "") != "Service") continue;
      std::string group = ref.value("group", "");
      if (!group.empty() && group != "core") continue;
      if (ref.value("name", "") != service.name ||
          ref.value("namespace", ns_of(route)) != service.ns)
        continue;
      out.push_back("HTTPRoute " + name_of(route) + " (Gateway API) is attached to service " +
                    service.display() +
                    ": Istio routes the Service's mesh traffic by it, so the VirtualService may "
                    "not be what routes"
                    " its traffic");
      break;
    }
  }
  if (namespace_obj.is_object() && namespace_obj.contains("metadata") &&
      namespace_obj["metadata"].contains("labels") &&
      namespace_obj["metadata"]["labels"].value("istio.io/dataplane-mode", "") == "ambient")
    out.push_back("namespace " + service.ns +
                  " is in ambient mode (istio.io/dataplane-mode=ambient): without a"
                  " waypoint proxy no VirtualService applies to " +
                  service.display() + ", so the VirtualService may not be what routes its traffic");
  return out;
}

std::string describe_match(const Json& http_route) {
  if (is_default_route(http_route) || !http_route["match"].is_array()) return "";
  std::vector<std::string> alternatives;
  for (const auto& cond : http_route["match"])
    alternatives.push_back(describe_condition(cond));
  return join(alternatives, " | ");
}

std::string describe_destinations(const Json& http_route) {
  std::vector<std::string> out;
  if (http_route.contains("redirect")) out.push_back("redirect");
  if (http_route.contains("directResponse")) out.push_back("direct response");
  if (http_route.contains("delegate"))
    out.push_back("delegate " + http_route["delegate"].value("name", ""));
  if (http_route.contains("route") && http_route["route"].is_array()) {
    for (const auto& d : http_route["route"]) {
      const Json& dest = d.contains("destination") ? d["destination"] : Json::object();
      std::string text = dest.value("host", "?");
      if (dest.contains("port") && dest["port"].contains("number"))
        text += ":" + dest["port"]["number"].dump();
      if (dest.contains("subset")) text += "/" + dest.value("subset", "");
      if (d.contains("weight")) text += " " + d["weight"].dump() + "%";
      out.push_back(text);
    }
  }
  return out.empty() ? "-" : join(out, ", ");
}

std::string describe_object(const std::string& kind_lower, const Json& object) {
  return kind_lower + " \"" + name_of(object) + "\" in " + ns_of(object);
}

}  // namespace kmesh::mesh::policy
