#include "lib/kube/apply.hpp"

#include <map>
#include <set>
#include <thread>

#include "lib/core/interrupt.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kube/paths.hpp"

namespace kmesh::kube {
namespace {

using Clock = std::chrono::steady_clock;

bool is_crd(const Json& obj) {
  return kind_of(obj) == "CustomResourceDefinition" &&
         group_of(api_version_of(obj)) == "apiextensions.k8s.io";
}

bool is_namespace(const Json& obj) {
  return kind_of(obj) == "Namespace" && api_version_of(obj) == "v1";
}

// The resources a CRD of the input will serve, so its custom resources can be mapped
// before the CRD exists.
std::vector<ResourceInfo> resources_of_crd(const Json& crd) {
  std::vector<ResourceInfo> out;
  const Json spec = crd.value("spec", Json::object());
  const Json names = spec.value("names", Json::object());
  for (const auto& v : spec.value("versions", Json::array())) {
    if (!v.value("served", false)) continue;
    ResourceInfo r;
    r.group = spec.value("group", "");
    r.version = v.value("name", "");
    r.kind = names.value("kind", "");
    r.resource = names.value("plural", "");
    r.singular = names.value("singular", to_lower(r.kind));
    r.namespaced = spec.value("scope", "Namespaced") == "Namespaced";
    out.push_back(r);
  }
  return out;
}

bool established(const Json& crd) {
  if (!crd.contains("status")) return false;
  for (const auto& c : crd["status"].value("conditions", Json::array()))
    if (c.value("type", "") == "Established" && c.value("status", "") == "True") return true;
  return false;
}

const Json* apply_entry_of(const Json& meta, const std::string& manager) {
  auto fields = meta.find("managedFields");
  if (fields == meta.end() || !fields->is_array()) return nullptr;
  for (const auto& entry : *fields)
    if (entry.value("manager", "") == manager && entry.value("operation", "") == "Apply" &&
        entry.value("subresource", "").empty())
      return &entry;
  return nullptr;
}

// Whether the labels and annotations an apply entry owns (the "f:KEY" members of its
// fieldsV1) have the same values before and after. Keys others own are left out: the
// deployment controller adds deployment.kubernetes.io/revision right after a first apply.
bool owned_metadata_equal(const Json& before, const Json& after, const Json& entry) {
  const Json* fields = entry.contains("fieldsV1") ? &entry["fieldsV1"] : nullptr;
  if (!fields || !fields->contains("f:metadata")) return true;
  const Json& owned_meta = (*fields)["f:metadata"];
  for (std::string map : {"labels", "annotations"}) {
    auto owned = owned_meta.find("f:" + map);
    if (owned == owned_meta.end() || !owned->is_object()) continue;
    for (const auto& [key, unused] : owned->items()) {
      (void)unused;
      if (key.rfind("f:", 0) != 0) continue;
      std::string name = key.substr(2);
      auto value_in = [&](const Json& meta) {
        return meta.contains(map) && meta[map].is_object() && meta[map].contains(name)
                   ? meta[map][name]
                   : Json();
      };
      if (value_in(before) != value_in(after)) return false;
    }
  }
  return true;
}

// The API server labels every Namespace with its own name. Left unowned, that label makes
// the second apply of a new Namespace write a "before-first-apply" entry to managedFields,
// so an unchanged input would not apply as unchanged. Owning the label (its value cannot
// differ) keeps repeated applies no-ops.
void own_namespace_name_label(Json& meta, const std::string& name) {
  Json& labels = meta["labels"];
  if (!labels.is_object()) labels = Json::object();
  if (!labels.contains("kubernetes.io/metadata.name")) labels["kubernetes.io/metadata.name"] = name;
}

}  // namespace

// Whether an apply left the object as it was. An unchanged resourceVersion proves it. A
// changed one may come from someone else: a controller writing status between our read
// and our apply (a Deployment right after its first apply, for one). Such an apply still
// changed nothing when, for a kind that counts spec changes in metadata.generation, the
// generation, the labels and annotations we own, and our own managedFields entry (its
// fields and the time the server stamps only on a change) are all as they were. Metadata
// others own may change in between (the deployment controller's revision annotation). Kinds without
// a generation fall back to the resourceVersion alone, reporting "applied" when unsure.
bool apply_changed_nothing(const Json& before, const Json& after, const std::string& manager) {
  if (!before.is_object() || !after.is_object()) return false;
  std::string rv = before.value("resourceVersion", "");
  if (rv.empty()) return false;
  if (rv == after.value("resourceVersion", "")) return true;
  if (before.value("generation", 0) <= 0) return false;
  if (before.value("generation", 0) != after.value("generation", 0)) return false;
  const Json* ours_before = apply_entry_of(before, manager);
  const Json* ours_after = apply_entry_of(after, manager);
  if (!ours_before || !ours_after || *ours_before != *ours_after) return false;
  return owned_metadata_equal(before, after, *ours_after);
}

// A conflict's Status lists each contested field and its manager; say it in one line
// with the way out.
std::string conflict_message(const std::string& body, const std::string& fallback) {
  auto st = decode_status(body);
  if (!st || st->causes.empty()) return fallback;
  std::vector<std::string> fields;
  for (const auto& c : st->causes)
    fields.push_back(c.field + " (" + c.message + ")");
  return "conflict: " + join(fields, ", ") +
         "; another field manager owns these fields: re-run with --force-conflicts to take them"
         " over";
}

// The server reports a YAML 1.1 boolean where a string belongs in Go's notation; say what
// the user most likely wrote and how to fix it.
std::string explain_type_error(std::string message) {
  if (message.find("expected string, got &value.valueUnstructured{Value:") != std::string::npos)
    message +=
        " (unquoted yes/no/on/off/y/n/true/false read as booleans, and digits as numbers:"
        " quote the value)";
  return message;
}

Result<DryRun> parse_dry_run(const std::string& value) {
  if (value == "none" || value.empty() || value == "false") return DryRun::kNone;
  if (value == "client") return DryRun::kClient;
  if (value == "server") return DryRun::kServer;
  return usage_error("--dry-run=\"" + value + "\" is not one of none, client, server");
}

size_t ApplyReport::count(Outcome outcome) const {
  size_t n = 0;
  for (const auto& i : items)
    n += i.outcome == outcome;
  return n;
}

std::string ApplyReport::summary() const {
  return "applied " + std::to_string(count(Outcome::kApplied)) + ", unchanged " +
         std::to_string(count(Outcome::kUnchanged)) + ", failed " +
         std::to_string(count(Outcome::kFailed)) + ", not attempted " +
         std::to_string(count(Outcome::kNotAttempted)) + " of " + std::to_string(items.size()) +
         " objects";
}

std::string display_name(const ResourceInfo& info, const std::string& name) {
  return info.type_name() + "/" + name;
}

Result<std::vector<ApplyItem>> Applier::prepare(std::vector<Document> docs,
                                                const ApplyOptions& options) {
  KMESH_TRY(discovery_.load());
  std::vector<ResourceInfo> from_input_crds;
  for (const auto& d : docs)
    if (is_crd(d.value))
      for (auto& r : resources_of_crd(d.value))
        from_input_crds.push_back(std::move(r));

  std::vector<ApplyItem> items;
  std::vector<std::string> problems;
  std::map<std::string, std::string> seen;  // object identity -> where it was first seen
  for (auto& doc : docs) {
    ApplyItem item;
    std::string api_version = api_version_of(doc.value), kind = kind_of(doc.value);
    item.info = discovery_.find_kind(api_version, kind);
    if (!item.info)
      for (const auto& r : from_input_crds)
        if (r.api_version() == api_version && r.kind == kind) item.info = r;
    if (!item.info) {
      std::string hint = discovery_.serves_group(group_of(api_version))
                             ? "the group is served but not this kind or version"
                             : "is its CustomResourceDefinition installed?";
      problems.push_back(where(doc) + ": kind \"" + kind + "\" of apiVersion \"" + api_version +
                         "\" is not served by the cluster (" + hint + ")");
      continue;
    }
    Json& meta = doc.value["metadata"];
    std::string ns = namespace_of(doc.value);
    if (item.info->namespaced) {
      if (ns.empty()) {
        ns = options.default_namespace;
        meta["namespace"] = ns;
      } else if (options.namespace_from_flag && ns != options.default_namespace) {
        problems.push_back(where(doc) + ": " + kind + " \"" + name_of(doc.value) +
                           "\" names namespace \"" + ns + "\" but -n says \"" +
                           options.default_namespace + "\"; drop -n or make them agree");
        continue;
      }
    } else if (meta.contains("namespace")) {
      meta.erase("namespace");  // cluster-scoped: kubectl ignores it too
      ns.clear();
    }
    if (is_namespace(doc.value)) own_namespace_name_label(meta, name_of(doc.value));
    item.display = display_name(*item.info, name_of(doc.value));
    std::string identity = item.info->group + "/" + kind + "/" + ns + "/" + name_of(doc.value);
    if (auto [it, fresh] = seen.emplace(identity, where(doc)); !fresh) {
      problems.push_back(where(doc) + ": " + item.display + (ns.empty() ? "" : " in " + ns) +
                         " is also defined at " + it->second);
      continue;
    }
    item.doc = std::move(doc);
    items.push_back(std::move(item));
  }
  if (!problems.empty()) {
    if (problems.size() > 20) {
      size_t more = problems.size() - 20;
      problems.resize(20);
      problems.push_back("... and " + std::to_string(more) + " more");
    }
    return usage_error(join(problems, "\n") + "\nnothing was applied");
  }
  return items;
}

void Applier::record_before(std::vector<ApplyItem>& items, const std::vector<size_t>& which) {
  // Group the objects by collection: one request per group.
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i : which)
    groups[collection_path(*items[i].info, namespace_of(items[i].doc.value))].push_back(i);
  std::vector<HttpRequest> requests;
  std::vector<std::string> keys;
  for (const auto& [path, members] : groups) {
    HttpRequest r;
    if (members.size() == 1) {
      r.path = path + "/" + url_escape(name_of(items[members[0]].doc.value));
      r.headers = {{"Accept", kAcceptMetadata}};
    } else {
      r.path = path;
      r.headers = {{"Accept", kAcceptMetadataList}};
    }
    requests.push_back(std::move(r));
    keys.push_back(path);
  }
  auto responses = client_.send(requests);
  for (size_t g = 0; g < responses.size(); ++g) {
    if (!responses[g].ok()) continue;  // unknown: the object is reported as applied
    Json body = Json::parse(responses[g].body, nullptr, false);
    if (body.is_discarded()) continue;
    std::map<std::string, Json> meta_by_name;
    if (body.contains("items")) {
      for (const auto& o : body["items"])
        meta_by_name[name_of(o)] = o.value("metadata", Json());
    } else {
      meta_by_name[name_of(body)] = body.value("metadata", Json());
    }
    for (size_t i : groups[keys[g]]) {
      auto it = meta_by_name.find(name_of(items[i].doc.value));
      if (it != meta_by_name.end()) before_meta_[i] = it->second;
    }
  }
}

