#include "lib/mesh/policy/edits.hpp"

#include <algorithm>
#include <cmath>

#include "lib/core/strings.hpp"
#include "lib/mesh/policy/durations.hpp"
#include "lib/mesh/policy/select.hpp"

namespace kmesh::mesh::policy {
namespace {

bool is_dns_label(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return s.front() != '-' && s.back() != '-';
}

bool is_header_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) ||
          std::string_view("!#$%&'*+.^_`|~-").find(c) != std::string_view::npos))
      return false;
  return true;
}

// A percentage as JSON: whole numbers stay integers so they read as typed.
Json percent_json(double v) {
  if (std::floor(v) == v) return static_cast<int64_t>(v);
  return v;
}

// Removes `key` from obj, and obj's parent entry when that leaves it empty.
void erase_and_prune(Json& root, const std::vector<std::string>& path) {
  if (path.empty()) return;
  std::vector<Json*> chain{&root};
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    Json* cur = chain.back();
    if (!cur->is_object() || !cur->contains(path[i])) return;
    chain.push_back(&(*cur)[path[i]]);
  }
  if (!chain.back()->is_object()) return;
  chain.back()->erase(path.back());
  for (size_t i = chain.size() - 1; i > 0; --i) {
    if (!chain[i]->is_object() || !chain[i]->empty()) break;
    chain[i - 1]->erase(path[i - 1]);
  }
}

Json& subset_policy_root(Json& dr_spec, const std::string& subset, bool& found) {
  found = true;
  if (subset.empty()) return dr_spec;
  if (dr_spec.contains("subsets") && dr_spec["subsets"].is_array())
    for (auto& s : dr_spec["subsets"])
      if (s.value("name", "") == subset) return s;
  found = false;
  return dr_spec;
}

std::vector<std::string> subset_names(const Json& dr_spec) {
  std::vector<std::string> out;
  if (dr_spec.contains("subsets") && dr_spec["subsets"].is_array())
    for (const auto& s : dr_spec["subsets"])
      out.push_back(s.value("name", ""));
  return out;
}

Error no_subset(const Json& dr_spec, const std::string& subset) {
  auto names = subset_names(dr_spec);
  return usage_error("--subset \"" + subset +
                     "\": the DestinationRule has no such subset; its subsets: " +
                     (names.empty() ? std::string("(none)") : join(names, ", ")));
}

}  // namespace

Json Destination::to_json(const std::string& subset) const {
  Json d = {{"host", host}};
  if (!subset.empty()) d["subset"] = subset;
  if (!port.is_null()) d["port"] = port;
  return d;
}

Destination service_destination(const Json& spec, const ServiceRef& service,
                                std::optional<size_t> preferred) {
  if (spec.contains("http") && spec["http"].is_array()) {
    const Json& http = spec["http"];
    std::vector<size_t> order;
    if (preferred && *preferred < http.size()) order.push_back(*preferred);
    for (size_t i = 0; i < http.size(); ++i)
      order.push_back(i);
    for (size_t i : order) {
      if (!http[i].contains("route") || !http[i]["route"].is_array()) continue;
      for (const auto& d : http[i]["route"]) {
        if (!d.contains("destination") || !d["destination"].is_object()) continue;
        const Json& dest = d["destination"];
        if (host_is_service(dest.value("host", ""), service, service.ns))
          return {dest.value("host", ""), dest.contains("port") ? dest["port"] : Json()};
      }
    }
  }
  return {service.name, Json()};
}

Status check_subset_name(const std::string& flag, const std::string& name) {
  if (is_dns_label(name)) return {};
  return usage_error(flag + " \"" + name +
                     "\" : a subset name must be a DNS label (lower-case letters, digits"
                     " and '-', at most 63)");
}

