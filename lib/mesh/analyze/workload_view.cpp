#include "lib/mesh/analyze/workload_view.hpp"

#include "lib/mesh/analyze/fields.hpp"

namespace kmesh::mesh::analyze {

std::map<std::string, NamespaceWorkloads> workloads_by_namespace(const World& world) {
  std::map<std::string, NamespaceObjects> lists;
  std::map<std::string, std::map<std::pair<std::string, std::string>, const Object*>> by_name;
  for (const Object& o : world.objects()) {
    std::vector<Json>* target = nullptr;
    if (o.ns.empty()) continue;
    if (o.kind == "Deployment" && o.group == "apps")
      target = &lists[o.ns].deployments;
    else if (o.kind == "StatefulSet" && o.group == "apps")
      target = &lists[o.ns].statefulsets;
    else if (o.kind == "DaemonSet" && o.group == "apps")
      target = &lists[o.ns].daemonsets;
    else if (o.kind == "Job" && o.group == "batch")
      target = &lists[o.ns].jobs;
    else if (o.kind == "Pod" && o.group.empty())
      target = &lists[o.ns].pods;
    if (!target) continue;
    // assess_workloads reads spec.template.spec of workloads: skip objects without one.
    if (o.kind != "Pod" && !field(map(o.spec(), "template"), "spec").is_object()) continue;
    target->push_back(o.value);
    by_name[o.ns][{o.kind, o.name}] = &o;
  }
  std::map<std::string, NamespaceWorkloads> out;
  for (auto& [ns, objects] : lists) {
    NamespaceWorkloads& nw = out[ns];
    const Object* namespace_object = world.find("", "Namespace", "", ns);
    nw.namespace_known = namespace_object != nullptr;
    if (namespace_object) objects.labels = namespace_object->labels();
    for (auto& state : assess_workloads(ns, objects)) {
      WorkloadView v;
      v.object = by_name[ns][{state.kind, state.name}];
      if (!v.object) continue;
      v.labels = state.kind == "Pod"
                     ? v.object->labels()
                     : map(map(map(v.object->spec(), "template"), "metadata"), "labels");
      v.has_pods = state.pods_with_sidecar + state.pods_without_sidecar > 0;
      if (v.has_pods)
        v.sidecar = state.pods_without_sidecar > 0 ? WorkloadView::kNo : WorkloadView::kYes;
      else if (nw.namespace_known)
        v.sidecar = state.should_have_sidecar ? WorkloadView::kYes : WorkloadView::kNo;
      v.state = std::move(state);
      nw.workloads.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace kmesh::mesh::analyze
