#include "lib/mesh/uninstall.hpp"

#include <algorithm>

#include "lib/core/strings.hpp"
#include "lib/kube/apply.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/installer.hpp"
#include "lib/mesh/labels.hpp"

namespace kmesh::mesh {
namespace {

// Webhooks go first so nothing calls into a control plane that is going away; the
// namespace goes last.
int deletion_rank(const std::string& kind) {
  if (kind == "MutatingWebhookConfiguration" || kind == "ValidatingWebhookConfiguration") return 0;
  if (kind == "Namespace") return 3;
  if (kind == "CustomResourceDefinition") return 2;
  return 1;
}

std::string managed() {
  return std::string(kManagedByLabel) + "=" + kManagedByValue;
}

Result<size_t> count_labelled(kube::Client& client, kube::Discovery& discovery,
                              const std::string& api_version, const std::string& kind,
                              const std::string& selector) {
  auto info = discovery.find_kind(api_version, kind);
  if (!info) return size_t{0};
  KMESH_ASSIGN_OR_RETURN(auto found, kube::list_objects(client, *info, "", selector, true));
  return found.size();
}

// Secrets other than service-account tokens are the user's (a plug-in CA's cacerts, say):
// a namespace holding one is not ours to delete.
Result<bool> holds_user_secrets(kube::Client& client, kube::Discovery& discovery,
                                const std::string& ns) {
  auto info = discovery.find_kind("v1", "Secret");
  if (!info) return false;
  KMESH_ASSIGN_OR_RETURN(auto secrets, kube::list_objects(client, *info, ns, ""));
  for (const auto& s : secrets)
    if (s.value("type", "") != "kubernetes.io/service-account-token") return true;
  return false;
}

Result<size_t> count_custom_resources(kube::Client& client, kube::Discovery& discovery,
                                      const std::vector<kube::ObjectRef>& crds) {
  size_t total = 0;
  for (const auto& crd : crds) {
    auto info = discovery.find_name(crd.name);  // a CRD's name is "<plural>.<group>"
    if (!info) continue;
    KMESH_ASSIGN_OR_RETURN(auto items, kube::list_objects(client, *info, "", "", true));
    total += items.size();
  }
  return total;
}

}  // namespace

Result<UninstallPlan> plan_uninstall(kube::Client& client, kube::Discovery& discovery,
                                     const UninstallRequest& request) {
  UninstallPlan plan;
  std::string this_revision = managed() + "," + kRevisionLabel + "=" + request.revision;
  std::string other_revisions =
      managed() + "," + kRevisionLabel + "," + kRevisionLabel + "!=" + request.revision;
  KMESH_ASSIGN_OR_RETURN(size_t others,
                         count_labelled(client, discovery, "apps/v1", "Deployment",
                                        other_revisions + "," + kComponentLabel + "=istiod"));
  plan.last_revision = others == 0;
  KMESH_ASSIGN_OR_RETURN(plan.keep_namespace,
                         holds_user_secrets(client, discovery, request.istio_namespace));

  for (const auto& [api_version, kind] : installable_kinds()) {
    auto info = discovery.find_kind(api_version, kind);
    if (!info) continue;
    std::string ns = info->namespaced ? request.istio_namespace : "";
    KMESH_ASSIGN_OR_RETURN(auto mine, kube::list_objects(client, *info, ns, this_revision, true));
    for (const auto& o : mine)
      plan.objects.push_back({*info, kube::namespace_of(o), kube::name_of(o)});
    if (!plan.last_revision) continue;
    std::string shared = managed() + ",!" + kRevisionLabel;
    KMESH_ASSIGN_OR_RETURN(auto common, kube::list_objects(client, *info, ns, shared, true));
    for (const auto& o : common) {
      kube::ObjectRef ref{*info, kube::namespace_of(o), kube::name_of(o)};
      if (kind == "CustomResourceDefinition")
        plan.crds.push_back(ref);
      else if (kind == "Namespace" && plan.keep_namespace)
        continue;
      else
        plan.objects.push_back(ref);
    }
  }
  std::stable_sort(plan.objects.begin(), plan.objects.end(), [](const auto& a, const auto& b) {
    return deletion_rank(a.resource.kind) < deletion_rank(b.resource.kind);
  });
  if (request.purge && !plan.crds.empty()) {
    KMESH_ASSIGN_OR_RETURN(plan.custom_resources,
                           count_custom_resources(client, discovery, plan.crds));
    if (plan.custom_resources)
      plan.warnings.push_back(
          std::to_string(plan.custom_resources) +
          " Istio custom resources (VirtualServices, DestinationRules, ...) still exist and"
          " are deleted with their CRDs");
  }
  std::string injection = request.revision == "default" ? "istio-injection=enabled"
                                                        : "istio.io/rev=" + request.revision;
  KMESH_ASSIGN_OR_RETURN(size_t labelled,
                         count_labelled(client, discovery, "v1", "Namespace", injection));
  if (labelled)
    plan.warnings.push_back(std::to_string(labelled) + " namespaces are still labelled " +
                            injection +
                            ": new Pods there will fail to be created while no injector serves them"
                            " (kubectl mesh inject disable NAMESPACE)");
  KMESH_ASSIGN_OR_RETURN(size_t sidecars, count_labelled(client, discovery, "v1", "Pod",
                                                         "security.istio.io/tlsMode=istio"));
  if (sidecars)
    plan.warnings.push_back(
        std::to_string(sidecars) +
        " Pods still carry Envoy sidecars; restart their workloads to remove them");
  if (plan.keep_namespace && plan.last_revision)
    plan.warnings.push_back(
        "namespace " + request.istio_namespace +
        " is kept: it holds Secrets kubectl-mesh did not make (e.g. a plug-in CA)");
  return plan;
}

Status run_uninstall(kube::Client& client, kube::Discovery& discovery, const UninstallPlan& plan,
                     const UninstallRequest& request, std::chrono::milliseconds timeout) {
  // Delete rank by rank, so the webhooks are gone before the workloads they call.
  for (int rank = 0; rank <= 3; ++rank) {
    std::vector<kube::ObjectRef> batch;
    for (const auto& o : plan.objects)
      if (deletion_rank(o.resource.kind) == rank) batch.push_back(o);
    if (rank == 2 && request.purge) batch.insert(batch.end(), plan.crds.begin(), plan.crds.end());
    KMESH_TRY(kube::delete_objects(client, batch, false, timeout));
  }
  if (plan.keep_namespace && plan.last_revision) {
    // Applying an empty configuration as the install's manager gives up its labels.
    kube::Applier applier(client, discovery);
    kube::ApplyOptions options;
    options.field_manager = kInstallFieldManager;
    std::vector<Document> docs = {{Json{{"apiVersion", "v1"},
                                        {"kind", "Namespace"},
                                        {"metadata", {{"name", request.istio_namespace}}}},
                                   "uninstall", 0}};
    KMESH_ASSIGN_OR_RETURN(auto items, applier.prepare(std::move(docs), options));
    auto report = applier.apply(std::move(items), options);
    if (!report.ok())
      return cluster_error("removing the install labels from namespace " + request.istio_namespace +
                           ": " + report.items.front().error);
  }
  return {};
}

}  // namespace kmesh::mesh
