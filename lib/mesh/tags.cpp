#include "lib/mesh/tags.hpp"

#include "lib/kube/apply.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kube/ops.hpp"
#include "lib/mesh/labels.hpp"
#include "lib/mesh/webhooks.hpp"

namespace kmesh::mesh {
namespace {

Result<kube::ResourceInfo> webhook_resource(kube::Discovery& discovery) {
  auto info =
      discovery.find_kind("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration");
  if (!info) return cluster_error("the server does not serve MutatingWebhookConfigurations");
  return *info;
}

Result<size_t> namespaces_using(kube::Client& client, kube::Discovery& discovery,
                                const std::string& tag) {
  auto info = discovery.find_kind("v1", "Namespace");
  if (!info) return size_t{0};
  KMESH_ASSIGN_OR_RETURN(auto found,
                         kube::list_objects(client, *info, "", "istio.io/rev=" + tag, true));
  return found.size();
}

bool is_valid_tag(const std::string& tag) {
  if (tag.empty() || tag.size() > 40) return false;
  for (char c : tag)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return tag.front() != '-' && tag.back() != '-';
}

}  // namespace

Status set_tag(kube::Client& client, kube::Discovery& discovery, const std::string& tag,
               const std::string& revision, bool overwrite, const std::string& istio_namespace) {
  if (!is_valid_tag(tag))
    return usage_error("tag \"" + tag + "\": use lower-case letters, digits and '-'");
  KMESH_ASSIGN_OR_RETURN(auto hooks, webhook_resource(discovery));
  auto dep = discovery.find_kind("apps/v1", "Deployment");
  std::string istiod = revision == "default" ? "istiod" : "istiod-" + revision;
  KMESH_ASSIGN_OR_RETURN(auto control_plane,
                         kube::get_object(client, *dep, istio_namespace, istiod));
  if (!control_plane)
    return usage_error("revision \"" + revision + "\" is not installed (no deployment/" + istiod +
                       " in " + istio_namespace + "); install it first");
  KMESH_ASSIGN_OR_RETURN(auto existing,
                         kube::get_object(client, hooks, "", "istio-revision-tag-" + tag));
  if (existing) {
    std::string current = kube::label_of(*existing, "istio.io/rev");
    if (current != revision && !overwrite)
      return usage_error("tag \"" + tag + "\" points at revision \"" + current +
                         "\"; pass --overwrite to move it to \"" + revision + "\"");
  }
  Json webhook = tag_webhook(tag, revision, istio_namespace);
  Json& labels = webhook["metadata"]["labels"];
  labels[kManagedByLabel] = kManagedByValue;
  labels[kComponentLabel] = "tag";
  labels[kRevisionLabel] = revision;
  labels[kVersionLabel] = KMESH_ISTIO_VERSION;
  kube::Applier applier(client, discovery);
  kube::ApplyOptions options;
  options.field_manager = kInstallFieldManager;
  options.force_conflicts = true;  // moving a tag rewrites its selectors, which we own anyway
  KMESH_ASSIGN_OR_RETURN(auto items, applier.prepare({{webhook, "tag", 0}}, options));
  auto report = applier.apply(std::move(items), options);
  if (!report.ok()) return cluster_error(report.items.front().error);
  return {};
}

Result<std::vector<RevisionTag>> list_tags(kube::Client& client, kube::Discovery& discovery) {
  KMESH_ASSIGN_OR_RETURN(auto hooks, webhook_resource(discovery));
  KMESH_ASSIGN_OR_RETURN(auto found, kube::list_objects(client, hooks, "", "istio.io/tag", true));
  std::vector<RevisionTag> tags;
  for (const auto& h : found) {
    RevisionTag t{kube::label_of(h, "istio.io/tag"), kube::label_of(h, "istio.io/rev"), 0};
    KMESH_ASSIGN_OR_RETURN(t.namespaces, namespaces_using(client, discovery, t.tag));
    tags.push_back(std::move(t));
  }
  return tags;
}

Status remove_tag(kube::Client& client, kube::Discovery& discovery, const std::string& tag,
                  bool force) {
  KMESH_ASSIGN_OR_RETURN(auto hooks, webhook_resource(discovery));
  KMESH_ASSIGN_OR_RETURN(auto existing,
                         kube::get_object(client, hooks, "", "istio-revision-tag-" + tag));
  if (!existing)
    return usage_error("tag \"" + tag + "\" does not exist (see 'kubectl mesh tag list')");
  KMESH_ASSIGN_OR_RETURN(size_t users, namespaces_using(client, discovery, tag));
  if (users && !force)
    return usage_error(std::to_string(users) + " namespaces are labelled istio.io/rev=" + tag +
                       ": their new Pods would get no sidecar; relabel them first or pass --force");
  return kube::delete_objects(client, {{hooks, "", "istio-revision-tag-" + tag}}, false,
                              std::chrono::seconds(30));
}

}  // namespace kmesh::mesh
