#pragma once
// The edits of the traffic policy commands, each a pure function on a VirtualService
// HTTP route or a DestinationRule spec that changes only the fields its command owns,
// and the checks that turn flags into validated settings before anything is sent.

#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/mesh/policy/host_match.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh::policy {

/// How a VirtualService's routes name the Service: the host as written there and the
/// port (null when none), so new destinations read like the existing ones.
struct Destination {
  std::string host;
  Json port;  ///< {"number": 80} or null
  Json to_json(const std::string& subset = "") const;
};

/// The destination of the Service as the VirtualService's routes already write it
/// (route `preferred` first), else its short name without a port.
Destination service_destination(const Json& spec, const ServiceRef& service,
                                std::optional<size_t> preferred = {});

// ---- route set / clear / mirror / match ------------------------------------------------

/// One entry of --weights.
struct SubsetWeight {
  std::string subset;
  int32_t weight = 0;
};

/// Parses --weights "v1=90,v2=10": DNS-label subset names, each once, whole weights
/// summing to 100 ("route: weights for reviews.bookstore sum to 90, expected 100").
Result<std::vector<SubsetWeight>> parse_weights(const std::string& text, const ServiceRef& service);

/// Checks a subset name (a DNS label, as Istio requires) given to `flag`.
Status check_subset_name(const std::string& flag, const std::string& name);

/// Sends the route's traffic to the Service's subsets with these weights. Destinations
/// already naming one of the subsets keep their other fields (headers).
Json set_weights(Json http_route, const std::vector<SubsetWeight>& weights, const Destination& dest,
                 const ServiceRef& service, const std::string& rule_ns);

/// Sends all of the route's traffic to the Service with no subset, and drops its mirror.
Json clear_routing(Json http_route, const Destination& dest, const ServiceRef& service,
                   const std::string& rule_ns);

/// Mirrors the route's traffic to a subset of the Service; `percent` replaces the mirror
/// percentage when given (Istio mirrors 100% when none is set).
Json set_mirror(Json http_route, const Destination& dest, const std::string& subset,
                std::optional<double> percent);

/// Flags of `route match`, as typed.
struct MatchFlags {
  std::vector<std::string> headers;  ///< NAME=VALUE, exact matches
  std::optional<std::string> uri_prefix;
  std::optional<std::string> name;
  std::string to;  ///< the subset
};

/// A checked `route match`: one match condition and where it goes.
struct MatchRoute {
  Json condition;  ///< one element of http[].match
  std::string name;
  std::string subset;
};

/// Checks `route match`'s flags: header names (lower-cased) and values, a URI prefix
/// starting with /, a DNS-label subset.
Result<MatchRoute> parse_match(const MatchFlags& flags);

/// Adds (or, for the same name or the same condition, updates) a matched route to the
/// subset, placed before the first default route so that it is reached. A spec without
/// routes gets a default route to the Service as well.
Json set_match_route(Json spec, const MatchRoute& rule, const Destination& dest,
                     const ServiceRef& service);

// ---- retries and timeouts ----------------------------------------------------------------

/// Flags of `retry set`, as typed (absent when not given).
struct RetryFlags {
  std::optional<std::string> attempts, per_try_timeout, retry_on;
};

/// Checked retry flags.
struct RetrySettings {
  std::optional<int32_t> attempts;
  std::optional<std::string> per_try_timeout, retry_on;
};

/// Checks `retry set`'s flags; at least one must be given.
Result<RetrySettings> parse_retries(const RetryFlags& flags);
/// Sets the given retry fields; other retry fields (backoff, retryRemoteLocalities) stay.
Json set_retries(Json http_route, const RetrySettings& settings);
/// Removes the route's retry policy: Istio's default applies again.
Json clear_retries(Json http_route);

/// Sets the route's request timeout (a checked duration).
Json set_timeout(Json http_route, const std::string& timeout);
/// Removes the route's timeout: Istio's default (none) applies again.
Json clear_timeout(Json http_route);

// ---- faults ------------------------------------------------------------------------------

/// Flags of `fault set`, as typed.
struct FaultFlags {
  std::optional<std::string> delay, delay_percent, abort, abort_percent;
};

/// Checked fault flags.
struct FaultSettings {
  std::optional<std::string> delay;
  std::optional<double> delay_percent;
  std::optional<int32_t> abort_status;
  std::optional<double> abort_percent;
};

/// Checks `fault set`'s flags; at least one must be given.
Result<FaultSettings> parse_fault(const FaultFlags& flags);
/// Sets a fixed delay and/or an HTTP abort. A percentage alone changes the existing
/// fault's; a new fault without one applies to 100% of requests.
Result<Json> set_fault(Json http_route, const FaultSettings& settings);
/// Removes the route's injected faults.
Json clear_fault(Json http_route);

// ---- circuit breaking (DestinationRule) --------------------------------------------------

/// Flags of `breaker set` (and --subset of `breaker clear`), as typed.
struct BreakerFlags {
  std::optional<std::string> max_connections, max_pending, max_requests,
      max_requests_per_connection, max_retries, consecutive_5xx, consecutive_gateway_errors,
      interval, base_ejection_time, max_ejection_percent, min_health_percent;
  std::string subset;
};

/// One field of a breaker: the JSON path under trafficPolicy and its value.
struct BreakerField {
  std::vector<std::string> path;  ///< {"connectionPool", "tcp", "maxConnections"}
  Json value;
};

/// Checked breaker flags: the fields to set, and where.
struct BreakerSettings {
  std::vector<BreakerField> fields;
  std::string subset;
};

/// Checks `breaker set`'s flags (at least one limit) into the fields they set.
Result<BreakerSettings> parse_breaker(const BreakerFlags& flags);
/// Sets the fields on the rule's trafficPolicy, or on the named subset's.
Result<Json> set_breaker(Json dr_spec, const BreakerSettings& settings);
/// Removes the fields breaker set owns (and objects left empty); others stay.
Result<Json> clear_breaker(Json dr_spec, const std::string& subset);

// ---- subsets -----------------------------------------------------------------------------

/// The subsets of `wanted` that the DestinationRule does not define.
std::vector<std::string> missing_subsets(const Json& dr_spec,
                                         const std::vector<std::string>& wanted);
/// Appends subsets selecting `label`=name.
Json add_subsets(Json dr_spec, const std::vector<std::string>& names, const std::string& label);
/// Whether some workload's Pod template carries every label of the Service's selector
/// and `label`=`value` (so a subset selecting it selects something).
bool template_carries(const std::vector<Json>& workloads, const Json& service_selector,
                      const std::string& label, const std::string& value);

/// A new object of an Istio kind, with the spec a command starts from.
Json new_object(const std::string& api_version, const std::string& kind, const ServiceRef& service,
                Json spec);

}  // namespace kmesh::mesh::policy
