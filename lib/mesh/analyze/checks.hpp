#pragma once
// The analyzers: pure functions of a World that add findings (and unresolved references)
// to a Sink. `analyze` runs them all; `status` and tests call it as well.

#include <string>
#include <vector>

#include "lib/mesh/analyze/findings.hpp"
#include "lib/mesh/analyze/world.hpp"

namespace kmesh::mesh::analyze {

/// Collects what the checks report. Objects that are not in scope (read only to resolve
/// references) never get findings.
class Sink {
 public:
  /// Reports `code` (its severity from the code table) about an object.
  void finding(const std::string& code, const Object& about, std::string message);
  /// Records a reference that only the cluster could confirm.
  void unresolved(const Object& about, std::string reference);
  Report take() { return std::move(report_); }

 private:
  Report report_;
};

/// KM0001-KM0003: duplicates in the input, removed and superseded API versions.
void check_versions(const World& world, Sink& sink);
/// KM0101-KM0110: hosts, subsets, weights, gateways, timeouts, outlier detection.
void check_routing(const World& world, Sink& sink);
/// KM0201-KM0206: mTLS, authorization and JWT rules.
void check_security(const World& world, Sink& sink);
/// KM0301-KM0304: sidecar state against namespace labels, port naming.
void check_workloads(const World& world, Sink& sink);

struct AnalyzeOptions {
  std::vector<Suppression> suppress;
};

/// Runs every check, drops suppressed findings, sorts the report.
Report analyze(const World& world, const AnalyzeOptions& options = {});

/// Namespaces no check looks into for workloads and ports (Kubernetes' own, Istio's).
bool is_system_namespace(const std::string& ns);

}  // namespace kmesh::mesh::analyze
