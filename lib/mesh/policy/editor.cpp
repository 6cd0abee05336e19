#include "lib/mesh/policy/editor.hpp"

#include "lib/core/strings.hpp"
#include "lib/kube/paths.hpp"

namespace kmesh::mesh::policy {
namespace {

constexpr const char* kIstioGroup = "networking.istio.io";
constexpr const char* kGatewayApiGroup = "gateway.networking.k8s.io";

kube::ResourceInfo core_resource(const std::string& kind, const std::string& plural,
                                 bool namespaced) {
  kube::ResourceInfo r;
  r.version = "v1";
  r.kind = kind;
  r.resource = plural;
  r.namespaced = namespaced;
  return r;
}

kube::ResourceInfo apps_resource(const std::string& kind, const std::string& plural) {
  kube::ResourceInfo r = core_resource(kind, plural, true);
  r.group = "apps";
  return r;
}

std::string name_of(const Json& o) {
  return o["metadata"].value("name", "");
}

// Counts what is sent, so that the report can state the round trips.
class Sender {
 public:
  explicit Sender(kube::Client& client, EditReport* report) : client_(client), report_(report) {}

  std::vector<kube::HttpResponse> send(std::vector<kube::HttpRequest> requests) {
    if (report_) {
      report_->requests += static_cast<int>(requests.size());
      report_->rounds += 1;
    }
    return client_.send(std::move(requests));
  }
  kube::HttpResponse send(kube::HttpRequest request) {
    std::vector<kube::HttpRequest> one;
    one.push_back(std::move(request));
    return std::move(send(std::move(one)).front());
  }
  kube::Client& client() { return client_; }