void Applier::apply_batch(std::vector<ApplyItem>& items, const std::vector<size_t>& which,
                          const ApplyOptions& options) {
  std::vector<HttpRequest> requests;
  for (size_t i : which) {
    const ApplyItem& item = items[i];
    HttpRequest r;
    r.method = "PATCH";
    r.path = object_path(*item.info, namespace_of(item.doc.value), name_of(item.doc.value)) +
             "?fieldManager=" + url_escape(options.field_manager);
    if (options.force_conflicts) r.path += "&force=true";
    if (options.dry_run == DryRun::kServer) r.path += "&dryRun=All";
    r.headers = {{"Content-Type", "application/apply-patch+yaml"}};
    r.body = item.doc.value.dump();
    r.idempotent = true;  // applying the same configuration twice gives the same result
    requests.push_back(std::move(r));
  }
  auto responses = client_.send(requests);
  for (size_t k = 0; k < which.size(); ++k) {
    ApplyItem& item = items[which[k]];
    const HttpResponse& resp = responses[k];
    if (resp.failure == TransportFailure::kInterrupted) {
      item.error = item.display + ": not sent (interrupted)";
      continue;  // stays kNotAttempted
    }
    if (!resp.ok()) {
      item.outcome = Outcome::kFailed;
      std::string what = item.display;
      std::string message = client_.describe(resp, "");
      if (resp.status == 409)
        message = conflict_message(resp.body, message);
      else if (resp.status == 404 && options.dry_run == DryRun::kServer &&
               !namespace_of(item.doc.value).empty())
        message +=
            "; a server dry run does not create namespaces, so objects in a new one cannot be "
            "checked"
            " (create the namespace first)";
      else
        message = explain_type_error(std::move(message));
      std::string ns = namespace_of(item.doc.value);
      item.error = what + (ns.empty() ? "" : " in " + ns) + ": " + message;
      continue;
    }
    item.live = Json::parse(resp.body, nullptr, false);
    item.created = resp.status == 201;
    bool same = !item.live.is_discarded() &&
                apply_changed_nothing(before_meta_[which[k]], item.live.value("metadata", Json()),
                                      options.field_manager);
    item.outcome =
        same && options.dry_run == DryRun::kNone ? Outcome::kUnchanged : Outcome::kApplied;
  }
}

