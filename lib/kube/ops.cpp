#include "lib/kube/ops.hpp"

#include <thread>

#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kube/paths.hpp"

namespace kmesh::kube {

std::string ObjectRef::display() const {
  return resource.type_name() + "/" + name + (ns.empty() ? "" : " in " + ns);
}

namespace {

HttpRequest list_request(const ListCall& call, const std::string& cont) {
  HttpRequest req;
  req.path = collection_path(call.resource, call.ns) + "?limit=500";
  if (!call.label_selector.empty()) req.path += "&labelSelector=" + url_escape(call.label_selector);
  if (!cont.empty()) req.path += "&continue=" + url_escape(cont);
  if (call.metadata_only) req.headers = {{"Accept", kAcceptMetadataList}};
  return req;
}

// The items of a list answer and of its further pages.
Result<std::vector<Json>> read_pages(Client& client, const ListCall& call, HttpResponse resp) {
  const ResourceInfo& resource = call.resource;
  std::vector<Json> out;
  while (true) {
    if (resp.status == 404) return out;  // the namespace or the resource is not there
    if (!resp.ok())
      return client.error(
          resp, "listing " + resource.resource + (call.ns.empty() ? "" : " in " + call.ns));
    Json list = Json::parse(resp.body, nullptr, false);
    if (list.is_discarded())
      return cluster_error("listing " + resource.resource + ": answer is not JSON");
    for (auto& item : list.value("items", Json::array())) {
      // Items of a list carry no apiVersion and kind; put them back for callers.
      if (!item.contains("kind")) {
        item["kind"] = resource.kind;
        item["apiVersion"] = resource.api_version();
      }
      out.push_back(std::move(item));
    }
    std::string next = list.contains("metadata") ? list["metadata"].value("continue", "") : "";
    if (next.empty()) return out;
    resp = client.send(list_request(call, next));
  }
}

}  // namespace

std::vector<Result<std::vector<Json>>> list_objects_parallel(Client& client,
                                                             const std::vector<ListCall>& calls) {
  std::vector<Result<std::vector<Json>>> out;
  if (calls.empty()) return out;
  std::vector<HttpRequest> requests;
  for (const auto& call : calls)
    requests.push_back(list_request(call, ""));
  auto responses = client.send(std::move(requests));
  for (size_t i = 0; i < calls.size(); ++i)
    out.push_back(read_pages(client, calls[i], std::move(responses[i])));
  return out;
}

Result<std::vector<Json>> list_objects(Client& client, const ResourceInfo& resource,
                                       const std::string& ns, const std::string& label_selector,
                                       bool metadata_only) {
  return std::move(
      list_objects_parallel(client, {{resource, ns, label_selector, metadata_only}}).front());
}

std::vector<HttpResponse> send_in_chunks(
    Client& client, std::vector<HttpRequest> requests,
    const std::function<void(size_t done, size_t total)>& on_progress, size_t chunk) {
  if (chunk == 0 || requests.size() <= chunk) return client.send(std::move(requests));
  std::vector<HttpResponse> responses;
  responses.reserve(requests.size());
  for (size_t start = 0; start < requests.size(); start += chunk) {
    size_t end = std::min(requests.size(), start + chunk);
    std::vector<HttpRequest> part(std::make_move_iterator(requests.begin() + start),
                                  std::make_move_iterator(requests.begin() + end));
    for (auto& r : client.send(std::move(part)))
      responses.push_back(std::move(r));
    on_progress(end, requests.size());
  }
  return responses;
}

Result<std::optional<Json>> get_object(Client& client, const ResourceInfo& resource,
                                       const std::string& ns, const std::string& name) {
  HttpRequest req;
  req.path = object_path(resource, ns, name);
  auto resp = client.send(req);
  if (resp.status == 404) return std::optional<Json>();
  if (!resp.ok()) return client.error(resp, "reading " + resource.type_name() + "/" + name);
  Json j = Json::parse(resp.body, nullptr, false);
  if (j.is_discarded()) return cluster_error("reading " + name + ": answer is not JSON");
  return std::optional<Json>(std::move(j));
}

Status delete_objects(Client& client, const std::vector<ObjectRef>& refs, bool dry_run,
                      std::chrono::milliseconds timeout) {
  if (refs.empty()) return {};
  std::vector<HttpRequest> requests;
  for (const auto& r : refs) {
    HttpRequest req;
    req.method = "DELETE";
    req.path = object_path(r.resource, r.ns, r.name) + (dry_run ? "?dryRun=All" : "");
    req.headers = {{"Content-Type", "application/json"}};
    req.body = R"({"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"})";
    requests.push_back(std::move(req));
  }
  auto responses = client.send(requests);
  std::vector<std::string> failures;
  std::vector<size_t> waiting;
  for (size_t i = 0; i < refs.size(); ++i) {
    if (responses[i].ok())
      waiting.push_back(i);
    else if (responses[i].status != 404)
      failures.push_back(client.describe(responses[i], "deleting " + refs[i].display()));
  }
  if (!failures.empty()) return cluster_error(join(failures, "\n"));
  if (dry_run) return {};
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!waiting.empty()) {
    std::vector<HttpRequest> gets;
    for (size_t i : waiting) {
      HttpRequest g;
      g.path = object_path(refs[i].resource, refs[i].ns, refs[i].name);
      g.headers = {{"Accept", kAcceptMetadata}};
      gets.push_back(std::move(g));
    }
    auto answers = client.send(gets);
    std::vector<size_t> still;
    for (size_t k = 0; k < waiting.size(); ++k) {
      if (answers[k].status == 404) continue;
      if (!answers[k].ok())
        return client.error(answers[k], "waiting for " + refs[waiting[k]].display() + " to go");
      still.push_back(waiting[k]);
    }
    waiting = std::move(still);
    if (waiting.empty()) break;
    if (std::chrono::steady_clock::now() > deadline) {
      std::vector<std::string> names;
      for (size_t i : waiting)
        names.push_back(refs[i].display());
      return cluster_error("still not gone after the timeout: " + join(names, ", "));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return {};
}

}  // namespace kmesh::kube
