#include "lib/mesh/graph/prometheus.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <tuple>

#include "lib/core/strings.hpp"
#include "lib/core/time.hpp"
#include "lib/mesh/analyze/fields.hpp"

namespace kmesh::mesh::graph {
namespace {

using analyze::map;
using analyze::str;

size_t append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

std::string traffic_query(const std::string& window) {
  return "sum by (reporter, destination_service_name, destination_service_namespace, "
         "destination_version, "
         "response_code) (rate(istio_requests_total[" +
         window + "]))";
}

std::string query_url(const std::string& base_url, const std::string& query,
                      const std::string& time) {
  std::string base = base_url;
  while (ends_with(base, "/"))
    base.pop_back();
  std::string url = base + "/api/v1/query?query=" + escape(query);
  if (!time.empty()) url += "&time=" + escape(time);
  return url;
}

Result<std::vector<TrafficSample>> parse_traffic(const std::string& body) {
  Json answer = Json::parse(body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object())
    return cluster_error("Prometheus answered something that is not JSON");
  if (str(answer, "status") != "success")
    return cluster_error("Prometheus: " + str(answer, "errorType") + ": " + str(answer, "error"));
  const Json& data = map(answer, "data");
  if (str(data, "resultType") != "vector")
    return cluster_error("Prometheus: expected a vector result");
  std::vector<TrafficSample> out;
  for (const auto& series : analyze::list(data, "result")) {
    const Json& metric = map(series, "metric");
    const Json& value = analyze::field(series, "value");
    if (!value.is_array() || value.size() != 2 || !value[1].is_string()) continue;
    TrafficSample s{str(metric, "reporter"),
                    str(metric, "destination_service_name"),
                    str(metric, "destination_service_namespace"),
                    str(metric, "destination_version"),
                    str(metric, "response_code"),
                    std::strtod(value[1].get<std::string>().c_str(), nullptr)};
    out.push_back(std::move(s));
  }
  return out;
}

void attach_traffic(Graph& graph, const std::vector<TrafficSample>& samples) {
  // Services some sidecar reports for itself.
  std::map<std::pair<std::string, std::string>, bool> self_reported;
  for (const auto& s : samples)
    if (s.reporter == "destination") self_reported[{s.service, s.ns}] = true;
  for (auto& e : graph.edges) {
    if (e.service.empty()) continue;
    Traffic t;
    bool any = false;
    double errors = 0;
    bool prefer_destination = self_reported.count({e.service, e.service_ns}) > 0;
    for (const auto& s : samples) {
      if (s.service != e.service || (!s.ns.empty() && s.ns != e.service_ns)) continue;
      if (!e.version.empty() && s.version != e.version) continue;
      if (prefer_destination != (s.reporter == "destination")) continue;
      any = true;
      t.rps += s.rps;
      if (starts_with(s.code, "5")) errors += s.rps;
    }
    if (!any) continue;
    t.error_ratio = t.rps > 0 ? errors / t.rps : 0;
    e.traffic = t;
  }
}

HttpGet curl_get(std::chrono::milliseconds timeout) {
  return [timeout](const std::string& url) -> Result<std::string> {
    CURL* curl = curl_easy_init();
    if (!curl) return cluster_error("cannot start libcurl");
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK)
      return cluster_error("querying Prometheus at " + url + ": " + curl_easy_strerror(rc));
    // Prometheus answers 400/422 with a JSON error body that parse_traffic explains.
    if (status >= 300 && status != 400 && status != 422)
      return cluster_error("Prometheus answered HTTP " + std::to_string(status) + " for " + url);
    return body;
  };
}

Status check_eval_time(const std::string& time) {
  if (time.empty() || parse_rfc3339(time)) return {};
  char* end = nullptr;
  std::strtod(time.c_str(), &end);
  if (end && *end == '\0') return {};
  return usage_error("--time \"" + time +
                     "\": expected RFC 3339 (2026-01-02T15:04:05Z) or Unix seconds");
}

}  // namespace kmesh::mesh::graph
