#include "lib/mesh/injection.hpp"

#include <algorithm>

#include "lib/core/strings.hpp"

namespace kmesh::mesh {
namespace {

constexpr const char* kInjectionLabel = "istio-injection";
constexpr const char* kRevLabel = "istio.io/rev";
constexpr const char* kPodInjectLabel = "sidecar.istio.io/inject";

std::string get(const Json& labels, const char* key) {
  if (!labels.is_object()) return "";
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
}

bool has(const Json& labels, const char* key) {
  return labels.is_object() && labels.contains(key);
}

bool contains(const Json& list, const std::string& value) {
  if (!list.is_array()) return false;
  for (const auto& v : list)
    if (v.is_string() && v.get<std::string>() == value) return true;
  return false;
}

// A gateway runs Envoy as its workload (`proxy router`), not as a sidecar beside one.
bool is_gateway_proxy(const Json& container) {
  for (const auto& arg : container.value("args", Json::array()))
    if (arg.is_string() && arg.get<std::string>() == "router") return true;
  return false;
}

}  // namespace

std::string InjectionSetting::describe() const {
  switch (mode) {
    case kEnabled:
      return "enabled";
    case kDisabled:
      return "disabled";
    case kRevision:
      return "revision " + revision;
    default:
      return "none";
  }
}

InjectionSetting namespace_setting(const Json& labels) {
  InjectionSetting s;
  std::string injection = get(labels, kInjectionLabel);
  std::string rev = get(labels, kRevLabel);
  if (injection == "enabled")
    s.mode = InjectionSetting::kEnabled;
  else if (injection == "disabled")
    s.mode = InjectionSetting::kDisabled;
  else if (!rev.empty())
    s.mode = InjectionSetting::kRevision, s.revision = rev;
  if (!injection.empty() && !rev.empty())
    s.warnings.push_back(
        "has both istio-injection=" + injection + " and istio.io/rev=" + rev + ": " +
        (injection == "enabled" ? "istio-injection wins, the default revision injects"
                                : "istio-injection=disabled wins, nothing is injected"));
  if (!injection.empty() && injection != "enabled" && injection != "disabled")
    s.warnings.push_back("istio-injection=" + injection +
                         " is neither enabled nor disabled: Istio ignores it");
  if (get(labels, "istio.io/dataplane-mode") == "ambient")
    s.warnings.push_back(
        "is in ambient mode (istio.io/dataplane-mode=ambient): ztunnel carries its traffic,"
        " sidecar labels change nothing there until ambient is turned off");
  return s;
}

bool should_have_sidecar(const Json& ns_labels, const Json& pod_labels, bool host_network) {
  if (host_network) return false;
  std::string injection = get(ns_labels, kInjectionLabel);
  std::string pod_inject = get(pod_labels, kPodInjectLabel);
  if (injection == "disabled") return false;
  if (injection == "enabled") return pod_inject != "false";
  if (has(ns_labels, kRevLabel) && !has(ns_labels, kInjectionLabel)) return pod_inject != "false";
  // No namespace label: the Pod opts in itself, for the default revision or a named one.
  if (!has(ns_labels, kInjectionLabel) && !has(ns_labels, kRevLabel)) {
    if (has(pod_labels, kRevLabel)) return pod_inject != "false";
    return pod_inject == "true";
  }
  return false;
}

bool has_sidecar(const Json& spec) {
  if (!spec.is_object()) return false;
  for (const auto& c : spec.value("containers", Json::array()))
    if (c.value("name", "") == "istio-proxy" && !is_gateway_proxy(c)) return true;
  for (const auto& c : spec.value("initContainers", Json::array()))
    if (c.value("name", "") == "istio-proxy" && c.value("restartPolicy", "") == "Always")
      return true;
  return false;
}

std::string LabelChange::describe() const {
  std::vector<std::string> parts;
  for (auto it = set.begin(); it != set.end(); ++it)
    parts.push_back(it.key() + "=" + it.value().get<std::string>());
  for (const auto& r : remove)
    parts.push_back("-" + r);
  return join(parts, ", ");
}

LabelChange injection_change(const Json& labels, bool enable, const std::string& revision,
                             bool remove_label) {
  LabelChange change;
  auto want = [&](const char* key, const std::string& value) {
    if (get(labels, key) != value || !has(labels, key)) change.set[key] = value;
  };
  auto drop = [&](const char* key) {
    if (has(labels, key)) change.remove.push_back(key);
  };
  if (enable && revision.empty()) {
    want(kInjectionLabel, "enabled");
    drop(kRevLabel);
  } else if (enable) {
    want(kRevLabel, revision);
    drop(kInjectionLabel);
  } else if (remove_label) {
    drop(kInjectionLabel);
    drop(kRevLabel);
  } else {
    want(kInjectionLabel, "disabled");
    drop(kRevLabel);
  }
  return change;
}

bool selector_matches(const Json& selector, const Json& labels) {
  if (!selector.is_object()) return false;
  const Json match_labels = selector.value("matchLabels", Json::object());
  for (auto it = match_labels.begin(); it != match_labels.end(); ++it)
    if (!has(labels, it.key().c_str()) || !it.value().is_string() ||
        get(labels, it.key().c_str()) != it.value().get<std::string>())
      return false;
  for (const auto& req : selector.value("matchExpressions", Json::array())) {
    std::string key = req.value("key", ""), op = req.value("operator", "");
    bool present = has(labels, key.c_str());
    std::string value = get(labels, key.c_str());
    const Json values = req.value("values", Json::array());
    if (op == "In" && !(present && contains(values, value))) return false;
    if (op == "NotIn" && present && contains(values, value)) return false;
    if (op == "Exists" && !present) return false;
    if (op == "DoesNotExist" && present) return false;
  }
  return true;
}

}  // namespace kmesh::mesh
