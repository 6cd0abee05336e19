// KM0201-KM0206: PeerAuthentication against sidecars, AuthorizationPolicy namespaces,
// RequestAuthentication issuers and inline JWKS.

#include "lib/core/strings.hpp"
#include "lib/mesh/analyze/checks.hpp"
#include "lib/mesh/analyze/fields.hpp"
#include "lib/mesh/analyze/workload_view.hpp"
#include "lib/mesh/injection.hpp"

namespace kmesh::mesh::analyze {
namespace {

std::string mode_of(const Object& pa) {
  return str(map(pa.spec(), "mtls"), "mode");
}

bool has_selector(const Object& pa) {
  return !map(map(pa.spec(), "selector"), "matchLabels").empty();
}

// The PeerAuthentication that decides a workload's mode: one selecting it in its namespace,
// else the namespace's own, else the mesh-wide one in the root namespace. UNSET inherits.
const Object* effective_policy(const std::vector<const Object*>& policies, const std::string& ns,
                               const Json& labels) {
  auto decides = [](const Object* pa) {
    std::string m = mode_of(*pa);
    return !m.empty() && m != "UNSET";
  };
  for (const Object* pa : policies)
    if (pa->ns == ns && has_selector(*pa) && decides(pa) &&
        selector_matches(map(pa->spec(), "selector"), labels))
      return pa;
  for (const Object* pa : policies)
    if (pa->ns == ns && !has_selector(*pa) && decides(pa)) return pa;
  for (const Object* pa : policies)
    if (pa->ns == kRootNamespace && !has_selector(*pa) && decides(pa)) return pa;
  return nullptr;
}

std::string some(const std::vector<std::string>& names) {
  if (names.size() <= 5) return join(names, ", ");
  return join(std::vector<std::string>(names.begin(), names.begin() + 5), ", ") + " and " +
         std::to_string(names.size() - 5) + " more";
}

void check_peer_authentication(const World& world, Sink& sink) {
  auto policies = world.of_kind(kSecurity, "PeerAuthentication");
  auto workloads = workloads_by_namespace(world);
  for (const Object* pa : policies) {
    if (!pa->in_scope || mode_of(*pa) != "STRICT") continue;
    bool mesh_wide = pa->ns == kRootNamespace && !has_selector(*pa);
    std::vector<std::string> without;
    bool saw_workload = false;
    for (const auto& [ns, nw] : workloads) {
      if (is_system_namespace(ns) || (!mesh_wide && ns != pa->ns)) continue;
      for (const auto& w : nw.workloads) {
        if (effective_policy(policies, ns, w.labels) != pa) continue;
        saw_workload = true;
        if (w.sidecar == WorkloadView::kNo)
          without.push_back(w.object->kind + " " + ns + "/" + w.object->name);
        else if (w.sidecar == WorkloadView::kUnknown)
          sink.unresolved(*pa, "injection labels of Namespace " + ns);
      }
    }
    if (!saw_workload && !mesh_wide && !world.knows("Pod", pa->ns))
      sink.unresolved(*pa, "workloads of namespace " + pa->ns);
    if (without.empty()) continue;
    sink.finding("KM0201", *pa,
                 "spec.mtls.mode STRICT, but " + some(without) +
                     (without.size() == 1 ? " runs" : " run") +
                     " without a sidecar: nothing enforces mTLS there, and " +
                     (without.size() == 1 ? "its" : "their") +
                     " plain-text calls to workloads that have one are refused; enable injection "
                     "and restart, or"
                     " give such workloads a PERMISSIVE PeerAuthentication");
  }
}

void check_authorization_namespaces(const World& world, Sink& sink) {
  for (const Object* ap : world.of_kind(kSecurity, "AuthorizationPolicy")) {
    if (!ap->in_scope) continue;
    const Json& rules = list(ap->spec(), "rules");
    for (size_t i = 0; i < rules.size(); ++i) {
      const Json& from = list(rules[i], "from");
      for (size_t j = 0; j < from.size(); ++j)
        for (const char* key : {"namespaces", "notNamespaces"}) {
          const Json& names = list(map(from[j], "source"), key);
          for (size_t k = 0; k < names.size(); ++k) {
            if (!names[k].is_string()) continue;
            std::string ns = names[k].get<std::string>();
            if (ns.find('*') != std::string::npos || world.find("", "Namespace", "", ns)) continue;
            if (!world.knows("Namespace", "")) {
              sink.unresolved(*ap, "Namespace " + ns);
              continue;
            }
            std::string at = "spec.rules[" + std::to_string(i) + "].from[" + std::to_string(j) +
                             "].source." + key + "[" + std::to_string(k) + "]";
            sink.finding(
                "KM0202", *ap,
                at + " names namespace \"" + ns +
                    "\", which does not exist, so this source never matches; fix the name or create"
                    " the namespace");
          }
        }
    }
  }
}

// What is wrong with an inline JWKS, or "" when nothing is.
std::pair<std::string, std::string> jwks_problem(const std::string& text) {
  Json jwks = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (jwks.is_discarded()) return {"KM0204", "is not valid JSON"};
  const Json& keys = list(jwks, "keys");
  if (keys.empty()) return {"KM0205", "has no \"keys\" (a JWKS is {\"keys\": [...]})"};
  for (size_t i = 0; i < keys.size(); ++i)
    if (str(keys[i], "kty").empty())
      return {"KM0206",
              "key " + std::to_string(i) +
                  (str(keys[i], "kid").empty() ? "" : " (kid " + str(keys[i], "kid") + ")") +
                  " has no \"kty\" (RSA, EC or oct)"};
  return {};
}

void check_request_authentication(const World& world, Sink& sink) {
  for (const Object* ra : world.of_kind(kSecurity, "RequestAuthentication")) {
    if (!ra->in_scope) continue;
    const Json& rules = list(ra->spec(), "jwtRules");
    for (size_t i = 0; i < rules.size(); ++i) {
      std::string at = "spec.jwtRules[" + std::to_string(i) + "]";
      if (std::string(trim(str(rules[i], "issuer"))).empty())
        sink.finding(
            "KM0203", *ra,
            at + ".issuer is empty: Istio rejects the rule, so tokens are not validated; set the"
                 " issuer (the token's iss claim)");
      if (!field(rules[i], "jwks").is_string()) continue;
      auto [code, why] = jwks_problem(str(rules[i], "jwks"));
      if (code.empty()) continue;
      sink.finding(code, *ra,
                   at + ".jwks " + why +
                       ": Envoy cannot verify any token with it, so every request carrying one is"
                       " rejected; paste the issuer's JWKS or use jwksUri");
    }
  }
}

}  // namespace

void check_security(const World& world, Sink& sink) {
  check_peer_authentication(world, sink);
  check_authorization_namespaces(world, sink);
  check_request_authentication(world, sink);
}

}  // namespace kmesh::mesh::analyze
