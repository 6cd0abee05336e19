#include "lib/kube/discovery.hpp"

#include "lib/core/strings.hpp"
#include "lib/kube/client.hpp"

namespace kmesh::kube {
namespace {

constexpr const char* kAggregatedAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

std::vector<std::string> strings_of(const Json& obj, const char* key) {
  std::vector<std::string> out;
  if (obj.contains(key) && obj[key].is_array())
    for (const auto& s : obj[key])
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

void add_groups(const Json& list, ApiResources& out) {
  if (!list.contains("items")) return;
  for (const auto& group : list["items"]) {
    std::string name = group.contains("metadata") ? group["metadata"].value("name", "") : "";
    bool first = true;
    for (const auto& v : group.value("versions", Json::array())) {
      std::string version = v.value("version", "");
      if (first) out.preferred_version[name] = version;
      first = false;
      for (const auto& r : v.value("resources", Json::array())) {
        ResourceInfo info;
        info.group = name;
        info.version = version;
        info.resource = r.value("resource", "");
        info.singular = r.value("singularResource", "");
        info.namespaced = r.value("scope", "Namespaced") == "Namespaced";
        if (r.contains("responseKind")) info.kind = r["responseKind"].value("kind", "");
        info.short_names = strings_of(r, "shortNames");
        info.verbs = strings_of(r, "verbs");
        if (info.singular.empty()) info.singular = to_lower(info.kind);
        out.resources.push_back(std::move(info));
      }
    }
  }
}

bool is_aggregated(const Json& j) {
  return j.is_object() && j.value("kind", "") == "APIGroupDiscoveryList";
}

}  // namespace

std::string ResourceInfo::type_name() const {
  std::string name = singular.empty() ? to_lower(kind) : singular;
  return group.empty() ? name : name + "." + group;
}

Result<ApiResources> parse_aggregated_discovery(const Json& api, const Json& apis) {
  if (!is_aggregated(api) || !is_aggregated(apis))
    return cluster_error("the server does not answer aggregated discovery");
  ApiResources out;
  add_groups(api, out);
  add_groups(apis, out);
  return out;
}

std::vector<ResourceInfo> parse_resource_list(const Json& list) {
  std::vector<ResourceInfo> out;
  std::string gv = list.value("groupVersion", "");
  std::string group, version = gv;
  if (auto slash = gv.find('/'); slash != std::string::npos) {
    group = gv.substr(0, slash);
    version = gv.substr(slash + 1);
  }
  for (const auto& r : list.value("resources", Json::array())) {
    std::string name = r.value("name", "");
    if (name.find('/') != std::string::npos) continue;  // subresources
    ResourceInfo info{group,
                      version,
                      r.value("kind", ""),
                      name,
                      r.value("singularName", ""),
                      r.value("namespaced", true),
                      strings_of(r, "shortNames"),
                      strings_of(r, "verbs")};
    if (info.singular.empty()) info.singular = to_lower(info.kind);
    out.push_back(std::move(info));
  }
  return out;
}

ApiResources parse_legacy_discovery(const Json& group_list,
                                    const std::vector<Json>& resource_lists) {
  ApiResources data;
  data.preferred_version[""] = "v1";
  for (const auto& g : group_list.value("groups", Json::array()))
    if (g.contains("preferredVersion"))
      data.preferred_version[g.value("name", "")] = g["preferredVersion"].value("version", "");
  for (const auto& list : resource_lists) {
    if (list.is_discarded()) continue;  // an answer that is not JSON
    auto found = parse_resource_list(list);
    data.resources.insert(data.resources.end(), found.begin(), found.end());
  }
  return data;
}

Status Discovery::load(bool refresh) {
  if (loaded_ && !refresh) return {};
  if (!client_) return {};  // given data: there is no server to read again
  HttpRequest api, apis;
  api.path = "/api";
  apis.path = "/apis";
  api.headers = apis.headers = {{"Accept", kAggregatedAccept}};
  auto responses = client_->send(std::vector<HttpRequest>{api, apis});
  for (size_t i = 0; i < 2; ++i)
    if (!responses[i].ok()) return client_->error(responses[i], "discovering the server's APIs");
  Json a = Json::parse(responses[0].body, nullptr, false);
  Json b = Json::parse(responses[1].body, nullptr, false);
  if (!is_aggregated(a) || !is_aggregated(b)) return load_legacy();
  KMESH_ASSIGN_OR_RETURN(data_, parse_aggregated_discovery(a, b));
  loaded_ = true;
  return {};
}

// Servers before Kubernetes 1.26 answer only the per-group-version documents.
Status Discovery::load_legacy() {
  KMESH_ASSIGN_OR_RETURN(auto groups, client_->get_json("/apis", "discovering API groups"));
  std::vector<HttpRequest> requests;
  HttpRequest core;
  core.path = "/api/v1";
  requests.push_back(core);
  for (const auto& g : groups.value("groups", Json::array()))
    for (const auto& v : g.value("versions", Json::array())) {
      HttpRequest r;
      r.path = "/apis/" + v.value("groupVersion", "");
      requests.push_back(r);
    }
  auto responses = client_->send(requests);
  std::vector<Json> lists;
  for (size_t i = 0; i < responses.size(); ++i) {
    if (!responses[i].ok()) return client_->error(responses[i], "discovering " + requests[i].path);
    lists.push_back(Json::parse(responses[i].body, nullptr, false));
  }
  data_ = parse_legacy_discovery(groups, lists);
  loaded_ = true;
  return {};
}

std::optional<ResourceInfo> Discovery::find_kind(const std::string& api_version,
                                                 const std::string& kind) {
  for (const auto& r : data_.resources)
    if (r.kind == kind && r.api_version() == api_version) return r;
  return std::nullopt;
}

std::optional<ResourceInfo> Discovery::find_preferred(const std::string& group,
                                                      const std::string& kind) {
  auto it = data_.preferred_version.find(group);
  if (it != data_.preferred_version.end())
    if (auto r = find_kind(group.empty() ? it->second : group + "/" + it->second, kind)) return r;
  for (const auto& r : data_.resources)
    if (r.group == group && r.kind == kind) return r;
  return std::nullopt;
}

std::optional<ResourceInfo> Discovery::find_name(const std::string& name) {
  std::string lower = to_lower(name), base = lower, group;
  if (auto dot = lower.find('.'); dot != std::string::npos) {
    base = lower.substr(0, dot);
    group = lower.substr(dot + 1);
  }
  std::optional<ResourceInfo> best;
  for (const auto& r : data_.resources) {
    if (!group.empty() && r.group != group) continue;
    bool match = r.resource == base || r.singular == base || to_lower(r.kind) == base;
    for (const auto& s : r.short_names)
      match |= s == base;
    if (!match) continue;
    // kubectl's priority: the first group discovery lists (core first) wins a name two groups
    // serve ("events", "gateways"); within that group, its preferred version.
    if (!best) {
      best = r;
      continue;
    }
    auto pv = data_.preferred_version.find(r.group);
    if (r.group == best->group && pv != data_.preferred_version.end() && pv->second == r.version)
      best = r;
  }
  return best;
}

bool Discovery::serves_group(const std::string& group) {
  return data_.preferred_version.count(group) > 0;
}

}  // namespace kmesh::kube
