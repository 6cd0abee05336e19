#include "lib/mesh/verify.hpp"

#include <cmath>

#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kube/ops.hpp"
#include "lib/mesh/installer.hpp"

namespace kmesh::mesh {
namespace {

// Kubernetes rewrites quantities in canonical form (2048Mi becomes 2Gi): compare values.
std::optional<double> quantity_value(const std::string& q) {
  static const std::vector<std::pair<std::string, double>> suffixes = {
      {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
      {"m", 0.001},   {"k", 1e3},        {"M", 1e6},           {"G", 1e9},
      {"T", 1e12}};
  size_t n = 0;
  while (n < q.size() && (std::isdigit(static_cast<unsigned char>(q[n])) || q[n] == '.'))
    ++n;
  if (n == 0) return std::nullopt;
  double value = std::atof(q.substr(0, n).c_str());
  std::string suffix = q.substr(n);
  if (suffix.empty()) return value;
  for (const auto& [s, scale] : suffixes)
    if (suffix == s) return value * scale;
  return std::nullopt;
}

bool scalars_equal(const Json& a, const Json& b) {
  if (a == b) return true;
  if (a.is_string() && b.is_string()) {
    auto x = quantity_value(a.get<std::string>()), y = quantity_value(b.get<std::string>());
    return x && y && std::fabs(*x - *y) < 1e-9 * std::max(1.0, std::fabs(*x));
  }
  return false;
}

std::string shown(const Json& j) {
  std::string s = j.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

}  // namespace

std::string first_difference(const Json& planned, const Json& live, const std::string& path) {
  if (planned.is_object()) {
    if (!live.is_object()) return path + ": expected a map, found " + shown(live);
    for (auto it = planned.begin(); it != planned.end(); ++it) {
      std::string child = path + "." + it.key();
      if (!live.contains(it.key())) {
        // Go's omitempty drops zero values: a planned "", 0 or false reads back as absent.
        const Json& v = it.value();
        bool zero = v.is_null() || (v.is_structured() && v.empty()) ||
                    (v.is_string() && v.get<std::string>().empty()) ||
                    (v.is_boolean() && !v.get<bool>()) || (v.is_number() && v.get<double>() == 0);
        if (zero) continue;
        return child + ": missing (expected " + shown(it.value()) + ")";
      }
      std::string d = first_difference(it.value(), live[it.key()], child);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (planned.is_array()) {
    if (!live.is_array() || live.size() != planned.size())
      return path + ": expected " + std::to_string(planned.size()) + " items, found " +
             (live.is_array() ? std::to_string(live.size()) : shown(live));
    for (size_t i = 0; i < planned.size(); ++i) {
      std::string d = first_difference(planned[i], live[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (!scalars_equal(planned, live))
    return path + ": expected " + shown(planned) + ", found " + shown(live);
  return "";
}

Result<std::vector<Drift>> verify_install(kube::Client& client, kube::Discovery& discovery,
                                          const InstallPlan& plan) {
  std::vector<Drift> drifts;
  for (const auto& p : plan.objects) {
    Json planned = p.object;
    auto info = discovery.find_kind(kube::api_version_of(planned), kube::kind_of(planned));
    std::string ns = kube::namespace_of(planned);
    std::string name = kube::name_of(planned);
    std::string object = (info ? info->type_name() : kube::kind_of(planned)) + "/" + name +
                         (ns.empty() ? "" : " in " + ns);
    if (!info) {
      drifts.push_back({"missing", object, "the server does not serve " + kube::kind_of(planned)});
      continue;
    }
    KMESH_ASSIGN_OR_RETURN(auto live, kube::get_object(client, *info, ns, name));
    if (!live) {
      drifts.push_back({"missing", object, "not in the cluster"});
      continue;
    }
    adopt_taken_over_fields(planned, *live);  // istiod's own fields are not drift
    std::string diff = first_difference(planned, *live);
    if (!diff.empty()) drifts.push_back({"drifted", object, diff.substr(1)});
  }
  KMESH_ASSIGN_OR_RETURN(auto extra, stale_objects(client, discovery, plan));
  for (const auto& e : extra)
    drifts.push_back(
        {"extra", e.display(), "carries this revision's labels but is not in the plan"});
  return drifts;
}

Result<InstallPlan> installed_plan(kube::Client& client, const std::string& revision,
                                   const std::string& istio_namespace) {
  std::string name =
      "kubectl-mesh-install" + std::string(revision == "default" ? "" : "-" + revision);
  kube::HttpRequest req;
  req.path = "/api/v1/namespaces/" + istio_namespace + "/configmaps/" + name;
  auto resp = client.send(req);
  if (resp.status == 404)
    return cluster_error("no install of revision \"" + revision + "\" found (configmap/" + name +
                         " in " + istio_namespace +
                         " does not exist); run 'kubectl mesh install' first");
  if (!resp.ok()) return client.error(resp, "reading configmap/" + name);
  Json cm = Json::parse(resp.body, nullptr, false);
  if (cm.is_discarded() || !cm.contains("data"))
    return cluster_error("configmap/" + name + " is not readable");
  std::string profile = cm["data"].value("profile", "default");
  Json values = Json::parse(cm["data"].value("values", "{}"), nullptr, false);
  KMESH_ASSIGN_OR_RETURN(auto base, profile_values(profile));
  if (values.is_object())
    for (auto it = values.begin(); it != values.end(); ++it)
      base[it.key()] = it.value();
  KMESH_TRY(finish_values(base));
  return render_plan(profile, std::move(base));
}

}  // namespace kmesh::mesh