Status Applier::wait_established(std::vector<ApplyItem>& items, const std::vector<size_t>& crds,
                                 const ApplyOptions& options) {
  std::vector<size_t> pending;
  for (size_t i : crds)
    if (items[i].outcome != Outcome::kFailed && !established(items[i].live)) pending.push_back(i);
  auto deadline = Clock::now() + options.establish_timeout;
  while (!pending.empty()) {
    if (Clock::now() > deadline) {
      std::vector<std::string> names;
      for (size_t i : pending)
        names.push_back(name_of(items[i].doc.value));
      return cluster_error("CustomResourceDefinitions not Established after " +
                           format_duration(options.establish_timeout) + ": " + join(names, ", "));
    }
    if (interrupted()) return cluster_error("interrupted while waiting for CRDs");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::vector<HttpRequest> requests;
    for (size_t i : pending) {
      HttpRequest r;
      r.path = object_path(*items[i].info, "", name_of(items[i].doc.value));
      requests.push_back(std::move(r));
    }
    auto responses = client_.send(requests);
    std::vector<size_t> still;
    for (size_t k = 0; k < pending.size(); ++k) {
      // Only "not yet" is worth waiting for; a failed request will not heal by polling.
      if (!responses[k].ok() && responses[k].status != 404)
        return client_.error(responses[k],
                             "waiting for CRD " + name_of(items[pending[k]].doc.value));
      Json crd = Json::parse(responses[k].body, nullptr, false);
      if (!responses[k].ok() || crd.is_discarded() || !established(crd))
        still.push_back(pending[k]);
    }
    pending = std::move(still);
  }
  return {};
}

