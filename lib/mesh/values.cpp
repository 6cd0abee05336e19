#include "lib/mesh/values.hpp"

#include <algorithm>

#include "lib/core/embedded.hpp"
#include "lib/core/strings.hpp"
#include "lib/yaml/emit.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::mesh {
namespace {

std::vector<ValueSpec> make_specs() {
  std::vector<ValueSpec> s = {
      {"hub", "image", {}, "registry and path of the Istio images (docker.io/istio)"},
      {"tag", "image", {}, "tag of the pilot and proxyv2 images"},
      {"revision", "revision", {}, "control plane revision; same as --revision"},
      {"meshConfig.accessLogFile",
       "path",
       {},
       "Envoy access log path, e.g. /dev/stdout; empty: off"},
      {"pilot.traceSampling", "percent", {}, "percentage of requests traced (0 to 100)"},
      {"pilot.replicaCount", "count", {}, "istiod replicas when not autoscaled"},
      {"pilot.autoscaleEnabled", "bool", {}, "scale istiod with a HorizontalPodAutoscaler"},
      {"pilot.autoscaleMin", "count", {}, "autoscaler minimum"},
      {"pilot.autoscaleMax", "count", {}, "autoscaler maximum"},
      {"pilot.resources.requests.cpu", "quantity", {}, "istiod CPU request"},
      {"pilot.resources.requests.memory", "quantity", {}, "istiod memory request"},
      {"global.proxy.resources.requests.cpu", "quantity", {}, "sidecar CPU request"},
      {"global.proxy.resources.requests.memory", "quantity", {}, "sidecar memory request"},
      {"global.proxy.resources.limits.cpu", "quantity", {}, "sidecar CPU limit"},
      {"global.proxy.resources.limits.memory", "quantity", {}, "sidecar memory limit"},
  };
  for (std::string gw : {"ingress", "egress"}) {
    std::string p = "gateways." + gw + ".";
    s.push_back({p + "enabled", "bool", {}, "install the " + gw + " gateway"});
    s.push_back({p + "serviceType",
                 "enum",
                 {"LoadBalancer", "NodePort", "ClusterIP"},
                 gw + " gateway Service type"});
    s.push_back({p + "replicaCount", "count", {}, gw + " gateway replicas when not autoscaled"});
    s.push_back({p + "autoscaleEnabled", "bool", {}, "scale the " + gw + " gateway with an HPA"});
    s.push_back({p + "autoscaleMin", "count", {}, "autoscaler minimum"});
    s.push_back({p + "autoscaleMax", "count", {}, "autoscaler maximum"});
    s.push_back({p + "resources.requests.cpu", "quantity", {}, gw + " gateway CPU request"});
    s.push_back({p + "resources.requests.memory", "quantity", {}, gw + " gateway memory request"});
  }
  return s;
}

const ValueSpec* find_spec(const std::string& path) {
  for (const auto& s : value_specs())
    if (s.path == path) return &s;
  return nullptr;
}

Error unknown_key(const std::string& path, const std::string& where) {
  std::vector<std::string> known;
  for (const auto& s : value_specs())
    known.push_back(s.path);
  auto near = nearest(path, known, 3);
  std::string hint = near.empty() ? "; see 'kubectl mesh install --help' for the keys"
                                  : "; did you mean " + join(near, ", ") + "?";
  return usage_error(where + "unknown value \"" + path + "\"" + hint);
}

bool is_quantity(const std::string& v) {
  size_t i = 0;
  while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.'))
    ++i;
  if (i == 0) return false;
  std::string suffix = v.substr(i);
  for (const char* ok : {"", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti"})
    if (suffix == ok) return true;
  return false;
}

bool is_safe_text(const std::string& v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '/' ||
           c == ':' || c == '-';
  });
}

bool is_dns_label(const std::string& v) {
  if (v.empty() || v.size() > 63 || v.front() == '-' || v.back() == '-') return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// Checks and types one value; `raw` is what the user wrote when it came from --set.
Result<Json> typed_value(const ValueSpec& spec, const Json& given, const std::string& where) {
  std::string text = given.is_string() ? given.get<std::string>() : yaml::emit_scalar(given);
  auto bad = [&](const std::string& expected) {
    return usage_error(where + spec.path + "=" + text + ": expected " + expected);
  };
  if (spec.type == "bool") {
    if (given.is_boolean()) return given;
    if (text == "true" || text == "false") return Json(text == "true");
    return bad("true or false");
  }
  if (spec.type == "count" || spec.type == "percent") {
    Json n = given;
    if (given.is_string()) {
      n = yaml::resolve_plain(text, yaml::Typing::kYaml12);
    }
    if (!n.is_number())
      return bad(spec.type == "count" ? "a whole number" : "a number from 0 to 100");
    double d = n.get<double>();
    if (spec.type == "count" && (!n.is_number_integer() || d < 0))
      return bad("a whole number, 0 or more");
    if (spec.type == "percent" && (d < 0 || d > 100)) return bad("a number from 0 to 100");
    return n;
  }
  if (spec.type == "quantity") {
    if (!is_quantity(text)) return bad("a Kubernetes quantity such as 100m, 0.5, 128Mi or 2Gi");
    return Json(text);
  }
  if (spec.type == "enum") {
    if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end())
      return bad("one of " + join(spec.choices, ", "));
    return Json(text);
  }
  if (spec.type == "path") {
    if (text.empty() || (text[0] == '/' && is_safe_text(text))) return Json(text);
    return bad("an absolute path such as /dev/stdout, or \"\" for none");
  }
  if (spec.type == "revision") {
    if (!is_dns_label(text)) return bad("a revision name: lower-case letters, digits and '-'");
    return Json(text);
  }
  if (!is_safe_text(text)) return bad("letters, digits and . _ / : -");
  return Json(text);
}

void flatten(const Json& node, const std::string& prefix,
             std::vector<std::pair<std::string, Json>>& out) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    return;
  }
  out.emplace_back(prefix, node);
}