 private:
  kube::Client& client_;
  EditReport* report_;
};

kube::HttpRequest get_request(const std::string& path, const char* accept = nullptr) {
  kube::HttpRequest r;
  r.path = path;
  if (accept) r.headers = {{"Accept", accept}};
  return r;
}

kube::HttpRequest list_request(const kube::ResourceInfo& info, const std::string& ns,
                               const std::string& cont = "", const char* accept = nullptr) {
  std::string path = kube::collection_path(info, ns) + "?limit=500";
  if (!cont.empty()) path += "&continue=" + kube::url_escape(cont);
  return get_request(path, accept);
}

Result<Json> parse_body(const kube::HttpResponse& r, const std::string& what) {
  Json j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded()) return cluster_error(what + ": the server's answer is not JSON");
  return j;
}

// The items of a LIST answer; further pages (more than 500 objects) are read in turn.
Result<std::vector<Json>> list_items(Sender& io, const kube::ResourceInfo& info,
                                     const std::string& ns, kube::HttpResponse response,
                                     const char* accept = nullptr) {
  std::string what = "listing " + info.type_name() + (ns.empty() ? "" : " in " + ns);
  std::vector<Json> out;
  while (true) {
    if (response.status == 404) return out;  // the namespace or the kind is not there
    if (!response.ok()) return io.client().error(response, what);
    KMESH_ASSIGN_OR_RETURN(Json list, parse_body(response, what));
    for (auto& item : list.value("items", Json::array())) {
      if (!item.contains("kind")) {
        item["kind"] = info.kind;
        item["apiVersion"] = info.api_version();
      }
      out.push_back(std::move(item));
    }
    std::string next = list.contains("metadata") ? list["metadata"].value("continue", "") : "";
    if (next.empty()) return out;
    response = io.send(list_request(info, ns, next, accept));
  }
}

// The spec of an object, an empty one when it has none.
Json spec_copy(const Json& object) {
  return object.contains("spec") && object["spec"].is_object() ? object["spec"] : Json::object();
}

using Desired = std::function<Result<Json>(const Json& live)>;

std::string outcome_word(ObjectOutcome::Kind kind) {
  switch (kind) {
    case ObjectOutcome::Kind::kCreated:
      return "created";
    case ObjectOutcome::Kind::kConfigured:
      return "configured";
    case ObjectOutcome::Kind::kUnchanged:
      return "unchanged";
    default:
      return "absent";
  }
}

// Writes what `desired` makes of the live object: PUT with its resourceVersion, POST when
// there is none; a 409 means someone wrote in between, so read again and edit again.
Result<ObjectOutcome> write_object(Sender& io, const kube::ResourceInfo& info,
                                   const std::string& ns, const std::string& fallback_name,
                                   Json live, const Desired& desired, const EditRequest& request) {
  ObjectOutcome out;
  out.kind_name = info.kind;
  out.display = kube::display_name(info, live.is_null() ? fallback_name : name_of(live));
  for (int attempt = 0; attempt < request.max_attempts; ++attempt) {
    out.before = live;
    if (live.is_null() && !request.create) {
      out.kind = ObjectOutcome::Kind::kAbsent;
      return out;
    }
    KMESH_ASSIGN_OR_RETURN(out.after, desired(live));
    std::string name = name_of(out.after);
    out.display = kube::display_name(info, name);
    if (!live.is_null() && out.after == live) {
      out.kind = ObjectOutcome::Kind::kUnchanged;
      out.stored = live;
      return out;
    }
    bool creating = live.is_null();
    kube::HttpRequest w;
    w.method = creating ? "POST" : "PUT";
    w.path = (creating ? kube::collection_path(info, ns) : kube::object_path(info, ns, name)) +
             "?fieldManager=" + kube::url_escape(request.field_manager) +
             (request.dry_run == kube::DryRun::kServer ? "&dryRun=All" : "");
    w.headers = {{"Content-Type", "application/json"}};
    Json body = out.after;
    body["metadata"].erase("managedFields");  // omitted: the server keeps and updates them
    w.body = body.dump();
    w.idempotent = !creating;  // a PUT carries its resourceVersion: a repeat cannot double it
    auto response = io.send(std::move(w));
    if (response.ok()) {
      out.kind = creating ? ObjectOutcome::Kind::kCreated : ObjectOutcome::Kind::kConfigured;
      KMESH_ASSIGN_OR_RETURN(out.stored, parse_body(response, out.display));
      return out;
    }
    std::string what = (creating ? "creating " : "updating ") + out.display + " in " + ns;
    if (response.status != 409) return io.client().error(response, what);
    ++out.conflicts;
    auto fresh = io.send(get_request(kube::object_path(info, ns, name)));
    if (fresh.status == 404) {
      live = Json();
    } else if (!fresh.ok()) {
      return io.client().error(fresh,
                               "reading " + out.display + " in " + ns + " again after a conflict");
    } else {
      KMESH_ASSIGN_OR_RETURN(live, parse_body(fresh, out.display));
    }
  }
  return cluster_error(out.display + " in " + ns + " kept changing while we wrote it (" +
                       std::to_string(request.max_attempts) +
                       " conflicts in a row); nothing of ours landed, run the"
                       " command again");
}

// The outcome a write would have, without writing (client dry run, --diff).
Result<ObjectOutcome> preview_object(const kube::ResourceInfo& info,
                                     const std::string& fallback_name, const Json& live,
                                     const Desired& desired, const EditRequest& request) {
  ObjectOutcome out;
  out.kind_name = info.kind;
  out.before = live;
  out.display = kube::display_name(info, live.is_null() ? fallback_name : name_of(live));
  if (live.is_null() && !request.create) {
    out.kind = ObjectOutcome::Kind::kAbsent;
    return out;
  }
  KMESH_ASSIGN_OR_RETURN(out.after, desired(live));
  out.kind = live.is_null()      ? ObjectOutcome::Kind::kCreated
             : out.after == live ? ObjectOutcome::Kind::kUnchanged
                                 : ObjectOutcome::Kind::kConfigured;
  return out;
}

// Checks that every subset to be added selects some Pod template of the Service.
Status check_new_subsets(Sender& io, const EditRequest& request, const Json& service,
                         const std::vector<std::string>& missing) {
  const auto& ns = request.service.ns;
  std::vector<kube::ResourceInfo> kinds = {apps_resource("Deployment", "deployments"),
                                           apps_resource("StatefulSet", "statefulsets"),
                                           apps_resource("DaemonSet", "daemonsets")};
  std::vector<kube::HttpRequest> reads;
  for (const auto& k : kinds)
    reads.push_back(list_request(k, ns));
  auto responses = io.send(std::move(reads));
  std::vector<Json> workloads;
  for (size_t i = 0; i < kinds.size(); ++i) {
    KMESH_ASSIGN_OR_RETURN(auto items, list_items(io, kinds[i], ns, std::move(responses[i])));
    workloads.insert(workloads.end(), items.begin(), items.end());
  }
  Json selector =
      service.contains("spec") ? service["spec"].value("selector", Json::object()) : Json::object();
  for (const auto& subset : missing) {
    if (template_carries(workloads, selector, request.subset_label, subset)) continue;
    std::vector<std::string> wanted{request.subset_label + "=" + subset};
    for (const auto& [k, v] : selector.items())
      wanted.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
    return usage_error(
        "route: subset " + subset + " of " + request.service.display() +
        " would select nothing: no Deployment, StatefulSet or DaemonSet in " + ns +
        " has a Pod template labelled " + join(wanted, ", ") +
        "; deploy that version first, or name the label its Pods carry with --subset-label");
  }
  return {};
}

}  // namespace

