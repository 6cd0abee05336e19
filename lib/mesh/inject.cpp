#include "lib/mesh/inject.hpp"

#include <set>

#include "lib/core/strings.hpp"
#include "lib/core/time.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kube/ops.hpp"
#include "lib/kube/paths.hpp"

namespace kmesh::mesh {
namespace {

// Beyond this many namespaces one cluster-wide LIST per kind is cheaper than one per
// namespace.
constexpr size_t kPerNamespaceListLimit = 8;

Json labels_of(const Json& obj) {
  return obj.contains("metadata") ? obj["metadata"].value("labels", Json::object())
                                  : Json::object();
}

Json merge_patch(const LabelChange& change) {
  Json labels = change.set;
  for (const auto& key : change.remove)
    labels[key] = nullptr;
  return {{"metadata", {{"labels", labels}}}};
}

void apply_locally(Json& ns, const LabelChange& change) {
  Json& labels = ns["metadata"]["labels"];
  if (!labels.is_object()) labels = Json::object();
  for (auto it = change.set.begin(); it != change.set.end(); ++it)
    labels[it.key()] = it.value();
  for (const auto& key : change.remove)
    labels.erase(key);
}

std::string dry_run_query(kube::DryRun d) {
  return d == kube::DryRun::kServer ? "&dryRun=All" : "";
}

// "VERB done/total NOUN" for send_in_chunks.
std::function<void(size_t, size_t)> count_reporter(
    const std::function<void(const std::string&)>& status, const std::string& verb,
    const std::string& noun) {
  return [status, verb, noun](size_t done, size_t total) {
    status(verb + " " + std::to_string(done) + "/" + std::to_string(total) + " " + noun);
  };
}

// Writes the label changes in parallel; returns the namespaces as the server answered.
Status write_labels(kube::Client& client, std::vector<NamespaceChange>& changes,
                    kube::DryRun dry_run, const std::function<void(const std::string&)>& status) {
  std::vector<kube::HttpRequest> requests;
  std::vector<size_t> which;
  for (size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].change.empty()) continue;
    kube::HttpRequest r;
    r.method = "PATCH";
    r.path = "/api/v1/namespaces/" + kube::url_escape(changes[i].name) +
             "?fieldManager=" + kInjectFieldManager + dry_run_query(dry_run);
    r.headers = {{"Content-Type", "application/merge-patch+json"}};
    r.body = merge_patch(changes[i].change).dump();
    requests.push_back(std::move(r));
    which.push_back(i);
  }
  auto responses = kube::send_in_chunks(client, std::move(requests),
                                        count_reporter(status, "labelled", "namespaces"));
  std::vector<std::string> failures;
  for (size_t k = 0; k < which.size(); ++k) {
    if (!responses[k].ok()) {
      failures.push_back(
          client.describe(responses[k], "labelling namespace/" + changes[which[k]].name));
      continue;
    }
    Json answer = Json::parse(responses[k].body, nullptr, false);
    if (!answer.is_discarded()) changes[which[k]].result = std::move(answer);
  }
  if (!failures.empty()) {
    size_t done = which.size() - failures.size();
    return cluster_error(join(failures, "\n") + "\n" + std::to_string(done) + " of " +
                         std::to_string(which.size()) +
                         " namespaces were changed; running the command again finishes the rest");
  }
  return {};
}