ApplyReport Applier::apply(std::vector<ApplyItem> items, const ApplyOptions& options) {
  ApplyReport report;
  before_meta_.assign(items.size(), Json());
  if (options.dry_run == DryRun::kClient) {
    for (auto& i : items) {
      i.live = i.doc.value;
      i.outcome = Outcome::kApplied;
    }
    report.items = std::move(items);
    return report;
  }
  std::vector<size_t> first, crds, existing, later;
  for (size_t i = 0; i < items.size(); ++i) {
    const Json& o = items[i].doc.value;
    bool known = discovery_.find_kind(api_version_of(o), kind_of(o)).has_value();
    if (known) existing.push_back(i);
    if (is_crd(o) || is_namespace(o))
      first.push_back(i);
    else
      later.push_back(i);
    if (is_crd(o)) crds.push_back(i);
  }
  if (options.dry_run == DryRun::kNone) record_before(items, existing);

  auto finish = [&](const std::string& reason, const std::vector<size_t>& skipped) {
    for (size_t i : skipped)
      if (items[i].outcome == Outcome::kNotAttempted) items[i].error = reason;
    report.items = std::move(items);
    return report;
  };

  if (!first.empty()) apply_batch(items, first, options);
  if (interrupted()) return finish("interrupted before it was sent", later);
  bool need_refresh = false;
  for (size_t i : later)
    if (!discovery_.find_kind(api_version_of(items[i].doc.value), kind_of(items[i].doc.value)))
      need_refresh = true;
  if (!crds.empty() && options.dry_run == DryRun::kNone) {
    auto st = wait_established(items, crds, options);
    if (!st.ok()) return finish(st.error().message, later);
    if (need_refresh) (void)discovery_.load(/*refresh=*/true);
  }
  std::vector<size_t> now;
  for (size_t i : later) {
    bool served =
        discovery_.find_kind(api_version_of(items[i].doc.value), kind_of(items[i].doc.value))
            .has_value();
    if (!served && options.dry_run == DryRun::kServer) {
      items[i].error =
          items[i].display +
          ": not checked: its CustomResourceDefinition is not installed (server dry run)";
      continue;
    }
    now.push_back(i);
  }
  if (!now.empty()) apply_batch(items, now, options);
  report.items = std::move(items);
  return report;
}

}  // namespace kmesh::kube