SpecEdit on_route(RouteSelector selector, RouteEdit edit) {
  return [selector = std::move(selector), edit = std::move(edit)](
             Json spec, const RouteScope& scope) -> Result<Json> {
    KMESH_ASSIGN_OR_RETURN(size_t index, locate_route(spec, selector, scope));
    Destination dest = service_destination(spec, scope.service, index);
    KMESH_ASSIGN_OR_RETURN(spec["http"][index], edit(std::move(spec["http"][index]), dest, scope));
    return spec;
  };
}

Result<kube::ResourceInfo> istio_resource(kube::Discovery& discovery, const std::string& kind) {
  if (auto r = discovery.find_kind(std::string(kIstioGroup) + "/v1", kind)) return *r;
  if (auto r = discovery.find_preferred(kIstioGroup, kind)) return *r;
  return cluster_error("the cluster serves no " + kind + " (" + kIstioGroup +
                       "): Istio's CRDs are not installed; run 'kubectl mesh install' first");
}

namespace {

// Where the objects an edit touches are served.
struct Resources {
  std::optional<kube::ResourceInfo> vs, dr, http_route;
};

Result<Resources> resources_for(kube::Discovery& discovery, const EditRequest& request) {
  Resources r;
  if (request.vs_edit) {
    KMESH_ASSIGN_OR_RETURN(r.vs, istio_resource(discovery, "VirtualService"));
    r.http_route = discovery.find_preferred(kGatewayApiGroup, "HTTPRoute");
  }
  if (request.dr_edit || !request.subsets.empty()) {
    KMESH_ASSIGN_OR_RETURN(r.dr, istio_resource(discovery, "DestinationRule"));
  }
  return r;
}

// What the first round of reads found.
struct Snapshot {
  Json service, ns_object;
  std::vector<Json> vss, drs, http_routes;
};

// Round 1: everything the edit depends on, in parallel.
Result<Snapshot> read_snapshot(Sender& io, const Resources& res, const ServiceRef& svc) {
  auto services = core_resource("Service", "services", true);
  auto namespaces = core_resource("Namespace", "namespaces", false);
  std::vector<kube::HttpRequest> reads = {
      get_request(kube::object_path(services, svc.ns, svc.name)),
      get_request(kube::object_path(namespaces, "", svc.ns), kube::kAcceptMetadata)};
  for (const auto* info : {&res.vs, &res.dr, &res.http_route})
    if (*info) reads.push_back(list_request(**info, svc.ns));
  auto responses = io.send(std::move(reads));
  if (responses[0].status == 404)
    return usage_error("service \"" + svc.name + "\" not found in namespace " + svc.ns +
                       ": the policy commands take the name of a Kubernetes Service (see kubectl "
                       "get services -n " +
                       svc.ns + ")");
  if (!responses[0].ok())
    return io.client().error(responses[0], "reading service " + svc.name + " in " + svc.ns);
  Snapshot snap;
  KMESH_ASSIGN_OR_RETURN(snap.service, parse_body(responses[0], "service " + svc.name));
  // The namespace and the HTTPRoutes only feed warnings: unreadable, they are no failure.
  snap.ns_object = responses[1].ok() ? Json::parse(responses[1].body, nullptr, false) : Json();
  if (snap.ns_object.is_discarded()) snap.ns_object = Json();
  size_t next = 2;
  if (res.vs) {
    KMESH_ASSIGN_OR_RETURN(snap.vss, list_items(io, *res.vs, svc.ns, std::move(responses[next++])));
  }
  if (res.dr) {
    KMESH_ASSIGN_OR_RETURN(snap.drs, list_items(io, *res.dr, svc.ns, std::move(responses[next++])));
  }
  if (res.http_route) {
    auto listed = list_items(io, *res.http_route, svc.ns, std::move(responses[next++]));
    if (listed.ok()) snap.http_routes = std::move(*listed);
  }
  return snap;
}

// Writes the planned objects in order; a failure says which earlier writes landed.
Status write_all(Sender& io, const EditRequest& request,
                 const std::vector<const kube::ResourceInfo*>& infos,
                 const std::vector<Json>& lives, const std::vector<Desired>& desired,
                 EditReport& report) {
  for (size_t i = 0; i < infos.size(); ++i) {
    auto written = write_object(io, *infos[i], request.service.ns, request.service.name, lives[i],
                                desired[i], request);
    if (!written.ok()) {
      Error error = std::move(written).error();
      for (const auto& done : report.objects)
        if (done.kind == ObjectOutcome::Kind::kCreated ||
            done.kind == ObjectOutcome::Kind::kConfigured)
          error.message += "\n(" + done.display + " was already " + outcome_word(done.kind) +
                           "; running the command again completes the change)";
      return error;
    }
    report.objects.push_back(std::move(*written));
  }
  return {};
}

}  // namespace