Status restart_workloads(kube::Client& client, kube::Discovery& discovery,
                         const std::vector<WorkloadState>& targets, kube::DryRun dry_run,
                         std::vector<std::string>& restarted,
                         const std::function<void(const std::string&)>& status) {
  std::string now = format_rfc3339(std::chrono::system_clock::now());
  Json patch = {
      {"spec",
       {{"template",
         {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", now}}}}}}}}}};
  std::vector<kube::HttpRequest> requests;
  std::vector<std::string> names;
  for (const auto& w : targets) {
    auto info = discovery.find_kind("apps/v1", w.kind);
    if (!info) continue;
    kube::HttpRequest r;
    r.method = "PATCH";
    r.path = kube::object_path(*info, w.ns, w.name) + "?fieldManager=" + kInjectFieldManager +
             dry_run_query(dry_run);
    r.headers = {{"Content-Type", "application/strategic-merge-patch+json"}};
    r.body = patch.dump();
    requests.push_back(std::move(r));
    names.push_back(info->type_name() + "/" + w.name + " in " + w.ns);
  }
  auto responses = kube::send_in_chunks(client, std::move(requests),
                                        count_reporter(status, "restarted", "workloads"));
  std::vector<std::string> failures;
  for (size_t i = 0; i < responses.size(); ++i) {
    if (responses[i].ok())
      restarted.push_back(names[i]);
    else
      failures.push_back(client.describe(responses[i], "restarting " + names[i]));
  }
  if (!failures.empty())
    return cluster_error(join(failures, "\n") + "\nthe namespace labels were changed; " +
                         std::to_string(restarted.size()) +
                         " workloads were restarted; running the command again restarts the rest");
  return {};
}

}  // namespace

bool is_system_namespace(const std::string& name) {
  return name == "kube-system" || name == "kube-public" || name == "kube-node-lease" ||
         name == "istio-system";
}

Result<std::vector<Json>> select_namespaces(kube::Client& client, kube::Discovery& discovery,
                                            const NamespaceSelection& sel,
                                            std::vector<std::string>& notes) {
  auto info = discovery.find_kind("v1", "Namespace");
  if (!info) return cluster_error("the server does not serve Namespaces");
  if (sel.all || !sel.label_selector.empty()) {
    KMESH_ASSIGN_OR_RETURN(auto found, kube::list_objects(client, *info, "", sel.label_selector));
    std::vector<Json> out;
    for (auto& ns : found) {
      std::string name = kube::name_of(ns);
      if (is_system_namespace(name) && !sel.include_system) {
        notes.push_back("skipped namespace " + name +
                        " (a system namespace; --include-system acts on it)");
        continue;
      }
      out.push_back(std::move(ns));
    }
    if (out.empty())
      return usage_error("no namespace matches" + (sel.label_selector.empty()
                                                       ? std::string()
                                                       : " -l " + sel.label_selector));
    return out;
  }
  std::vector<std::string> names =
      sel.names.empty() ? std::vector<std::string>{sel.default_namespace} : sel.names;
  std::vector<std::string> problems;
  for (const auto& n : names)
    if (is_system_namespace(n) && !sel.include_system)
      problems.push_back("namespace " + n +
                         " is a system namespace: pass --include-system to change it");
  if (!problems.empty()) return usage_error(join(problems, "\n") + "\nno namespace was changed");
  std::vector<kube::HttpRequest> requests;
  for (const auto& n : names) {
    kube::HttpRequest r;
    r.path = kube::object_path(*info, "", n);
    requests.push_back(std::move(r));
  }
  auto responses = client.send(requests);
  std::vector<Json> out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (responses[i].status == 404) {
      problems.push_back("namespace " + names[i] + " does not exist");
      continue;
    }
    if (!responses[i].ok()) return client.error(responses[i], "reading namespace/" + names[i]);
    out.push_back(Json::parse(responses[i].body, nullptr, false));
  }
  if (!problems.empty()) return usage_error(join(problems, "\n") + "\nno namespace was changed");
  return out;
}

Result<std::map<std::string, NamespaceObjects>> read_namespace_objects(
    kube::Client& client, kube::Discovery& discovery, const std::vector<Json>& namespaces) {
  std::map<std::string, NamespaceObjects> out;
  for (const auto& ns : namespaces)
    out[kube::name_of(ns)].labels = labels_of(ns);
  struct Kind {
    const char* api_version;
    const char* kind;
    std::vector<Json> NamespaceObjects::*field;
  };
  const std::vector<Kind> kinds = {{"apps/v1", "Deployment", &NamespaceObjects::deployments},
                                   {"apps/v1", "StatefulSet", &NamespaceObjects::statefulsets},
                                   {"apps/v1", "DaemonSet", &NamespaceObjects::daemonsets},
                                   {"batch/v1", "Job", &NamespaceObjects::jobs},
                                   {"v1", "Pod", &NamespaceObjects::pods}};
  bool cluster_wide = namespaces.size() > kPerNamespaceListLimit;
  for (const auto& k : kinds) {
    auto info = discovery.find_kind(k.api_version, k.kind);
    if (!info) continue;
    std::vector<std::string> scopes;
    if (cluster_wide)
      scopes.push_back("");
    else
      for (const auto& [name, _] : out)
        scopes.push_back(name);
    for (const auto& scope : scopes) {
      KMESH_ASSIGN_OR_RETURN(auto items, kube::list_objects(client, *info, scope, ""));
      for (auto& item : items) {
        auto it = out.find(kube::namespace_of(item));
        if (it != out.end()) (it->second.*k.field).push_back(std::move(item));
      }
    }
  }
  return out;
}

Result<std::vector<std::string>> restart_mismatched(kube::Client& client,
                                                    kube::Discovery& discovery,
                                                    const std::vector<Json>& namespaces) {
  KMESH_ASSIGN_OR_RETURN(auto objects, read_namespace_objects(client, discovery, namespaces));
  std::vector<WorkloadState> targets;
  for (const auto& [ns, o] : objects)
    for (auto& w : assess_workloads(ns, o))
      if (w.needs_restart() && w.restartable()) targets.push_back(std::move(w));
  std::vector<std::string> restarted;
  KMESH_TRY(restart_workloads(client, discovery, targets, kube::DryRun::kNone, restarted,
                              [](const std::string&) {}));
  return restarted;
}

Result<InjectReport> run_inject(kube::Client& client, kube::Discovery& discovery,
                                std::vector<Json> namespaces, const InjectRequest& request) {
  InjectReport report;
  for (auto& ns : namespaces) {
    NamespaceChange c;
    c.name = kube::name_of(ns);
    c.change =
        injection_change(labels_of(ns), request.enable, request.revision, request.remove_label);
    c.result = ns;
    apply_locally(c.result, c.change);
    c.warnings = namespace_setting(labels_of(c.result)).warnings;
    report.namespaces.push_back(std::move(c));
  }
  if (request.dry_run != kube::DryRun::kClient)
    KMESH_TRY(write_labels(client, report.namespaces, request.dry_run, request.status));
  std::vector<Json> after;
  for (const auto& c : report.namespaces)
    after.push_back(c.result);
  KMESH_ASSIGN_OR_RETURN(auto objects, read_namespace_objects(client, discovery, after));
  std::vector<WorkloadState> to_restart;
  for (const auto& [ns, o] : objects)
    for (auto& w : assess_workloads(ns, o)) {
      if (!w.needs_restart()) continue;
      if (w.restartable() && request.restart) to_restart.push_back(w);
      report.workloads.push_back(std::move(w));
    }
  if (!to_restart.empty() && request.dry_run != kube::DryRun::kClient)
    KMESH_TRY(restart_workloads(client, discovery, to_restart, request.dry_run, report.restarted,
                                request.status));
  else if (request.dry_run == kube::DryRun::kClient)
    for (const auto& w : to_restart)
      report.restarted.push_back(to_lower(w.kind) + ".apps/" + w.name + " in " + w.ns);
  return report;
}

}  // namespace kmesh::mesh
