#include "lib/mesh/policy/show.hpp"

#include <algorithm>

#include "lib/core/strings.hpp"
#include "lib/mesh/policy/select.hpp"
#include "lib/yaml/emit.hpp"

namespace kmesh::mesh::policy {
namespace {

std::string ns_of(const Json& o) {
  return o["metadata"].value("namespace", "");
}
std::string name_of(const Json& o) {
  return o["metadata"].value("name", "");
}
const Json& spec_of(const Json& o) {
  static const Json kEmpty = Json::object();
  return o.contains("spec") && o["spec"].is_object() ? o["spec"] : kEmpty;
}

std::string scalar(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.is_number() ? yaml::format_number(v) : v.dump();
}

// Breaker fields by the flag that sets them, in the order the flags are documented.
const std::vector<std::pair<std::vector<std::string>, std::string>>& breaker_fields() {
  static const std::vector<std::pair<std::vector<std::string>, std::string>> kFields = {
      {{"connectionPool", "tcp", "maxConnections"}, "max-connections"},
      {{"connectionPool", "http", "http1MaxPendingRequests"}, "max-pending"},
      {{"connectionPool", "http", "http2MaxRequests"}, "max-requests"},
      {{"connectionPool", "http", "maxRequestsPerConnection"}, "max-requests-per-connection"},
      {{"connectionPool", "http", "maxRetries"}, "max-retries"},
      {{"outlierDetection", "consecutive5xxErrors"}, "consecutive-5xx"},
      {{"outlierDetection", "consecutiveGatewayErrors"}, "consecutive-gateway-errors"},
      {{"outlierDetection", "interval"}, "interval"},
      {{"outlierDetection", "baseEjectionTime"}, "base-ejection-time"},
      {{"outlierDetection", "maxEjectionPercent"}, "max-ejection-percent"},
      {{"outlierDetection", "minHealthPercent"}, "min-health-percent"},
  };
  return kFields;
}

// The connection pool and outlier detection of a trafficPolicy; null when neither.
Json breaker_of(const Json& holder) {
  if (!holder.contains("trafficPolicy") || !holder["trafficPolicy"].is_object()) return nullptr;
  const Json& tp = holder["trafficPolicy"];
  Json out = Json::object();
  for (const char* key : {"connectionPool", "outlierDetection"})
    if (tp.contains(key)) out[key] = tp[key];
  return out.empty() ? Json() : out;
}

std::string breaker_text(const Json& breaker) {
  if (!breaker.is_object()) return "";
  std::vector<std::string> parts;
  for (const auto& [path, flag] : breaker_fields()) {
    const Json* cur = &breaker;
    for (const auto& key : path)
      cur = cur && cur->is_object() && cur->contains(key) ? &(*cur)[key] : nullptr;
    if (cur && !cur->is_null()) parts.push_back(flag + "=" + scalar(*cur));
  }
  return join(parts, " ");
}

Json route_view(const Json& vs, size_t index, const Json& route) {
  Json r = {{"virtualService", name_of(vs)}, {"index", index}};
  const Json& spec = spec_of(vs);
  r["gateways"] = spec.contains("gateways") ? spec["gateways"] : Json::array({"mesh"});
  if (route.contains("name")) r["name"] = route["name"];
  r["match"] = describe_match(route);
  r["destinations"] = Json::array();
  if (route.contains("route") && route["route"].is_array())
    for (const auto& d : route["route"]) {
      Json dest = d.contains("destination") ? d["destination"] : Json::object();
      if (d.contains("weight")) dest["weight"] = d["weight"];
      r["destinations"].push_back(dest);
    }
  for (const char* key : {"timeout", "retries", "fault", "mirror", "mirrorPercentage"})
    r[key] = route.contains(key) ? route[key] : Json();
  return r;
}

std::string retries_text(const Json& retries) {
  if (!retries.is_object()) return "-";
  std::vector<std::string> parts;
  if (retries.contains("attempts")) parts.push_back(scalar(retries["attempts"]) + " attempts");
  if (retries.contains("perTryTimeout"))
    parts.push_back("per try " + scalar(retries["perTryTimeout"]));
  if (retries.contains("retryOn")) parts.push_back("on " + scalar(retries["retryOn"]));
  return parts.empty() ? "-" : join(parts, ", ");
}

std::string percent_text(const Json& part) {
  if (part.contains("percentage") && part["percentage"].contains("value"))
    return " (" + scalar(part["percentage"]["value"]) + "%)";
  return "";
}

std::string fault_text(const Json& fault) {
  if (!fault.is_object()) return "-";
  std::vector<std::string> parts;
  if (fault.contains("delay")) {
    const Json& d = fault["delay"];
    parts.push_back("delay " +
                    scalar(d.value("fixedDelay", d.value("exponentialDelay", Json("?")))) +
                    percent_text(d));
  }
  if (fault.contains("abort")) {
    const Json& a = fault["abort"];
    Json code = a.contains("httpStatus") ? a["httpStatus"]
                                         : a.value("grpcStatus", a.value("http2Error", Json("?")));
    parts.push_back("abort " + scalar(code) + percent_text(a));
  }
  return parts.empty() ? "-" : join(parts, ", ");
}

std::string destinations_text(const Json& dests) {
  std::vector<std::string> parts;
  for (const auto& d : dests) {
    std::string text = d.value("host", "?");
    // Appended piece by piece: GCC 12 at -O2 misreads "lit" + string here (bug 105329).
    if (d.contains("subset")) text.append("/").append(d.value("subset", ""));
    if (d.contains("weight")) text.append(" ").append(scalar(d["weight"])).append("%");
    parts.push_back(text);
  }
  return parts.empty() ? "-" : join(parts, ", ");
}

std::string mirror_text(const Json& route) {
  if (!route["mirror"].is_object()) return "-";
  std::string text = route["mirror"].value("host", "?");
  if (route["mirror"].contains("subset")) text += "/" + route["mirror"].value("subset", "");
  if (route["mirrorPercentage"].is_object() && route["mirrorPercentage"].contains("value"))
    text += " (" + scalar(route["mirrorPercentage"]["value"]) + "%)";
  return text;
}

bool concerns(const Json& vs, const ServiceRef& s) {
  return hosts_service(vs, s) || routes_to_service(vs, s);
}

std::vector<ServiceRef> services_of(const PolicyObjects& objects,
                                    const std::optional<ServiceRef>& only) {
  std::vector<ServiceRef> out;
  if (only) return {*only};
  for (const auto& svc : objects.services) {
    ServiceRef ref{name_of(svc), ns_of(svc)};
    bool any = false;
    for (const auto& vs : objects.virtual_services)
      any = any || (ns_of(vs) == ref.ns && concerns(vs, ref));
    for (const auto& dr : objects.destination_rules)
      any = any || host_is_service(spec_of(dr).value("host", ""), ref, ns_of(dr));
    if (any) out.push_back(ref);
  }
  std::sort(out.begin(), out.end(), [](const ServiceRef& a, const ServiceRef& b) {
    return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
  });
  return out;
}

}  // namespace

Json service_policy(const ServiceRef& service, const PolicyObjects& objects) {
  Json view = {{"namespace", service.ns},
               {"service", service.name},
               {"routes", Json::array()},
               {"destinationRule", nullptr}};
  for (const auto& vs : objects.virtual_services) {
    if (ns_of(vs) != service.ns || !concerns(vs, service)) continue;
    bool all_routes = hosts_service(vs, service);
    const Json& spec = spec_of(vs);
    if (!spec.contains("http") || !spec["http"].is_array()) continue;
    for (size_t i = 0; i < spec["http"].size(); ++i)
      if (all_routes || route_targets(spec["http"][i], service, service.ns))
        view["routes"].push_back(route_view(vs, i, spec["http"][i]));
  }
  for (const auto& dr : objects.destination_rules) {
    if (ns_of(dr) != service.ns ||
        !host_is_service(spec_of(dr).value("host", ""), service, service.ns))
      continue;
    Json rule = {
        {"name", name_of(dr)}, {"breaker", breaker_of(spec_of(dr))}, {"subsets", Json::array()}};
    if (spec_of(dr).contains("subsets") && spec_of(dr)["subsets"].is_array())
      for (const auto& s : spec_of(dr)["subsets"])
        rule["subsets"].push_back({{"name", s.value("name", "")},
                                   {"labels", s.value("labels", Json::object())},
                                   {"breaker", breaker_of(s)}});
    view["destinationRule"] = rule;
    break;
  }
  std::vector<Json> routes;
  for (const auto& r : objects.http_routes)
    if (ns_of(r) == service.ns) routes.push_back(r);
  auto ns = objects.namespaces.find(service.ns);
  view["warnings"] =
      routing_warnings(service, ns == objects.namespaces.end() ? Json() : ns->second, routes);
  return view;
}

Json policy_view(const PolicyObjects& objects, const std::optional<ServiceRef>& only) {
  Json view = {{"services", Json::array()}};
  for (const auto& ref : services_of(objects, only))
    view["services"].push_back(service_policy(ref, objects));
  return view;
}

std::vector<std::string> policy_headers() {
  return {"SERVICE", "ROUTE", "MATCH",  "DESTINATIONS", "TIMEOUT",
          "RETRIES", "FAULT", "MIRROR", "BREAKER"};
}

std::vector<std::vector<std::string>> policy_rows(const Json& view) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : view["services"]) {
    std::string service = s.value("service", "") + "." + s.value("namespace", "");
    std::vector<std::string> breakers;
    const Json& dr = s["destinationRule"];
    if (dr.is_object()) {
      if (std::string t = breaker_text(dr["breaker"]); !t.empty()) breakers.push_back(t);
      for (const auto& sub : dr["subsets"])
        if (std::string t = breaker_text(sub["breaker"]); !t.empty())
          breakers.push_back(sub.value("name", "") + ": " + t);
    }
    std::string breaker = breakers.empty() ? "-" : join(breakers, "; ");
    if (s["routes"].empty()) rows.push_back({service, "-", "-", "-", "-", "-", "-", "-", breaker});
    for (const auto& r : s["routes"]) {
      std::string route = r.value("virtualService", "") + "[" + scalar(r["index"]) + "]";
      if (r.contains("name")) route += " (" + r.value("name", "") + ")";
      std::string match = r.value("match", "");
      rows.push_back({service, route, match.empty() ? "*" : match,
                      destinations_text(r["destinations"]),
                      r["timeout"].is_string() ? r.value("timeout", "") : "-",
                      retries_text(r["retries"]), fault_text(r["fault"]), mirror_text(r), breaker});
    }
  }
  return rows;
}

Json strip_server_fields(Json object) {
  if (object.contains("metadata") && object["metadata"].is_object())
    for (const char* key :
         {"uid", "resourceVersion", "managedFields", "creationTimestamp", "generation", "selfLink"})
      object["metadata"].erase(key);
  object.erase("status");
  return object;
}

std::vector<Json> export_objects(const PolicyObjects& objects,
                                 const std::optional<ServiceRef>& only) {
  std::vector<Json> out;
  for (const auto& dr : objects.destination_rules)
    if (!only ||
        (ns_of(dr) == only->ns && host_is_service(spec_of(dr).value("host", ""), *only, ns_of(dr))))
      out.push_back(strip_server_fields(dr));
  for (const auto& vs : objects.virtual_services)
    if (!only || (ns_of(vs) == only->ns && concerns(vs, *only)))
      out.push_back(strip_server_fields(vs));
  std::stable_sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return std::make_tuple(a.value("kind", ""), ns_of(a), name_of(a)) <
           std::make_tuple(b.value("kind", ""), ns_of(b), name_of(b));
  });
  return out;
}

}  // namespace kmesh::mesh::policy