Result<EditReport> edit_policy(kube::Client& client, kube::Discovery& discovery,
                               const EditRequest& request) {
  EditReport report;
  Sender io(client, &report);
  const ServiceRef& svc = request.service;
  KMESH_ASSIGN_OR_RETURN(auto res, resources_for(discovery, request));
  KMESH_ASSIGN_OR_RETURN(auto snap, read_snapshot(io, res, svc));
  if (request.vs_edit) report.warnings = routing_warnings(svc, snap.ns_object, snap.http_routes);

  // Choose the objects, and compute every edit before the first write: bad input fails here.
  Json live_vs, live_dr;
  if (res.vs) {
    KMESH_ASSIGN_OR_RETURN(const Json* found, pick_virtual_service(snap.vss, svc, request.gateway));
    if (found) live_vs = *found;
  }
  if (res.dr) {
    KMESH_ASSIGN_OR_RETURN(const Json* found, pick_destination_rule(snap.drs, svc));
    if (found) live_dr = *found;
  }
  const auto& dr_info = res.dr;
  const auto& vs_info = res.vs;
  Desired dr_desired = [&](const Json& live) -> Result<Json> {
    Json object = live.is_null() ? new_object(dr_info->api_version(), "DestinationRule", svc,
                                              {{"host", svc.name}})
                                 : live;
    Json spec = add_subsets(spec_copy(object), request.subsets, request.subset_label);
    if (request.dr_edit) {
      KMESH_ASSIGN_OR_RETURN(spec,
                             request.dr_edit(std::move(spec), RouteScope{svc, name_of(object)}));
    }
    object["spec"] = std::move(spec);
    return object;
  };
  Desired vs_desired = [&](const Json& live) -> Result<Json> {
    Json object = live.is_null() ? new_object(vs_info->api_version(), "VirtualService", svc,
                                              {{"hosts", Json::array({svc.name})}})
                                 : live;
    RouteScope scope{svc, name_of(object), !request.gateway.empty() && !hosts_service(object, svc)};
    KMESH_ASSIGN_OR_RETURN(object["spec"], request.vs_edit(spec_copy(object), scope));
    return object;
  };
  std::vector<ObjectOutcome> planned;
  std::vector<const kube::ResourceInfo*> infos;
  std::vector<Json> lives;
  std::vector<Desired> desired;
  auto plan = [&](const kube::ResourceInfo& info, const Json& live, const Desired& d) -> Status {
    KMESH_ASSIGN_OR_RETURN(auto o, preview_object(info, svc.name, live, d, request));
    planned.push_back(std::move(o));
    infos.push_back(&info);
    lives.push_back(live);
    desired.push_back(d);
    return {};
  };
  // The DestinationRule first, so the VirtualService never names a subset not yet defined.
  if (dr_info) {
    auto missing = missing_subsets(spec_copy(live_dr), request.subsets);
    if (!missing.empty()) KMESH_TRY(check_new_subsets(io, request, snap.service, missing));
    // A route command that needs no new subset leaves the DestinationRule alone.
    if (request.dr_edit || !missing.empty()) KMESH_TRY(plan(*dr_info, live_dr, dr_desired));
  }
  if (vs_info) KMESH_TRY(plan(*vs_info, live_vs, vs_desired));
  if (request.preview || request.dry_run == kube::DryRun::kClient) {
    report.objects = std::move(planned);
    return report;
  }
  KMESH_TRY(write_all(io, request, infos, lives, desired, report));
  return report;
}

