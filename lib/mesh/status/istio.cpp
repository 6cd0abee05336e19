// The Istio section of status: which revisions are installed (from install's records and
// from the istiod Deployments, so an Istio that another tool installed shows too), and
// how istiod and the gateways are doing, with the reason when they are not ready.

#include <algorithm>
#include <map>

#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/injection.hpp"
#include "lib/mesh/labels.hpp"
#include "lib/mesh/status/status.hpp"
#include "lib/mesh/version.hpp"

namespace kmesh::mesh::status {
namespace {

constexpr const char* kRecordPrefix = "kubectl-mesh-install";

Json at(const Json& object, const char* pointer, Json fallback) {
  return object.value(Json::json_pointer(pointer), std::move(fallback));
}

// {revision: entry} from install's ConfigMaps: what was installed and with which profile.
void add_records(std::map<std::string, Json>& revisions, const std::vector<Json>& records) {
  for (const auto& cm : records) {
    std::string name = kube::name_of(cm);
    if (!starts_with(name, kRecordPrefix)) continue;
    std::string suffix = name.substr(std::string(kRecordPrefix).size());
    std::string fallback = suffix.empty() ? "default" : suffix.substr(1);
    Json data = cm.value("data", Json::object());
    std::string revision = data.value("revision", fallback);
    revisions[revision] = {{"revision", revision},
                           {"version", data.value("version", "")},
                           {"profile", data.value("profile", "")},
                           {"installedBy", "kubectl-mesh"},
                           {"tags", Json::array()}};
  }
}

// Revisions whose istiod runs without a record of ours (installed by istioctl or Helm).
void add_istiods(std::map<std::string, Json>& revisions, const std::vector<Json>& deployments) {
  for (const auto& v : istiod_versions(deployments)) {
    std::string revision = v.value("revision", "default");
    if (revisions.count(revision)) continue;
    revisions[revision] = {{"revision", revision},
                           {"version", v.value("version", "")},
                           {"profile", ""},
                           {"installedBy", ""},
                           {"tags", Json::array()}};
  }
}

void add_tags(std::map<std::string, Json>& revisions, const std::vector<Json>& webhooks) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (const auto& hook : webhooks)
    tags.emplace_back(kube::label_of(hook, "istio.io/tag"), kube::label_of(hook, "istio.io/rev"));
  std::sort(tags.begin(), tags.end());
  for (const auto& [tag, revision] : tags)
    if (auto it = revisions.find(revision); it != revisions.end() && !tag.empty())
      it->second["tags"].push_back(tag);
}

// "istiod" for the control plane, "gateway" for ingress and egress gateways, "" otherwise.
std::string role_of(const Json& deployment) {
  if (kube::label_of(deployment, "app") == "istiod") return "istiod";
  std::string istio = kube::label_of(deployment, "istio");
  std::string component = kube::label_of(deployment, kComponentLabel);
  if (ends_with(istio, "gateway") || ends_with(component, "-gateway")) return "gateway";
  return "";
}

// Why a Deployment has fewer ready Pods than it wants, in words.
std::string unready_reason(const Json& deployment, const std::vector<const Json*>& pods) {
  for (const auto& c : at(deployment, "/status/conditions", Json::array()))
    if (c.value("type", "") == "ReplicaFailure" && c.value("status", "") == "True")
      return "cannot create Pods: " + c.value("message", c.value("reason", ""));
  if (pods.empty()) return "no Pods";
  std::map<std::string, int> phases;
  int unscheduled = 0;
  for (const Json* pod : pods) {
    std::string phase = at(*pod, "/status/phase", Json("Unknown")).get<std::string>();
    ++phases[phase];
    if (phase == "Pending" && at(*pod, "/spec/nodeName", Json("")).get<std::string>().empty())
      ++unscheduled;
  }
  std::vector<std::string> parts;
  for (const auto& [phase, n] : phases)
    parts.push_back(std::to_string(n) + " " + phase);
  std::string text = phases.size() == 1
                         ? std::to_string(pods.size()) + (pods.size() == 1 ? " Pod " : " Pods ") +
                               phases.begin()->first
                         : std::to_string(pods.size()) + " Pods: " + join(parts, ", ");
  if (unscheduled == static_cast<int>(pods.size()))
    text += ", not scheduled to a node";
  else if (unscheduled > 0)
    text += " (" + std::to_string(unscheduled) + " not scheduled to a node)";
  return text;
}

Json component(const Json& deployment, const std::string& role, const std::vector<Json>& pods) {
  std::vector<const Json*> own;
  Json selector = at(deployment, "/spec/selector", Json::object());
  for (const auto& pod : pods)
    if (selector_matches(selector, at(pod, "/metadata/labels", Json::object())))
      own.push_back(&pod);
  int desired = at(deployment, "/spec/replicas", Json(1)).get<int>();
  int ready = at(deployment, "/status/readyReplicas", Json(0)).get<int>();
  bool healthy = desired > 0 && ready >= desired;
  std::string revision = kube::label_of(deployment, "istio.io/rev");
  return {{"name", kube::name_of(deployment)},
          {"namespace", kube::namespace_of(deployment)},
          {"role", role},
          {"revision", revision.empty() ? "default" : revision},
          {"desired", desired},
          {"ready", ready},
          {"healthy", healthy},
          {"reason", healthy        ? ""
                     : desired == 0 ? "scaled to zero"
                                    : unready_reason(deployment, own)}};
}

Json components_of(const ControlPlaneObjects& cp) {
  std::vector<Json> out;
  for (const auto& d : cp.deployments)
    if (std::string role = role_of(d); !role.empty()) out.push_back(component(d, role, cp.pods));
  // istiod first, then the gateways; by name within each.
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return std::make_tuple(a["role"] != "istiod", a.value("name", "")) <
           std::make_tuple(b["role"] != "istiod", b.value("name", ""));
  });
  return out;
}

std::string absent_message(const ControlPlaneObjects& cp) {
  if (cp.crds_served)
    return "Istio's CRDs are installed but no istiod is in " + std::string(kIstioNamespace) +
           ": run 'kubectl mesh install' (add --profile minimal|default|demo to choose)";
  return "Istio is not installed: run 'kubectl mesh install' (add --profile "
         "minimal|default|demo to choose)";
}

}  // namespace

Json istio_section(const ControlPlaneObjects& cp) {
  Json out = {{"crds", cp.crds_served},
              {"revisions", Json::array()},
              {"components", Json::array()},
              {"message", ""}};
  if (!cp.unreadable.empty()) {
    out["installed"] = nullptr;  // unknown: the user may not read istio-system
    out["message"] = "cannot read " + std::string(kIstioNamespace) + ": " + cp.unreadable;
    return out;
  }
  std::map<std::string, Json> revisions;
  add_records(revisions, cp.install_records);
  add_istiods(revisions, cp.deployments);
  add_tags(revisions, cp.tag_webhooks);
  for (auto& [_, r] : revisions)
    out["revisions"].push_back(std::move(r));
  out["components"] = components_of(cp);
  out["installed"] = !out["revisions"].empty();
  if (out["revisions"].empty()) out["message"] = absent_message(cp);
  return out;
}

}  // namespace kmesh::mesh::status
