// The Namespaces section of status: what each namespace's labels ask of the injector,
// whether that reaches a control plane, whether its workloads' Pods match it (the rule of
// `inject status`), and what keeps their Pods from being created.

#include <algorithm>

#include "lib/kube/objects.hpp"
#include "lib/mesh/injection.hpp"
#include "lib/mesh/status/status.hpp"
#include "lib/mesh/workloads.hpp"

namespace kmesh::mesh::status {
namespace {

namespace az = analyze;

const char* const kInjectionLabels[] = {"istio-injection", "istio.io/rev",
                                        "istio.io/dataplane-mode"};

Json at(const Json& object, const char* pointer, Json fallback) {
  return object.value(Json::json_pointer(pointer), std::move(fallback));
}

std::vector<Json> objects_in(const az::World& world, const std::string& group,
                             const std::string& kind, const std::string& ns) {
  std::vector<Json> out;
  for (const az::Object* o : world.of_kind(group, kind))
    if (o->ns == ns) out.push_back(o->value);
  return out;
}

NamespaceObjects namespace_objects(const az::World& world, const std::string& ns,
                                   const Json& labels) {
  NamespaceObjects o;
  o.labels = labels;
  o.deployments = objects_in(world, "apps", "Deployment", ns);
  o.statefulsets = objects_in(world, "apps", "StatefulSet", ns);
  o.daemonsets = objects_in(world, "apps", "DaemonSet", ns);
  o.jobs = objects_in(world, "batch", "Job", ns);
  o.pods = objects_in(world, "", "Pod", ns);
  return o;
}

// Ready and desired replicas of a workload; nulls for Jobs and bare Pods.
std::pair<Json, Json> replicas(const Json& workload, const std::string& kind) {
  if (kind == "Deployment" || kind == "StatefulSet")
    return {at(workload, "/status/readyReplicas", Json(0)),
            at(workload, "/spec/replicas", Json(1))};
  if (kind == "DaemonSet")
    return {at(workload, "/status/numberReady", Json(0)),
            at(workload, "/status/desiredNumberScheduled", Json(0))};
  return {nullptr, nullptr};
}

// Why the controller cannot create the workload's Pods (an admission webhook refusing
// them, a quota), as its ReplicaFailure condition says; "" when nothing stops it.
std::string creation_problem(const Json& workload) {
  for (const auto& c : at(workload, "/status/conditions", Json::array()))
    if (c.value("type", "") == "ReplicaFailure" && c.value("status", "") == "True")
      return c.value("message", c.value("reason", "ReplicaFailure"));
  return "";
}

const Json* find_workload(const NamespaceObjects& o, const WorkloadState& w) {
  const std::vector<Json>* list = w.kind == "Deployment"    ? &o.deployments
                                  : w.kind == "StatefulSet" ? &o.statefulsets
                                  : w.kind == "DaemonSet"   ? &o.daemonsets
                                  : w.kind == "Job"         ? &o.jobs
                                                            : &o.pods;
  for (const auto& item : *list)
    if (kube::name_of(item) == w.name) return &item;
  return nullptr;
}

Json workloads_of(const std::string& ns, const NamespaceObjects& objects) {
  std::vector<Json> out;
  for (const auto& w : assess_workloads(ns, objects)) {
    const Json* object = find_workload(objects, w);
    auto [ready, desired] = object ? replicas(*object, w.kind) : std::pair<Json, Json>{};
    out.push_back({{"kind", w.kind},
                   {"name", w.name},
                   {"ready", ready},
                   {"desired", desired},
                   {"sidecarExpected", w.should_have_sidecar},
                   {"podsWithSidecar", w.pods_with_sidecar},
                   {"podsWithoutSidecar", w.pods_without_sidecar},
                   {"needsRestart", w.needs_restart()},
                   {"problem", object ? creation_problem(*object) : ""}});
  }
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return std::make_pair(a.value("kind", ""), a.value("name", "")) <
           std::make_pair(b.value("kind", ""), b.value("name", ""));
  });
  return out;
}

std::string installed_list(const std::set<std::string>& revisions) {
  std::string text;
  for (const auto& r : revisions)
    text += (text.empty() ? "" : ", ") + r;
  return text;
}

// A label that no control plane answers: new Pods would start without a sidecar.
std::vector<std::string> reach_warnings(const std::string& ns, const InjectionSetting& setting,
                                        const std::set<std::string>& revisions) {
  if (setting.mode == InjectionSetting::kEnabled && revisions.empty())
    return {
        "istio-injection=enabled but Istio is not installed: new Pods get no sidecar; run "
        "'kubectl mesh install'"};
  if (setting.mode == InjectionSetting::kEnabled && !revisions.count("default"))
    return {
        "istio-injection=enabled is answered by the default revision or tag, and there is "
        "none (installed: " +
        installed_list(revisions) + "): new Pods get no sidecar; run 'kubectl mesh inject enable " +
        ns + " --revision REVISION' or 'kubectl mesh tag set default --revision REVISION'"};
  if (setting.mode == InjectionSetting::kRevision && !revisions.count(setting.revision))
    return {"istio.io/rev=" + setting.revision +
            " names no installed revision or tag: new Pods get no sidecar; run 'kubectl mesh "
            "install --revision " +
            setting.revision + "' or 'kubectl mesh tag set " + setting.revision +
            " --revision REVISION'"};
  return {};
}

Json namespace_entry(const az::World& world, const std::string& ns,
                     const std::optional<std::set<std::string>>& revisions) {
  const az::Object* object = world.find("", "Namespace", "", ns);
  const Json all_labels = object ? object->labels() : Json::object();
  Json labels = Json::object();
  for (const char* key : kInjectionLabels)
    if (all_labels.contains(key)) labels[key] = all_labels[key];
  InjectionSetting setting = namespace_setting(all_labels);
  Json warnings = setting.warnings;
  if (object && revisions)
    for (auto& w : reach_warnings(ns, setting, *revisions))
      warnings.push_back(std::move(w));
  return {{"name", ns},
          {"injection", object ? setting.describe() : "unknown"},
          {"labels", labels},
          {"warnings", warnings},
          {"workloads", workloads_of(ns, namespace_objects(world, ns, all_labels))}};
}

}  // namespace

std::optional<std::set<std::string>> injectable_revisions(const Json& istio,
                                                          const ControlPlaneObjects& cp) {
  if (!cp.unreadable.empty() || !cp.tags_known) return std::nullopt;
  std::set<std::string> out;
  for (const auto& r : istio["revisions"]) {
    out.insert(r.value("revision", ""));
    for (const auto& tag : r["tags"])
      out.insert(tag.get<std::string>());
  }
  return out;
}

Json namespaces_section(const az::World& world, const std::vector<std::string>& names,
                        const std::optional<std::set<std::string>>& revisions) {
  Json out = Json::array();
  for (const auto& ns : names)
    out.push_back(namespace_entry(world, ns, revisions));
  return out;
}

}  // namespace kmesh::mesh::status
