#include "lib/mesh/readiness.hpp"

#include <map>
#include <thread>

#include "lib/core/interrupt.hpp"
#include "lib/core/strings.hpp"
#include "lib/core/time.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kube/ops.hpp"

namespace kmesh::mesh {
namespace {

std::string selector_of(const Json& deployment) {
  std::vector<std::string> parts;
  const Json labels = deployment["spec"]["selector"].value("matchLabels", Json::object());
  for (auto it = labels.begin(); it != labels.end(); ++it)
    parts.push_back(it.key() + "=" + it.value().get<std::string>());
  return join(parts, ",");
}

std::string pod_summary(const std::vector<Json>& pods) {
  if (pods.empty()) return "no Pods";
  std::map<std::string, int> phases;
  for (const auto& p : pods) {
    std::string phase = p.contains("status") ? p["status"].value("phase", "Unknown") : "Unknown";
    bool scheduled = p.contains("spec") && p["spec"].contains("nodeName");
    if (phase == "Pending" && !scheduled) phase = "Pending (not scheduled on any node)";
    phases[phase]++;
  }
  std::vector<std::string> parts;
  for (const auto& [phase, n] : phases)
    parts.push_back(std::to_string(n) + " " + phase);
  return "Pods: " + join(parts, ", ");
}

}  // namespace

bool deployment_available(const Json& d) {
  if (!d.contains("status")) return false;
  const Json& st = d["status"];
  long want = d["spec"].value("replicas", 1L);
  if (st.value("updatedReplicas", 0L) < want || st.value("availableReplicas", 0L) < want)
    return false;
  for (const auto& c : st.value("conditions", Json::array()))
    if (c.value("type", "") == "Available") return c.value("status", "") == "True";
  return false;
}

std::string explain_unready(const Json& d, const std::vector<Json>& pods,
                            const std::vector<Json>& events) {
  std::string out =
      "deployment/" + kube::name_of(d) + " in " + kube::namespace_of(d) + " is not Available";
  const Json st = d.value("status", Json::object());
  out += " (" + std::to_string(st.value("availableReplicas", 0L)) + "/" +
         std::to_string(d["spec"].value("replicas", 1L)) + " available)";
  for (const auto& c : st.value("conditions", Json::array()))
    out += "\n    condition " + c.value("type", "") + "=" + c.value("status", "") + ": " +
           c.value("reason", "") +
           (c.value("message", "").empty() ? "" : " - " + c.value("message", ""));
  out += "\n    " + pod_summary(pods);
  size_t shown = 0;
  for (auto it = events.rbegin(); it != events.rend() && shown < 3; ++it, ++shown)
    out += "\n    event: " + it->value("reason", "") + ": " + it->value("message", "");
  return out;
}

std::vector<std::pair<std::string, std::string>> plan_deployments(const InstallPlan& plan) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : plan.objects)
    if (kube::kind_of(p.object) == "Deployment")
      out.emplace_back(kube::namespace_of(p.object), kube::name_of(p.object));
  return out;
}

std::string wait_status(size_t total, const std::vector<std::string>& unready) {
  return std::to_string(total - unready.size()) + "/" + std::to_string(total) +
         " Deployments Available; waiting for " + join(unready, ", ");
}

Status wait_for_deployments(kube::Client& client, kube::Discovery& discovery,
                            const std::vector<std::pair<std::string, std::string>>& deployments,
                            std::chrono::milliseconds timeout, const WaitReporters& report,
                            const std::function<void()>& tick) {
  auto dep_info = discovery.find_kind("apps/v1", "Deployment");
  auto pod_info = discovery.find_kind("v1", "Pod");
  auto event_info = discovery.find_kind("v1", "Event");
  if (!dep_info || !pod_info || !event_info)
    return cluster_error("the server does not serve Deployments, Pods or Events");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  report.line("waiting up to " + format_duration(timeout) + " for " +
              std::to_string(deployments.size()) + " Deployments to become Available");
  while (true) {
    std::vector<Json> unready;
    for (const auto& [ns, name] : deployments) {
      KMESH_ASSIGN_OR_RETURN(auto d, kube::get_object(client, *dep_info, ns, name));
      if (!d) return cluster_error("deployment/" + name + " in " + ns + " does not exist");
      if (!deployment_available(*d)) unready.push_back(std::move(*d));
    }
    if (unready.empty()) {
      report.line("✔ all Deployments are Available");
      return {};
    }
    std::vector<std::string> names;
    for (const auto& d : unready)
      names.push_back(kube::name_of(d));
    report.status(wait_status(deployments.size(), names));
    if (std::chrono::steady_clock::now() > deadline || interrupted()) {
      std::vector<std::string> why;
      for (const auto& d : unready) {
        KMESH_ASSIGN_OR_RETURN(
            auto pods,
            kube::list_objects(client, *pod_info, kube::namespace_of(d), selector_of(d)));
        KMESH_ASSIGN_OR_RETURN(auto events,
                               kube::list_objects(client, *event_info, kube::namespace_of(d), ""));
        std::vector<Json> related;
        for (auto& e : events) {
          std::string involved =
              e.contains("involvedObject") ? e["involvedObject"].value("name", "") : "";
          if (starts_with(involved, kube::name_of(d))) related.push_back(std::move(e));
        }
        why.push_back(explain_unready(d, pods, related));
      }
      return cluster_error(std::string(interrupted()
                                           ? "interrupted"
                                           : "timed out after " + format_duration(timeout)) +
                           " waiting for Deployments:\n  " + join(why, "\n  "));
    }
    tick();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    // Checked here, before the next poll's requests: once interrupted, the transport sends
    // nothing more, so the explanations above could not be read either.
    if (interrupted()) {
      std::vector<std::string> names;
      for (const auto& d : unready)
        names.push_back(kube::namespace_of(d) + "/" + kube::name_of(d));
      return cluster_error("interrupted while waiting for Deployments; not Available yet: " +
                           join(names, ", "));
    }
  }
}

}  // namespace kmesh::mesh
