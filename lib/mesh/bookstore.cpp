#include "lib/mesh/bookstore.hpp"

#include <algorithm>
#include <functional>

#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/mesh/jwks.hpp"

namespace kmesh::mesh {
namespace {

bool is_dns_label(const std::string& v) {
  if (v.empty() || v.size() > 63 || v.front() == '-' || v.back() == '-') return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_tag(const std::string& v) {
  return !v.empty() && v.size() <= 128 && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::pair<std::string, std::string> split_canary(const std::string& canary) {
  size_t eq = canary.find('=');
  if (eq == std::string::npos) return {canary, ""};
  return {canary.substr(0, eq), canary.substr(eq + 1)};
}

// The overlay directory of a profile in the embedded templates or a user's copy (the copy
// may be the kustomize-templates/ root or its bookstore/ directory).
Result<std::string> overlay_dir(const BookstoreOptions& o, const kustomize::FileSource& files) {
  if (o.templates_dir.empty()) return "kustomize-templates/bookstore/overlays/" + o.profile;
  for (const std::string& candidate : {o.templates_dir + "/bookstore/overlays/" + o.profile,
                                       o.templates_dir + "/overlays/" + o.profile})
    if (files.is_dir(candidate)) return candidate;
  return usage_error("--templates " + o.templates_dir + ": no overlays/" + o.profile +
                     " (or bookstore/overlays/" + o.profile + ") directory in it");
}

std::string replace_image_tag(const std::string& image, const std::string& tag) {
  size_t slash = image.rfind('/'), colon = image.rfind(':'), at = image.find('@');
  std::string repo = image;
  if (at != std::string::npos)
    repo = image.substr(0, at);
  else if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    repo = image.substr(0, colon);
  return repo + ":" + tag;
}

void for_each_container(Json& deployment, const std::function<void(Json&)>& fn) {
  Json& spec = deployment["spec"]["template"]["spec"];
  for (const char* list : {"containers", "initContainers"})
    if (spec.contains(list))
      for (auto& c : spec[list])
        fn(c);
}

void rename_in_list(Json& list, const std::string& from, const std::string& to) {
  if (!list.is_array()) return;
  for (auto& v : list)
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      if (s == from)
        v = to;
      else if (auto at = s.find("/ns/" + from + "/"); at != std::string::npos)
        v = s.substr(0, at) + "/ns/" + to + "/" + s.substr(at + from.size() + 5);
    }
}

}  // namespace

const std::vector<std::string>& bookstore_services() {
  static const std::vector<std::string> services = {"frontend", "account", "authentication",
                                                    "payment", "warehouse"};
  return services;
}

std::string bookstore_namespace(const BookstoreOptions& o) {
  return o.ns.empty() ? kBookstoreNamespace : o.ns;
}

const std::vector<std::string>& bookstore_profile_names() {
  static const std::vector<std::string> names = {"mesh", "dev"};
  return names;
}

Status validate_bookstore_options(const BookstoreOptions& o) {
  const auto& profiles = bookstore_profile_names();
  if (std::find(profiles.begin(), profiles.end(), o.profile) == profiles.end())
    return usage_error("--profile \"" + o.profile +
                       "\": expected mesh (with sidecars) or dev (without)");
  if (!o.ns.empty() && !is_dns_label(o.ns))
    return usage_error("-n \"" + o.ns +
                       "\": a namespace name is lower-case letters, digits and '-'");
  if (!o.image_tag.empty() && !is_tag(o.image_tag))
    return usage_error("--image-tag \"" + o.image_tag +
                       "\": expected an image tag such as 1.0 or latest");
  if (o.replicas && (*o.replicas < 0 || *o.replicas > 100))
    return usage_error("--replicas " + std::to_string(*o.replicas) + ": expected 0 to 100");
  if ((!o.jwks_files.empty() || !o.jwt_issuer.empty()) && o.profile != "mesh")
    return usage_error(
        "--jwks-from and --jwt-issuer set the mesh profile's RequestAuthentication; the " +
        o.profile + " profile has none");
  if (!o.jwt_issuer.empty() && trim(o.jwt_issuer) != o.jwt_issuer)
    return usage_error("--jwt-issuer \"" + o.jwt_issuer +
                       "\": leading or trailing spaces never match a token's iss");
  if (!o.canary.empty()) {
    auto [service, tag] = split_canary(o.canary);
    const auto& all = bookstore_services();
    if (std::find(all.begin(), all.end(), service) == all.end())
      return usage_error("--canary \"" + service + "\": the services are " + join(all, ", "));
    if (o.canary.find('=') != std::string::npos && !is_tag(tag))
      return usage_error("--canary " + o.canary + ": expected SERVICE or SERVICE=TAG");
  }
  return {};
}

Result<std::vector<Json>> render_bookstore(const BookstoreOptions& o) {
  KMESH_TRY(validate_bookstore_options(o));
  std::unique_ptr<kustomize::FileSource> files;
  if (o.templates_dir.empty())
    files = std::make_unique<kustomize::EmbeddedFileSource>("kustomize-templates/");
  else
    files = std::make_unique<kustomize::DiskFileSource>();
  KMESH_ASSIGN_OR_RETURN(auto dir, overlay_dir(o, *files));
  KMESH_ASSIGN_OR_RETURN(auto objects, kustomize::build(dir, *files));
  if (!o.ns.empty() && o.ns != kBookstoreNamespace)
    move_namespace(objects, kBookstoreNamespace, o.ns);
  for (auto& obj : objects) {
    if (kube::kind_of(obj) != "Deployment") continue;
    if (!o.image_tag.empty())
      for_each_container(
          obj, [&](Json& c) { c["image"] = replace_image_tag(c.value("image", ""), o.image_tag); });
    if (o.replicas) obj["spec"]["replicas"] = *o.replicas;
  }
  if (!o.canary.empty()) {
    auto [service, tag] = split_canary(o.canary);
    KMESH_TRY(add_canary(objects, service, tag.empty() ? o.image_tag : tag));
  }
  if (!o.jwks_files.empty() || !o.jwt_issuer.empty())
    KMESH_TRY(set_jwt_rule(objects, o.jwks_files, o.jwt_issuer));
  for (auto& obj : objects)
    obj["metadata"]["labels"][kBookstoreLabel] = "bookstore";
  return objects;
}

void move_namespace(std::vector<Json>& objects, const std::string& from, const std::string& to) {
  for (auto& obj : objects) {
    Json& meta = obj["metadata"];
    std::string kind = kube::kind_of(obj);
    if (kind == "Namespace" && kube::name_of(obj) == from) {
      meta["name"] = to;
      if (meta.contains("labels") && meta["labels"].contains("kubernetes.io/metadata.name"))
        meta["labels"]["kubernetes.io/metadata.name"] = to;
    }
    if (meta.value("namespace", "") == from) meta["namespace"] = to;
    if ((kind == "RoleBinding" || kind == "ClusterRoleBinding") && obj.contains("subjects"))
      for (auto& s : obj["subjects"])
        if (s.value("namespace", "") == from) s["namespace"] = to;
    if (kind == "AuthorizationPolicy" && obj.contains("spec") && obj["spec"].contains("rules")) {
      for (auto& rule : obj["spec"]["rules"]) {
        if (!rule.contains("from")) continue;
        for (auto& entry : rule["from"]) {
          if (!entry.contains("source")) continue;
          for (const char* field : {"namespaces", "notNamespaces", "principals", "notPrincipals"})
            if (entry["source"].contains(field)) rename_in_list(entry["source"][field], from, to);
        }
      }
    }
  }
}

Status add_canary(std::vector<Json>& objects, const std::string& service, const std::string& tag) {
  auto is_service_deployment = [&](const Json& o) {
    return kube::kind_of(o) == "Deployment" &&
           o["spec"]["template"]["metadata"]["labels"].value("app", "") == service;
  };
  auto v1 = std::find_if(objects.begin(), objects.end(), is_service_deployment);
  if (v1 == objects.end())
    return usage_error("--canary " + service + ": the rendered objects have no Deployment for it");
  Json v2 = *v1;
  v2["metadata"]["name"] = kube::name_of(*v1) + "-v2";
  for (Json* labels : {&v2["metadata"]["labels"], &v2["spec"]["selector"]["matchLabels"],
                       &v2["spec"]["template"]["metadata"]["labels"]})
    (*labels)["version"] = "v2";
  if (!tag.empty())
    for_each_container(v2,
                       [&](Json& c) { c["image"] = replace_image_tag(c.value("image", ""), tag); });
  objects.insert(std::next(v1), std::move(v2));
  for (auto& o : objects) {
    if (kube::kind_of(o) != "DestinationRule" || o["spec"].value("host", "") != service) continue;
    Json& subsets = o["spec"]["subsets"];
    if (!subsets.is_array()) subsets = Json::array();
    bool present = std::any_of(subsets.begin(), subsets.end(),
                               [](const Json& s) { return s.value("name", "") == "v2"; });
    if (!present) subsets.push_back({{"name", "v2"}, {"labels", {{"version", "v2"}}}});
  }
  return {};
}

Status set_jwt_rule(std::vector<Json>& objects, const std::vector<std::string>& jwks_files,
                    const std::string& issuer) {
  auto ra = std::find_if(objects.begin(), objects.end(),
                         [](const Json& o) { return kube::kind_of(o) == "RequestAuthentication"; });
  if (ra == objects.end() || !(*ra)["spec"]["jwtRules"].is_array() ||
      (*ra)["spec"]["jwtRules"].empty())
    return usage_error(
        "--jwks-from/--jwt-issuer: the rendered objects have no RequestAuthentication with a "
        "jwtRule");
  Json& rule = (*ra)["spec"]["jwtRules"][0];
  if (!jwks_files.empty()) {
    auto jwks = build_jwks(jwks_files, {}, "");
    if (!jwks.ok()) return std::move(jwks).error().wrap("--jwks-from");
    rule.erase("jwksUri");
    rule["jwks"] = jwks_text(*jwks);
  }
  if (!issuer.empty()) rule["issuer"] = issuer;
  return {};
}

std::string object_file_name(const Json& o) {
  std::string group = kube::group_of(kube::api_version_of(o));
  std::string ns = kube::namespace_of(o);
  return to_lower((group.empty() ? "core" : group) + "_" + kube::kind_of(o) + "_" +
                  (ns.empty() ? "cluster" : ns) + "_" + kube::name_of(o)) +
         ".yaml";
}

}  // namespace kmesh::mesh
