#pragma once
// Builds the World: objects from -f inputs (with file and line), and from the cluster the
// kinds the checks read, in one namespace or all. Kinds the cluster does not serve (Istio's
// CRDs absent) are skipped: none of them can exist there.

#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/mesh/analyze/checks.hpp"
#include "lib/mesh/analyze/world.hpp"

namespace kmesh::mesh::analyze {

/// Adds objects read from files; namespaced objects without a namespace get `default_ns`.
void add_documents(World& world, std::vector<Document> docs, const std::string& default_ns);

/// Which part of the cluster to analyze.
struct ClusterScope {
  std::string ns;  ///< when not `all`
  bool all = false;
};

/// Lists the analyzed kinds in the scope (in scope), and what references may point to
/// elsewhere (Namespaces, Services, ServiceEntries, DestinationRules, Gateways cluster-wide,
/// and the workloads Gateway selectors pick) when the user may list them; `notes` says what
/// was skipped or narrowed.
Status add_cluster_objects(World& world, kube::Client& client, kube::Discovery& discovery,
                           const ClusterScope& scope, std::vector<std::string>& notes);

/// Reads the scope from the cluster and analyzes it: what `status` calls to count findings.
Result<Report> analyze_cluster(kube::Client& client, kube::Discovery& discovery,
                               const ClusterScope& scope, const AnalyzeOptions& options,
                               std::vector<std::string>& notes);

}  // namespace kmesh::mesh::analyze