Result<PolicyObjects> read_policy_objects(kube::Client& client, kube::Discovery& discovery,
                                          const std::string& ns) {
  Sender io(client, nullptr);
  KMESH_ASSIGN_OR_RETURN(auto vs_info, istio_resource(discovery, "VirtualService"));
  KMESH_ASSIGN_OR_RETURN(auto dr_info, istio_resource(discovery, "DestinationRule"));
  auto route_info = discovery.find_preferred(kGatewayApiGroup, "HTTPRoute");
  auto services = core_resource("Service", "services", true);
  auto namespaces = core_resource("Namespace", "namespaces", false);
  std::vector<kube::HttpRequest> reads = {
      list_request(services, ns), list_request(vs_info, ns), list_request(dr_info, ns),
      ns.empty() ? list_request(namespaces, "", "", kube::kAcceptMetadataList)
                 : get_request(kube::object_path(namespaces, "", ns), kube::kAcceptMetadata)};
  if (route_info) reads.push_back(list_request(*route_info, ns));
  auto responses = io.send(std::move(reads));
  PolicyObjects out;
  KMESH_ASSIGN_OR_RETURN(out.services, list_items(io, services, ns, std::move(responses[0])));
  KMESH_ASSIGN_OR_RETURN(out.virtual_services,
                         list_items(io, vs_info, ns, std::move(responses[1])));
  KMESH_ASSIGN_OR_RETURN(out.destination_rules,
                         list_items(io, dr_info, ns, std::move(responses[2])));
  if (responses[3].ok()) {  // only for warnings: unreadable namespaces are no failure
    Json got = Json::parse(responses[3].body, nullptr, false);
    if (got.is_object() && got.contains("items")) {
      for (const auto& n : got["items"])
        out.namespaces[name_of(n)] = n;
    } else if (got.is_object()) {
      out.namespaces[name_of(got)] = got;
    }
  }
  if (route_info) {
    auto listed = list_items(io, *route_info, ns, std::move(responses[4]));
    if (listed.ok()) out.http_routes = std::move(*listed);
  }
  return out;
}

}  // namespace kmesh::mesh::policy
