// KM0301-KM0304: Pods whose sidecar state differs from what their namespace asks, namespace
// labels Istio resolves in a surprising way, and Service ports Istio cannot classify.

#include "lib/core/strings.hpp"
#include "lib/mesh/analyze/checks.hpp"
#include "lib/mesh/analyze/fields.hpp"
#include "lib/mesh/analyze/workload_view.hpp"
#include "lib/mesh/injection.hpp"

namespace kmesh::mesh::analyze {
namespace {

std::string restart_hint(const WorkloadView& w) {
  const Object& o = *w.object;
  if (w.state.restartable())
    return "restart it: kubectl rollout restart " + to_lower(o.kind) + "/" + o.name + " -n " + o.ns;
  return "delete and recreate it (a " + o.kind + " cannot be restarted in place)";
}

void check_sidecar_state(const World& world, Sink& sink) {
  for (const auto& [ns, nw] : workloads_by_namespace(world)) {
    if (!nw.namespace_known) continue;
    const Object& namespace_object = *world.find("", "Namespace", "", ns);
    for (const auto& w : nw.workloads) {
      if (!w.has_pods || !w.state.needs_restart()) continue;
      std::string setting = namespace_setting(namespace_object.labels()).describe();
      if (w.state.should_have_sidecar)
        sink.finding("KM0301", *w.object,
                     std::to_string(w.state.pods_without_sidecar) +
                         " Pod(s) run without a sidecar although namespace " + ns +
                         " asks for injection (" + setting + ")" +
                         ": injection happens only when a Pod is created; " + restart_hint(w));
      else
        sink.finding("KM0302", *w.object,
                     std::to_string(w.state.pods_with_sidecar) +
                         " Pod(s) run with a sidecar although namespace " + ns +
                         " does not ask for injection (" + setting + ")" +
                         ": they keep it until recreated; " + restart_hint(w));
    }
  }
}

void check_namespace_labels(const World& world, Sink& sink) {
  for (const Object* ns : world.of_kind("", "Namespace")) {
    std::string injection = str(ns->labels(), "istio-injection"),
                rev = str(ns->labels(), "istio.io/rev");
    if (!ns->labels().contains("istio-injection") || !ns->labels().contains("istio.io/rev"))
      continue;
    sink.finding(
        "KM0303", *ns,
        "labels istio-injection=" + injection + " and istio.io/rev=" + rev +
            ": Istio honours only istio-injection (" +
            (injection == "enabled" ? "the default revision injects" : "no revision injects") +
            "); keep one: kubectl mesh inject enable " + ns->name + " [--revision " + rev + "]");
  }
}

// Istio's protocol selection by port name: NAME is PREFIX or PREFIX-SUFFIX.
bool has_protocol_prefix(const std::string& port_name) {
  static const std::vector<std::string> prefixes = {
      "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis", "udp"};
  std::string name = to_lower(port_name);
  for (const auto& p : prefixes)
    if (name == p || starts_with(name, p + "-")) return true;
  return false;
}

void check_port_names(const World& world, Sink& sink) {
  for (const Object* svc : world.of_kind("", "Service")) {
    if (is_system_namespace(svc->ns) || str(svc->spec(), "type") == "ExternalName") continue;
    const Json& ports = list(svc->spec(), "ports");
    for (size_t i = 0; i < ports.size(); ++i) {
      std::string name = str(ports[i], "name");
      if (!str(ports[i], "appProtocol").empty() || has_protocol_prefix(name)) continue;
      std::string port = std::to_string(number(ports[i], "port", 0));
      sink.finding(
          "KM0304", *svc,
          "spec.ports[" + std::to_string(i) + "] (port " + port + ") " +
              (name.empty() ? std::string("has no name") : "is named \"" + name + "\"") +
              ": Istio cannot tell its protocol and falls back to sniffing (server-first protocols"
              " such as MySQL then stall); name it PROTOCOL or PROTOCOL-SUFFIX (http-web, grpc, "
              "tcp-db)"
              " or set appProtocol");
    }
  }
}

}  // namespace

void check_workloads(const World& world, Sink& sink) {
  check_sidecar_state(world, sink);
  check_namespace_labels(world, sink);
  check_port_names(world, sink);
}

}  // namespace kmesh::mesh::analyze
