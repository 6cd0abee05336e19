// The status view as table sections for people: one table per kind of thing, and lines
// for what needs a word (warnings, workloads to restart, Pods that cannot be created, the
// analyze command that lists the findings).

#include <map>

#include "lib/core/strings.hpp"
#include "lib/mesh/policy/show.hpp"
#include "lib/mesh/status/status.hpp"

namespace kmesh::mesh::status {
namespace {

Part line(std::string text) {
  return {{}, std::move(text)};
}

std::string or_unknown(const std::string& text) {
  return text.empty() ? "unknown" : text;
}

std::string plural(int n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string list_or_dash(const Json& items) {
  std::vector<std::string> parts;
  for (const auto& i : items)
    parts.push_back(i.get<std::string>());
  return parts.empty() ? "-" : join(parts, ",");
}

Table revisions_table(const Json& istio) {
  Table t{{"REVISION", "VERSION", "PROFILE", "TAGS", "INSTALLED BY"}, {}};
  for (const auto& r : istio["revisions"])
    t.rows.push_back({r.value("revision", ""), or_unknown(r.value("version", "")),
                      or_unknown(r.value("profile", "")), list_or_dash(r["tags"]),
                      or_unknown(r.value("installedBy", ""))});
  return t;
}

Table components_table(const Json& istio) {
  Table t{{"COMPONENT", "REVISION", "READY", "STATUS"}, {}};
  for (const auto& c : istio["components"])
    t.rows.push_back(
        {c.value("name", ""), c.value("revision", ""),
         std::to_string(c.value("ready", 0)) + "/" + std::to_string(c.value("desired", 0)),
         c.value("healthy", false) ? "ready" : "not ready: " + c.value("reason", "")});
  return t;
}

Section istio_part(const Json& istio) {
  Section s{"Istio", {}};
  if (!istio["revisions"].empty()) s.parts.push_back({revisions_table(istio), ""});
  if (!istio["components"].empty())
    s.parts.push_back({components_table(istio), ""});
  else if (istio["installed"] == true)
    s.parts.push_back(line("no istiod or gateway Deployment in istio-system"));
  if (!istio.value("message", "").empty()) s.parts.push_back(line(istio.value("message", "")));
  return s;
}

std::vector<std::string> namespace_row(const Json& ns) {
  int ready = 0, desired = 0, with = 0, pods = 0, restart = 0;
  bool any_replicas = false;
  for (const auto& w : ns["workloads"]) {
    if (w["desired"].is_number()) {
      any_replicas = true;
      ready += w["ready"].get<int>();
      desired += w["desired"].get<int>();
    }
    with += w.value("podsWithSidecar", 0);
    pods += w.value("podsWithSidecar", 0) + w.value("podsWithoutSidecar", 0);
    restart += w.value("needsRestart", false);
  }
  return {ns.value("name", ""),
          ns.value("injection", ""),
          std::to_string(ns["workloads"].size()),
          any_replicas ? std::to_string(ready) + "/" + std::to_string(desired) : "-",
          std::to_string(with) + "/" + std::to_string(pods),
          std::to_string(restart)};
}

std::string workload_name(const Json& w) {
  return to_lower(w.value("kind", "")) + "/" + w.value("name", "");
}

// Pods run with the wrong sidecar state: say which way and how to fix it.
std::string restart_line(const std::string& ns, const Json& w) {
  bool expected = w.value("sidecarExpected", false);
  int wrong = expected ? w.value("podsWithoutSidecar", 0) : w.value("podsWithSidecar", 0);
  std::string fix = w.value("kind", "") == "Job" || w.value("kind", "") == "Pod"
                        ? "delete and recreate it"
                        : "kubectl rollout restart " + workload_name(w) + " -n " + ns;
  return workload_name(w) + " in " + ns + ": " + plural(wrong, "Pod") +
         (expected ? " without a sidecar, which the namespace asks for"
                   : " with a sidecar, which the namespace no longer asks for") +
         "; " + fix;
}

// "a", "a and b", "a and 4 more workloads": the JSON lists them all.
std::string some_of(const std::vector<std::string>& names) {
  if (names.size() <= 2) return join(names, " and ");
  return names.front() + " and " + std::to_string(names.size() - 1) + " more workloads";
}

void namespace_lines(const Json& ns, std::vector<Part>& parts) {
  std::string name = ns.value("name", "");
  for (const auto& w : ns["warnings"])
    parts.push_back(line("Warning: namespace " + name + ": " + w.get<std::string>()));
  // One line per distinct reason: five Deployments refused by one webhook are one problem.
  std::map<std::string, std::vector<std::string>> problems;
  for (const auto& w : ns["workloads"]) {
    if (w.value("needsRestart", false)) parts.push_back(line(restart_line(name, w)));
    if (!w.value("problem", "").empty())
      problems[w.value("problem", "")].push_back(workload_name(w));
  }
  for (const auto& [problem, workloads] : problems)
    parts.push_back(
        line("Pods of " + some_of(workloads) + " in " + name + " cannot be created: " + problem));
}

Section namespaces_part(const Json& view) {
  Section s{"Namespaces", {}};
  const Json& namespaces = view["namespaces"];
  if (namespaces.empty()) {
    s.parts.push_back(line(
        view["scope"].value("mode", "") == "mesh"
            ? "no namespace is labelled for injection or holds Istio objects: run 'kubectl mesh "
              "inject enable NAMESPACE', or pass -n NAMESPACE or -A"
            : "no namespaces"));
    return s;
  }
  Table t{{"NAMESPACE", "INJECTION", "WORKLOADS", "READY", "PODS WITH SIDECAR", "NEED RESTART"},
          {}};
  for (const auto& ns : namespaces)
    t.rows.push_back(namespace_row(ns));
  s.parts.push_back({t, ""});
  for (const auto& ns : namespaces)
    namespace_lines(ns, s.parts);
  return s;
}

Section services_part(const Json& view) {
  Section s{"Services", {}};
  if (view["services"].empty()) {
    s.parts.push_back(line("no Services in the namespaces shown"));
    return s;
  }
  Json policies = {{"services", view["services"]}};
  s.parts.push_back({{policy::policy_headers(), policy::policy_rows(policies)}, ""});
  for (const auto& svc : view["services"])
    for (const auto& w : svc["warnings"])
      s.parts.push_back(line("Warning: " + svc.value("service", "") + "." +
                             svc.value("namespace", "") + ": " + w.get<std::string>()));
  return s;
}

Section analysis_part(const Json& a) {
  std::string counts = plural(a.value("errors", 0), "error") + ", " +
                       plural(a.value("warnings", 0), "warning") + ", " +
                       std::to_string(a.value("info", 0)) + " info in " +
                       plural(a.value("objects", 0), "object");
  std::vector<std::string> codes;
  for (const auto& [code, n] : a["codes"].items())
    codes.push_back(code + " x" + std::to_string(n.get<int>()));
  if (!codes.empty()) counts += " (" + join(codes, ", ") + ")";
  return {"Analysis",
          {line(counts), line("the findings: " + a.value("command", "") +
                              " (its exit status is 3 when it finds an error)")}};
}

}  // namespace

std::vector<Section> table_sections(const Json& view) {
  return {istio_part(view["istio"]), namespaces_part(view), services_part(view),
          analysis_part(view["analysis"])};
}

}  // namespace kmesh::mesh::status
