#include "lib/mesh/installer.hpp"

#include <map>
#include <set>

#include "lib/core/interrupt.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/labels.hpp"
#include "lib/mesh/lock.hpp"
#include "lib/mesh/readiness.hpp"

namespace kmesh::mesh {
namespace {

// How long the install lock lasts without renewal: a holder that dies blocks others at most
// this long (less on the same host, see InstallLock).
constexpr std::chrono::seconds kLockHold{60};

std::string istio_namespace(const InstallPlan& plan) {
  return plan.values.at("istioNamespace").get<std::string>();
}

std::string identity(const std::string& api_version, const std::string& kind, const std::string& ns,
                     const std::string& name) {
  return kube::group_of(api_version) + "/" + kind + "/" + ns + "/" + name;
}

// Copies into the webhook objects what istiod owns once it runs, from the live objects.
Status adopt_live_fields(kube::Client& client, kube::Discovery& discovery,
                         std::vector<Json>& objects) {
  for (auto& obj : objects) {
    std::string kind = kube::kind_of(obj);
    if (kind != "ValidatingWebhookConfiguration" && kind != "MutatingWebhookConfiguration")
      continue;
    auto info = discovery.find_kind(kube::api_version_of(obj), kind);
    if (!info) continue;
    KMESH_ASSIGN_OR_RETURN(auto live, kube::get_object(client, *info, "", kube::name_of(obj)));
    if (live) adopt_taken_over_fields(obj, *live);
  }
  return {};
}

std::string stage_summary(Stage stage, const std::vector<kube::ApplyItem>& items) {
  size_t created = 0, changed = 0, unchanged = 0;
  for (const auto& i : items) {
    if (i.outcome == kube::Outcome::kUnchanged)
      ++unchanged;
    else if (i.outcome == kube::Outcome::kApplied)
      (i.created ? created : changed)++;
  }
  std::vector<std::string> parts;
  if (created) parts.push_back(std::to_string(created) + " created");
  if (changed) parts.push_back(std::to_string(changed) + " changed");
  if (unchanged) parts.push_back(std::to_string(unchanged) + " unchanged");
  return std::string(stage_name(stage)) + ": " + join(parts, ", ");
}

// Says where an install stopped, what it had done, and what it had not.
Error stopped_at(Stage stage, const kube::ApplyReport& report,
                 const std::vector<kube::ApplyItem>& done, size_t not_applied) {
  std::vector<std::string> errors;
  for (const auto& i : report.items)
    if (!i.error.empty()) errors.push_back(i.error);
  return cluster_error("install stopped at stage \"" + std::string(stage_name(stage)) + "\":\n  " +
                       join(errors, "\n  ") + "\napplied before: " + std::to_string(done.size()) +
                       " objects; in this stage: " + report.summary() +
                       "; later stages not applied: " + std::to_string(not_applied) +
                       " objects. Running the same install again continues from here.");
}

}  // namespace

size_t InstallReport::created() const {
  size_t n = 0;
  for (const auto& i : items)
    n += i.outcome == kube::Outcome::kApplied && i.created;
  return n;
}
size_t InstallReport::changed() const {
  size_t n = 0;
  for (const auto& i : items)
    n += i.outcome == kube::Outcome::kApplied && !i.created;
  return n;
}
size_t InstallReport::unchanged() const {
  size_t n = 0;
  for (const auto& i : items)
    n += i.outcome == kube::Outcome::kUnchanged;
  return n;
}

std::vector<std::pair<std::string, std::string>> installable_kinds() {
  return {{"v1", "Namespace"},
          {"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
          {"v1", "ServiceAccount"},
          {"rbac.authorization.k8s.io/v1", "ClusterRole"},
          {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
          {"rbac.authorization.k8s.io/v1", "Role"},
          {"rbac.authorization.k8s.io/v1", "RoleBinding"},
          {"v1", "ConfigMap"},
          {"apps/v1", "Deployment"},
          {"v1", "Service"},
          {"policy/v1", "PodDisruptionBudget"},
          {"autoscaling/v2", "HorizontalPodAutoscaler"},
          {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
          {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"}};
}

Result<std::vector<Permission>> needed_permissions(kube::Discovery& discovery,
                                                   const InstallPlan& plan) {
  std::set<std::tuple<std::string, std::string, std::string>> resources;
  for (const auto& [api_version, kind] : installable_kinds()) {
    auto info = discovery.find_kind(api_version, kind);
    if (!info)
      return cluster_error("precheck: the server does not serve " + kind + " (" + api_version +
                           ")");
    resources.insert({info->group, info->resource, info->namespaced ? istio_namespace(plan) : ""});
  }
  std::vector<Permission> out;
  for (const auto& [group, resource, ns] : resources) {
    for (const char* verb : {"get", "list", "create", "patch", "delete"})
      out.push_back({group, resource, verb, ns});
    if (resource == "clusterroles" || resource == "roles")
      for (const char* verb : {"bind", "escalate"})
        out.push_back({group, resource, verb, ns});
  }
  return out;
}

Status precheck(kube::Client& client, kube::Discovery& discovery, const InstallPlan& plan) {
  KMESH_TRY(check_server_version(client));
  KMESH_ASSIGN_OR_RETURN(auto wanted, needed_permissions(discovery, plan));
  KMESH_ASSIGN_OR_RETURN(auto denied, denied_permissions(client, wanted));
  if (denied.empty()) return {};
  // One line per resource, its missing verbs together.
  std::vector<std::string> lines;
  std::map<std::string, std::vector<std::string>> verbs_by_resource;
  std::vector<std::string> order;
  for (const auto& p : denied) {
    Permission any = p;
    any.verb = "";
    std::string key = any.describe().substr(1);
    if (!verbs_by_resource.count(key)) order.push_back(key);
    verbs_by_resource[key].push_back(p.verb);
  }
  for (const auto& key : order)
    lines.push_back("  " + join(verbs_by_resource[key], ", ") + " " + key);
  return cluster_error("precheck: kubeconfig user \"" + client.config().user_name +
                       "\" may not do what the install needs:\n" + join(lines, "\n") +
                       "\nask for these permissions (cluster-admin has them); nothing was changed");
}

Result<std::vector<kube::ObjectRef>> stale_objects(kube::Client& client, kube::Discovery& discovery,
                                                   const InstallPlan& plan) {
  std::set<std::string> planned;
  for (const auto& p : plan.objects)
    planned.insert(identity(kube::api_version_of(p.object), kube::kind_of(p.object),
                            kube::namespace_of(p.object), kube::name_of(p.object)));
  std::string selector = std::string(kManagedByLabel) + "=" + kManagedByValue + "," +
                         kRevisionLabel + "=" + plan.revision + "," + kComponentLabel + "!=tag";
  std::vector<kube::ObjectRef> stale;
  for (const auto& [api_version, kind] : installable_kinds()) {
    auto info = discovery.find_kind(api_version, kind);
    if (!info) continue;
    std::string ns = info->namespaced ? istio_namespace(plan) : "";
    KMESH_ASSIGN_OR_RETURN(auto found, kube::list_objects(client, *info, ns, selector, true));
    for (const auto& o : found)
      if (!planned.count(identity(api_version, kind, kube::namespace_of(o), kube::name_of(o))))
        stale.push_back({*info, kube::namespace_of(o), kube::name_of(o)});
  }
  return stale;
}

Result<InstallReport> install(kube::Client& client, kube::Discovery& discovery, InstallPlan plan,
                              const InstallOptions& options) {
  InstallReport report;
  kube::ApplyOptions apply_options;
  apply_options.field_manager = kInstallFieldManager;
  apply_options.dry_run = options.dry_run;
  apply_options.establish_timeout = options.timeout;
  kube::Applier applier(client, discovery);
  std::string ns = istio_namespace(plan);

  // The namespace first: the lock lives in it.
  std::vector<Stage> stages = {Stage::kNamespace, Stage::kCrds,      Stage::kRbac,
                               Stage::kConfig,    Stage::kWorkloads, Stage::kWebhooks};
  std::optional<InstallLock> lock;
  for (Stage stage : stages) {
    std::vector<Json> objects;
    for (const auto& p : plan.objects)
      if (p.stage == stage) objects.push_back(p.object);
    if (objects.empty()) continue;
    if (interrupted())
      return cluster_error("interrupted before stage \"" + std::string(stage_name(stage)) + "\"; " +
                           std::to_string(report.items.size()) + " objects were applied");
    if (lock) lock->renew();
    if (stage == Stage::kWebhooks) KMESH_TRY(adopt_live_fields(client, discovery, objects));
    std::vector<Document> docs;
    for (auto& o : objects)
      docs.push_back({std::move(o), "install plan", 0});
    KMESH_ASSIGN_OR_RETURN(auto items, applier.prepare(std::move(docs), apply_options));
    auto stage_report = applier.apply(std::move(items), apply_options);
    if (!stage_report.ok()) {
      size_t later = 0;
      for (const auto& p : plan.objects)
        later += p.stage > stage;
      return stopped_at(stage, stage_report, report.items, later);
    }
    options.progress("✔ " + stage_summary(stage, stage_report.items));
    for (auto& i : stage_report.items)
      report.items.push_back(std::move(i));
    if (stage == Stage::kNamespace && options.dry_run == kube::DryRun::kNone) {
      lock.emplace(client, ns);
      KMESH_TRY(lock->acquire(options.timeout, kLockHold, options.progress));
    }
  }
  if (options.dry_run == kube::DryRun::kNone) {
    KMESH_ASSIGN_OR_RETURN(auto stale, stale_objects(client, discovery, plan));
    KMESH_TRY(kube::delete_objects(client, stale, false, options.timeout));
    for (const auto& s : stale)
      report.pruned.push_back(s.display());
    if (!stale.empty())
      options.progress("✔ pruned " + std::to_string(stale.size()) +
                       " objects the plan no longer has");
  }
  if (options.wait && options.dry_run == kube::DryRun::kNone)
    KMESH_TRY(wait_for_deployments(client, discovery, plan_deployments(plan), options.timeout,
                                   {options.progress, options.status}, [&lock] {
                                     if (lock) lock->renew();
                                   }));
  if (lock) lock->release();
  return report;
}

}  // namespace kmesh::mesh
