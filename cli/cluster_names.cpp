#include "cli/cluster_names.hpp"

#include <cstdlib>

namespace kmesh::cli {
namespace {

std::vector<std::string> item_names(const Json& list) {
  std::vector<std::string> names;
  if (!list.contains("items") || !list["items"].is_array()) return names;
  for (const auto& item : list["items"]) {
    const Json* name = item.contains("metadata") ? &item["metadata"] : nullptr;
    if (name && name->contains("name") && (*name)["name"].is_string())
      names.push_back((*name)["name"].get<std::string>());
  }
  return names;
}

}  // namespace

std::chrono::milliseconds completion_request_timeout() {
  const char* text = std::getenv("KUBECTL_MESH_COMPLETION_TIMEOUT");
  if (!text) return kCompletionRequestTimeout;
  char* end = nullptr;
  long seconds = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || seconds < 1 || seconds > 60) return kCompletionRequestTimeout;
  return std::chrono::seconds(seconds);
}

LiveClusterNames::LiveClusterNames(kube::Environment env, kube::ClientOptions options)
    : env_(std::move(env)), options_(std::move(options)) {
  options_.request_timeout = completion_request_timeout();
  options_.env = env_;
  // The shell owns the terminal while completing: a credential plugin must not prompt.
  options_.exec.stdin_is_terminal = [] { return false; };
}

std::vector<std::string> LiveClusterNames::namespaces(const kube::Overrides& typed) {
  return list(typed, /*services=*/false);
}

std::vector<std::string> LiveClusterNames::services(const kube::Overrides& typed) {
  return list(typed, /*services=*/true);
}

std::vector<std::string> LiveClusterNames::list(const kube::Overrides& typed, bool services) {
  auto config = kube::load_rest_config(typed, env_);
  if (!config.ok()) return {};
  std::string path = "/api/v1/namespaces";
  if (services) path += "/" + kube::url_escape(config->namespace_) + "/services";
  auto client = kube::Client::connect(std::move(*config), options_);
  if (!client.ok()) return {};
  // Pages of 500, followed to the end (at most 20): names come back sorted, so a first page
  // alone would hide e.g. istio-system on a cluster with many namespaces.
  std::vector<std::string> names;
  std::string next;
  for (int page = 0; page < 20; ++page) {
    std::string query = "?limit=500";
    if (!next.empty()) query += "&continue=" + kube::url_escape(next);
    auto answer = (*client)->get_json(path + query, "listing names for completion");
    if (!answer.ok()) return names;
    for (auto& name : item_names(*answer))
      names.push_back(std::move(name));
    next = answer->contains("metadata") ? (*answer)["metadata"].value("continue", "") : "";
    if (next.empty()) break;
  }
  return names;
}

std::vector<std::string> LiveClusterNames::kubeconfig_names(const kube::Overrides& typed,
                                                            const std::string& kind) {
  auto config = kube::load_kubeconfig(typed, env_);
  if (!config.ok()) return {};
  std::vector<std::string> names;
  auto add_keys = [&names](const auto& map) {
    for (const auto& entry : map)
      names.push_back(entry.first);
  };
  if (kind == "context") add_keys(config->contexts);
  if (kind == "cluster") add_keys(config->clusters);
  if (kind == "user") add_keys(config->users);
  return names;
}

}  // namespace kmesh::cli
