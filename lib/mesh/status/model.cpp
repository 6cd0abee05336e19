// The whole status view: the scope, the Istio and Namespaces sections, every Service's
// policy (policy show's view of it) and analyze's counts for the namespaces shown.

#include <algorithm>
#include <map>

#include "lib/kube/objects.hpp"
#include "lib/mesh/analyze/checks.hpp"
#include "lib/mesh/policy/show.hpp"
#include "lib/mesh/status/status.hpp"

namespace kmesh::mesh::status {
namespace {

namespace az = analyze;

bool is_istio_group(const std::string& group) {
  return group == az::kNetworking || group == az::kSecurity;
}

bool labelled_for_injection(const az::Object& ns) {
  return ns.labels().contains("istio-injection") || ns.labels().contains("istio.io/rev");
}

// The namespace an object belongs to for the scope: its own, or a Namespace's name.
std::string home_of(const az::Object& o) {
  return o.kind == "Namespace" && o.ns.empty() ? o.name : o.ns;
}

const char* mode_name(Scope::Mode mode) {
  switch (mode) {
    case Scope::kNamespace:
      return "namespace";
    case Scope::kAll:
      return "all";
    default:
      return "mesh";
  }
}

policy::PolicyObjects policy_objects(const Inputs& in, const std::set<std::string>& shown) {
  policy::PolicyObjects out;
  const std::vector<std::pair<std::string, std::vector<Json> policy::PolicyObjects::*>> kinds = {
      {"Service", &policy::PolicyObjects::services},
      {"VirtualService", &policy::PolicyObjects::virtual_services},
      {"DestinationRule", &policy::PolicyObjects::destination_rules}};
  for (const auto& [kind, field] : kinds)
    for (const az::Object* o : in.world.of_kind("*", kind))
      if (shown.count(o->ns)) (out.*field).push_back(o->value);
  for (const auto& route : in.http_routes)
    if (shown.count(kube::namespace_of(route))) out.http_routes.push_back(route);
  for (const az::Object* ns : in.world.of_kind("", "Namespace"))
    if (shown.count(ns->name)) out.namespaces[ns->name] = ns->value;
  return out;
}

// Every Service of the namespaces shown, with its routes, retries, timeouts, faults,
// mirrors and breakers (an empty policy when no VirtualService or DestinationRule concerns it).
Json services_section(const Inputs& in, const std::set<std::string>& shown) {
  policy::PolicyObjects objects = policy_objects(in, shown);
  std::vector<policy::ServiceRef> refs;
  for (const auto& svc : objects.services)
    refs.push_back({kube::name_of(svc), kube::namespace_of(svc)});
  std::sort(refs.begin(), refs.end(), [](const auto& a, const auto& b) {
    return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
  });
  Json out = Json::array();
  for (const auto& ref : refs)
    out.push_back(policy::service_policy(ref, objects));
  return out;
}

std::string analyze_command(const Scope& scope, const std::vector<std::string>& shown) {
  if (scope.mode == Scope::kNamespace) return "kubectl mesh analyze -n " + scope.ns;
  if (scope.mode == Scope::kMesh && shown.size() == 1)
    return "kubectl mesh analyze -n " + shown.front();
  return "kubectl mesh analyze -A";
}

// analyze's counts, for the findings about objects of the namespaces shown (with -A, all).
Json analysis_section(const Inputs& in, const Scope& scope, const std::vector<std::string>& names) {
  std::set<std::string> shown(names.begin(), names.end());
  auto counted = [&](const std::string& ns) {
    return scope.mode == Scope::kAll || shown.count(ns);
  };
  az::Report report = az::analyze(in.world);
  Json out = {{"errors", 0}, {"warnings", 0}, {"info", 0}, {"codes", Json::object()}};
  for (const auto& f : report.findings) {
    std::string home = f.object.kind == "Namespace" ? f.object.name : f.object.ns;
    if (!counted(home)) continue;
    const char* key = f.severity == az::Severity::kError     ? "errors"
                      : f.severity == az::Severity::kWarning ? "warnings"
                                                             : "info";
    out[key] = out[key].get<int>() + 1;
    out["codes"][f.code] = out["codes"].value(f.code, 0) + 1;
  }
  int objects = 0;
  for (const auto& o : in.world.objects())
    objects += o.in_scope && (scope.mode != Scope::kMesh || counted(home_of(o)));
  out["objects"] = objects;
  out["command"] = analyze_command(scope, names);
  return out;
}

}  // namespace

std::vector<std::string> scope_namespaces(const az::World& world, const Scope& scope) {
  if (scope.mode == Scope::kNamespace) return {scope.ns};
  std::set<std::string> names;
  for (const auto& o : world.objects()) {
    if (!o.in_scope) continue;
    if (scope.mode == Scope::kAll) {
      if (!home_of(o).empty()) names.insert(home_of(o));
    } else if (o.kind == "Namespace" ? labelled_for_injection(o) : is_istio_group(o.group)) {
      names.insert(home_of(o));
    }
  }
  return {names.begin(), names.end()};
}

Json build_status(const Inputs& in, const Scope& scope) {
  std::vector<std::string> names = scope_namespaces(in.world, scope);
  Json istio = istio_section(in.control_plane);
  Json out = {{"scope", {{"mode", mode_name(scope.mode)}, {"namespaces", names}}}};
  out["namespaces"] =
      namespaces_section(in.world, names, injectable_revisions(istio, in.control_plane));
  out["istio"] = std::move(istio);
  out["services"] = services_section(in, {names.begin(), names.end()});
  out["analysis"] = analysis_section(in, scope, names);
  return out;
}

}  // namespace kmesh::mesh::status
