#include <algorithm>

#include "lib/mesh/analyze/checks.hpp"

namespace kmesh::mesh::analyze {

void Sink::finding(const std::string& code, const Object& about, std::string message) {
  if (!about.in_scope) return;
  const CodeInfo* info = find_code(code);
  report_.findings.push_back({code, info ? info->severity : Severity::kError, about.ref(),
                              std::move(message), about.source, about.line});
}

void Sink::unresolved(const Object& about, std::string reference) {
  if (!about.in_scope) return;
  report_.unresolved.push_back({about.ref(), std::move(reference), about.source, about.line});
}

bool is_system_namespace(const std::string& ns) {
  return ns == "kube-system" || ns == "kube-public" || ns == "kube-node-lease" ||
         ns == kRootNamespace;
}

Report analyze(const World& world, const AnalyzeOptions& options) {
  Sink sink;
  check_versions(world, sink);
  check_routing(world, sink);
  check_security(world, sink);
  check_workloads(world, sink);
  Report report = sink.take();
  report.objects = static_cast<int>(std::count_if(world.objects().begin(), world.objects().end(),
                                                  [](const Object& o) { return o.in_scope; }));
  auto& f = report.findings;
  auto silenced = [&](const Finding& finding) {
    return std::any_of(options.suppress.begin(), options.suppress.end(),
                       [&](const Suppression& s) { return suppresses(s, finding); });
  };
  auto end = std::remove_if(f.begin(), f.end(), silenced);
  report.suppressed = static_cast<int>(f.end() - end);
  f.erase(end, f.end());
  sort_report(report);
  return report;
}

}  // namespace kmesh::mesh::analyze