Result<std::vector<SubsetWeight>> parse_weights(const std::string& text,
                                                const ServiceRef& service) {
  std::string form = "--weights \"" + text + "\" : ";
  std::vector<SubsetWeight> out;
  int64_t sum = 0;
  for (const auto& part : split(text, ',')) {
    auto eq = part.find('=');
    if (eq == std::string::npos)
      return usage_error(form + "expected SUBSET=WEIGHT pairs such as v1=90,v2=10");
    std::string subset(trim(part.substr(0, eq))), weight(trim(part.substr(eq + 1)));
    KMESH_TRY(check_subset_name("--weights", subset));
    auto w = parse_count("--weights", weight);
    if (!w.ok())
      return usage_error(form + "the weight of subset " + subset +
                         " must be a whole number from 0 to 100");
    for (const auto& e : out)
      if (e.subset == subset) return usage_error(form + "subset " + subset + " is named twice");
    out.push_back({subset, *w});
    sum += *w;
  }
  if (sum != 100)
    return usage_error("route: weights for " + service.display() + " sum to " +
                       std::to_string(sum) + ", expected 100");
  return out;
}

Json set_weights(Json http_route, const std::vector<SubsetWeight>& weights, const Destination& dest,
                 const ServiceRef& service, const std::string& rule_ns) {
  const Json old = http_route.contains("route") && http_route["route"].is_array()
                       ? http_route["route"]
                       : Json::array();
  Json routes = Json::array();
  for (const auto& w : weights) {
    Json entry;
    for (const auto& d : old) {
      if (!d.contains("destination") || !d["destination"].is_object()) continue;
      const Json& od = d["destination"];
      if (host_is_service(od.value("host", ""), service, rule_ns) &&
          od.value("subset", "") == w.subset)
        entry = d;
    }
    if (entry.is_null()) entry = {{"destination", dest.to_json(w.subset)}};
    entry["weight"] = w.weight;
    routes.push_back(std::move(entry));
  }
  http_route["route"] = std::move(routes);
  return http_route;
}

Json clear_routing(Json http_route, const Destination& dest, const ServiceRef& service,
                   const std::string& rule_ns) {
  Json entry;
  if (http_route.contains("route") && http_route["route"].is_array())
    for (const auto& d : http_route["route"])
      if (entry.is_null() && d.contains("destination") && d["destination"].is_object() &&
          host_is_service(d["destination"].value("host", ""), service, rule_ns))
        entry = d;
  if (entry.is_null()) entry = {{"destination", dest.to_json()}};
  entry["destination"].erase("subset");
  entry.erase("weight");
  http_route["route"] = Json::array({entry});
  for (const char* key :
       {"mirror", "mirrors", "mirrorPercentage", "mirrorPercent", "mirror_percent"})
    http_route.erase(key);
  return http_route;
}

Json set_mirror(Json http_route, const Destination& dest, const std::string& subset,
                std::optional<double> percent) {
  http_route["mirror"] = dest.to_json(subset);
  if (percent) {
    http_route["mirrorPercentage"] = {{"value", percent_json(*percent)}};
    http_route.erase("mirrorPercent");  // deprecated spellings would contradict it
    http_route.erase("mirror_percent");
  }
  return http_route;
}

Result<MatchRoute> parse_match(const MatchFlags& flags) {
  MatchRoute rule;
  rule.condition = Json::object();
  for (const auto& h : flags.headers) {
    auto eq = h.find('=');
    std::string name = eq == std::string::npos ? "" : to_lower(trim(h.substr(0, eq)));
    std::string value = eq == std::string::npos ? "" : h.substr(eq + 1);
    if (eq == std::string::npos || !is_header_name(name) || value.empty())
      return usage_error("--header \"" + h + "\" : expected NAME=VALUE such as end-user=jason");
    rule.condition["headers"][name] = {{"exact", value}};
  }
  if (flags.uri_prefix) {
    if (flags.uri_prefix->empty() || flags.uri_prefix->front() != '/')
      return usage_error("--uri-prefix \"" + *flags.uri_prefix +
                         "\" : expected a path starting with /, such as /api");
    rule.condition["uri"] = {{"prefix", *flags.uri_prefix}};
  }
  if (rule.condition.empty())
    return usage_error("route match: give --header NAME=VALUE or --uri-prefix PATH (or both)");
  KMESH_TRY(check_subset_name("--to", flags.to));
  rule.subset = flags.to;
  if (flags.name) {
    if (flags.name->empty()) return usage_error("--name \"\" : expected a route name");
    rule.name = *flags.name;
  }
  return rule;
}

