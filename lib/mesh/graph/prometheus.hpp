#pragma once
// Request rates and error ratios from Istio's istio_requests_total, read from Prometheus's
// HTTP API (/api/v1/query) and put on the graph's edges.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/mesh/graph/graph.hpp"

namespace kmesh::mesh::graph {

/// One series of the query's answer.
struct TrafficSample {
  std::string reporter, service, ns, version, code;
  double rps = 0;
};

/// The PromQL asked: the per-second rate over `window`, by reporter, destination and code.
std::string traffic_query(const std::string& window = "5m");

/// The /api/v1/query URL for the query at an evaluation time ("" for now; RFC 3339 or
/// Unix seconds otherwise).
std::string query_url(const std::string& base_url, const std::string& query,
                      const std::string& time);

/// Reads a Prometheus answer (a vector result); errors quote Prometheus's own.
Result<std::vector<TrafficSample>> parse_traffic(const std::string& body);

/// Puts rates on the edges to each Service (and subset, by its version label). A Service
/// reported by its own sidecar (reporter="destination") is counted from there only, so
/// traffic is not counted twice; otherwise from the caller's side.
void attach_traffic(Graph& graph, const std::vector<TrafficSample>& samples);

/// A GET returning the body: the seam tests replace.
using HttpGet = std::function<Result<std::string>(const std::string& url)>;
/// GET over libcurl with a timeout; a non-2xx answer is an error with its body.
HttpGet curl_get(std::chrono::milliseconds timeout);

/// Checks --time: RFC 3339 or Unix seconds.
Status check_eval_time(const std::string& time);

}  // namespace kmesh::mesh::graph