Status assign(Values& values, const std::string& path, const Json& given,
              const std::string& where) {
  const ValueSpec* spec = find_spec(path);
  if (!spec) return unknown_key(path, where);
  KMESH_ASSIGN_OR_RETURN(values[path], typed_value(*spec, given, where));
  return {};
}

}  // namespace

const std::vector<ValueSpec>& value_specs() {
  static const std::vector<ValueSpec> specs = make_specs();
  return specs;
}

const std::vector<std::string>& profile_names() {
  static const std::vector<std::string> names = {"minimal", "default", "demo"};
  return names;
}

Result<Values> profile_values(const std::string& profile) {
  const EmbeddedFile* file = find_embedded("manifests/profiles/" + profile + ".yaml");
  if (!file ||
      std::find(profile_names().begin(), profile_names().end(), profile) == profile_names().end())
    return usage_error("unknown profile \"" + profile +
                       "\"; profiles: " + join(profile_names(), ", "));
  KMESH_ASSIGN_OR_RETURN(auto doc, yaml::parse_single(file->text, file->path));
  std::vector<std::pair<std::string, Json>> flat;
  flatten(doc.value, "", flat);
  Values values;
  for (auto& [path, value] : flat)
    values[path] = value;
  return values;
}

Status apply_values_file(Values& values, const std::string& text, const std::string& source) {
  KMESH_ASSIGN_OR_RETURN(auto doc, yaml::parse_single(text, source));
  if (doc.value.is_null()) return {};
  if (!doc.value.is_object()) return usage_error(source + ": a values file must be a YAML map");
  std::vector<std::pair<std::string, Json>> flat;
  flatten(doc.value, "", flat);
  for (const auto& [path, value] : flat)
    KMESH_TRY(assign(values, path, value, source + ": "));
  return {};
}

Status apply_set(Values& values, const std::string& assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    return usage_error("--set \"" + assignment +
                       "\": expected PATH=VALUE, e.g. --set pilot.replicaCount=2");
  std::string path = assignment.substr(0, eq);
  // --set values arrive as text; each key's type decides how it is read.
  return assign(values, path, Json(assignment.substr(eq + 1)), "--set ");
}

Status finish_values(Values& values) {
  std::string revision = values["revision"].get<std::string>();
  values["revisionSuffix"] = revision == "default" ? "" : "-" + revision;
  for (std::string c : {"pilot", "gateways.ingress", "gateways.egress"}) {
    long min = values[c + ".autoscaleMin"].get<long>();
    long max = values[c + ".autoscaleMax"].get<long>();
    if (min < 1 || min > max)
      return usage_error(c + ".autoscaleMin=" + std::to_string(min) + " and " + c +
                         ".autoscaleMax=" + std::to_string(max) + ": need 1 <= min <= max");
  }
  return {};
}

std::string value_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return yaml::format_number(value);
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();
}

}  // namespace kmesh::mesh