Json set_match_route(Json spec, const MatchRoute& rule, const Destination& dest,
                     const ServiceRef& service) {
  if (!spec.contains("http") || !spec["http"].is_array()) spec["http"] = Json::array();
  Json& http = spec["http"];
  if (http.empty())
    http.push_back(
        {{"route",
          Json::array({{{"destination", Destination{service.name, dest.port}.to_json()}}})}});
  Json match = Json::array({rule.condition});
  for (auto& r : http) {
    bool same = rule.name.empty() ? r.contains("match") && r["match"] == match
                                  : r.value("name", "") == rule.name;
    if (!same) continue;
    r["match"] = match;
    r["route"] = Json::array({{{"destination", dest.to_json(rule.subset)}}});
    return spec;
  }
  Json route = {{"match", match},
                {"route", Json::array({{{"destination", dest.to_json(rule.subset)}}})}};
  if (!rule.name.empty()) route["name"] = rule.name;
  size_t at = http.size();
  for (size_t i = 0; i < http.size() && at == http.size(); ++i)
    if (is_default_route(http[i])) at = i;
  http.insert(http.begin() + static_cast<std::ptrdiff_t>(at), std::move(route));
  return spec;
}

Result<RetrySettings> parse_retries(const RetryFlags& flags) {
  if (!flags.attempts && !flags.per_try_timeout && !flags.retry_on)
    return usage_error("retry set: give at least one of --attempts, --per-try-timeout, --retry-on");
  RetrySettings s;
  if (flags.attempts) {
    KMESH_ASSIGN_OR_RETURN(auto n, parse_count("--attempts", *flags.attempts));
    s.attempts = n;
  }
  if (flags.per_try_timeout) {
    KMESH_TRY(check_duration("--per-try-timeout", *flags.per_try_timeout));
    s.per_try_timeout = *flags.per_try_timeout;
  }
  if (flags.retry_on) {
    KMESH_ASSIGN_OR_RETURN(auto on, parse_retry_on("--retry-on", *flags.retry_on));
    s.retry_on = on;
  }
  return s;
}

Json set_retries(Json http_route, const RetrySettings& s) {
  Json& r = http_route["retries"];
  if (!r.is_object()) r = Json::object();
  if (s.attempts) r["attempts"] = *s.attempts;
  if (s.per_try_timeout) r["perTryTimeout"] = *s.per_try_timeout;
  if (s.retry_on) r["retryOn"] = *s.retry_on;
  return http_route;
}

Json clear_retries(Json http_route) {
  http_route.erase("retries");
  return http_route;
}

Json set_timeout(Json http_route, const std::string& timeout) {
  http_route["timeout"] = timeout;
  return http_route;
}

Json clear_timeout(Json http_route) {
  http_route.erase("timeout");
  return http_route;
}

Result<FaultSettings> parse_fault(const FaultFlags& flags) {
  if (!flags.delay && !flags.delay_percent && !flags.abort && !flags.abort_percent)
    return usage_error(
        "fault set: give --delay DURATION and/or --abort HTTP_STATUS (with --delay-percent, "
        "--abort-percent)");
  FaultSettings s;
  if (flags.delay) {
    KMESH_TRY(check_duration("--delay", *flags.delay));
    s.delay = *flags.delay;
  }
  if (flags.delay_percent) {
    KMESH_ASSIGN_OR_RETURN(auto p, parse_percent("--delay-percent", *flags.delay_percent));
    s.delay_percent = p;
  }
  if (flags.abort) {
    KMESH_ASSIGN_OR_RETURN(auto code, parse_http_status("--abort", *flags.abort));
    s.abort_status = code;
  }
  if (flags.abort_percent) {
    KMESH_ASSIGN_OR_RETURN(auto p, parse_percent("--abort-percent", *flags.abort_percent));
    s.abort_percent = p;
  }
  return s;
}

Result<Json> set_fault(Json http_route, const FaultSettings& s) {
  Json fault = http_route.contains("fault") && http_route["fault"].is_object() ? http_route["fault"]
                                                                               : Json::object();
  auto percentage = [](const Json& part, std::optional<double> given) -> Json {
    if (given) return {{"value", percent_json(*given)}};
    if (part.contains("percentage")) return part["percentage"];
    if (part.contains("percent") && part["percent"].is_number())
      return {{"value", part["percent"]}};
    return {{"value", 100}};
  };
  if (s.delay || s.delay_percent) {
    if (!s.delay && !fault.contains("delay"))
      return usage_error(
          "--delay-percent: the route has no delay to change; give --delay DURATION too");
    Json delay = fault.contains("delay") ? fault["delay"] : Json::object();
    if (s.delay) {
      delay.erase("exponentialDelay");  // one of fixedDelay or exponentialDelay
      delay["fixedDelay"] = *s.delay;
    }
    delay["percentage"] = percentage(delay, s.delay_percent);
    delay.erase("percent");  // the deprecated integer form would contradict it
    fault["delay"] = delay;
  }
  if (s.abort_status || s.abort_percent) {
    if (!s.abort_status && !fault.contains("abort"))
      return usage_error(
          "--abort-percent: the route has no abort to change; give --abort HTTP_STATUS too");
    Json abort = fault.contains("abort") ? fault["abort"] : Json::object();
    if (s.abort_status) {
      abort.erase("grpcStatus");  // one of httpStatus, grpcStatus, http2Error
      abort.erase("http2Error");
      abort["httpStatus"] = *s.abort_status;
    }
    abort["percentage"] = percentage(abort, s.abort_percent);
    fault["abort"] = abort;
  }
  http_route["fault"] = fault;
  return http_route;
}

Json clear_fault(Json http_route) {
  http_route.erase("fault");
  return http_route;
}

Result<BreakerSettings> parse_breaker(const BreakerFlags& f) {
  BreakerSettings s;
  s.subset = f.subset;
  struct CountFlag {
    const char* flag;
    const std::optional<std::string>& value;
    std::vector<std::string> path;
    bool percent;
  };
  std::vector<CountFlag> counts = {
      {"--max-connections", f.max_connections, {"connectionPool", "tcp", "maxConnections"}, false},
      {"--max-pending",
       f.max_pending,
       {"connectionPool", "http", "http1MaxPendingRequests"},
       false},
      {"--max-requests", f.max_requests, {"connectionPool", "http", "http2MaxRequests"}, false},
      {"--max-requests-per-connection",
       f.max_requests_per_connection,
       {"connectionPool", "http", "maxRequestsPerConnection"},
       false},
      {"--max-retries", f.max_retries, {"connectionPool", "http", "maxRetries"}, false},
      {"--consecutive-5xx", f.consecutive_5xx, {"outlierDetection", "consecutive5xxErrors"}, false},
      {"--consecutive-gateway-errors",
       f.consecutive_gateway_errors,
       {"outlierDetection", "consecutiveGatewayErrors"},
       false},
      {"--max-ejection-percent",
       f.max_ejection_percent,
       {"outlierDetection", "maxEjectionPercent"},
       true},
      {"--min-health-percent",
       f.min_health_percent,
       {"outlierDetection", "minHealthPercent"},
       true},
  };
  for (const auto& c : counts) {
    if (!c.value) continue;
    KMESH_ASSIGN_OR_RETURN(
        auto n, c.percent ? parse_whole_percent(c.flag, *c.value) : parse_count(c.flag, *c.value));
    s.fields.push_back({c.path, n});
  }
  for (auto [flag, value, key] :
       {std::tuple{"--interval", &f.interval, "interval"},
        std::tuple{"--base-ejection-time", &f.base_ejection_time, "baseEjectionTime"}}) {
    if (!*value) continue;
    KMESH_TRY(check_duration(flag, **value));
    s.fields.push_back({{"outlierDetection", key}, **value});
  }
  if (s.fields.empty())
    return usage_error(
        "breaker set: give at least one limit, such as --max-connections 100 or --consecutive-5xx "
        "5");
  if (!f.subset.empty()) KMESH_TRY(check_subset_name("--subset", f.subset));
  return s;
}

Result<Json> set_breaker(Json dr_spec, const BreakerSettings& s) {
  bool found = false;
  Json& root = subset_policy_root(dr_spec, s.subset, found);
  if (!found) return no_subset(dr_spec, s.subset);
  Json& policy = root["trafficPolicy"];
  if (!policy.is_object()) policy = Json::object();
  for (const auto& field : s.fields) {
    Json* cur = &policy;
    for (size_t i = 0; i + 1 < field.path.size(); ++i) {
      Json& next = (*cur)[field.path[i]];
      if (!next.is_object()) next = Json::object();
      cur = &next;
    }
    (*cur)[field.path.back()] = field.value;
  }
  return dr_spec;
}

Result<Json> clear_breaker(Json dr_spec, const std::string& subset) {
  bool found = false;
  Json& root = subset_policy_root(dr_spec, subset, found);
  if (!found) return no_subset(dr_spec, subset);
  static const std::vector<std::vector<std::string>> kOwned = {
      {"connectionPool", "tcp", "maxConnections"},
      {"connectionPool", "http", "http1MaxPendingRequests"},
      {"connectionPool", "http", "http2MaxRequests"},
      {"connectionPool", "http", "maxRequestsPerConnection"},
      {"connectionPool", "http", "maxRetries"},
      {"outlierDetection", "consecutive5xxErrors"},
      {"outlierDetection", "consecutiveGatewayErrors"},
      {"outlierDetection", "interval"},
      {"outlierDetection", "baseEjectionTime"},
      {"outlierDetection", "maxEjectionPercent"},
      {"outlierDetection", "minHealthPercent"},
  };
  for (auto path : kOwned) {
    path.insert(path.begin(), "trafficPolicy");
    erase_and_prune(root, path);
  }
  return dr_spec;
}

std::vector<std::string> missing_subsets(const Json& dr_spec,
                                         const std::vector<std::string>& wanted) {
  auto have = subset_names(dr_spec);
  std::vector<std::string> out;
  for (const auto& w : wanted)
    if (std::find(have.begin(), have.end(), w) == have.end() &&
        std::find(out.begin(), out.end(), w) == out.end())
      out.push_back(w);
  return out;
}

Json add_subsets(Json dr_spec, const std::vector<std::string>& names, const std::string& label) {
  if (!dr_spec.contains("subsets") || !dr_spec["subsets"].is_array())
    dr_spec["subsets"] = Json::array();
  for (const auto& n : missing_subsets(dr_spec, names))
    dr_spec["subsets"].push_back({{"name", n}, {"labels", {{label, n}}}});
  return dr_spec;
}

bool template_carries(const std::vector<Json>& workloads, const Json& service_selector,
                      const std::string& label, const std::string& value) {
  for (const auto& w : workloads) {
    const Json* labels = &w;
    for (const char* key : {"spec", "template", "metadata", "labels"}) {
      if (!labels->is_object() || !labels->contains(key)) {
        labels = nullptr;
        break;
      }
      labels = &(*labels)[key];
    }
    if (!labels || !labels->is_object()) continue;
    auto has = [&](const std::string& k, const Json& v) {
      return labels->contains(k) && (*labels)[k] == v;
    };
    bool selected = true;
    if (service_selector.is_object())
      for (const auto& [k, v] : service_selector.items())
        selected = selected && has(k, v);
    if (selected && has(label, value)) return true;
  }
  return false;
}

Json new_object(const std::string& api_version, const std::string& kind, const ServiceRef& service,
                Json spec) {
  return {{"apiVersion", api_version},
          {"kind", kind},
          {"metadata", {{"name", service.name}, {"namespace", service.ns}}},
          {"spec", std::move(spec)}};
}

}  // namespace kmesh::mesh::policy
