#pragma once
// API discovery: which kinds the server serves, at which resource paths, with which
// scope. Read once per run (aggregated discovery: two requests) and again when a command
// installs CRDs.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::kube {

class Client;

/// One served resource of one group version.
struct ResourceInfo {
  std::string group, version, kind;
  std::string resource;  ///< plural, as in the URL: "deployments"
  std::string singular;  ///< "deployment"
  bool namespaced = true;
  std::vector<std::string> short_names, verbs;

  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  /// kubectl's name for output lines: "deployment.apps", "configmap".
  std::string type_name() const;
};

/// Everything discovery returned.
struct ApiResources {
  std::vector<ResourceInfo> resources;
  std::map<std::string, std::string> preferred_version;  ///< group -> version
};

/// Parses /api and /apis answers in the aggregated format (apidiscovery.k8s.io/v2).
Result<ApiResources> parse_aggregated_discovery(const Json& api, const Json& apis);

/// Parses a legacy /api/v1 or /apis/GROUP/VERSION APIResourceList into resources.
std::vector<ResourceInfo> parse_resource_list(const Json& list);

/// Assembles legacy discovery (servers before 1.26): the /apis APIGroupList gives the
/// preferred versions, the APIResourceLists of /api/v1 and each group version the resources.
/// A pure function so the fallback can be tested on its documents: no server the tests can
/// run answers legacy discovery only.
ApiResources parse_legacy_discovery(const Json& group_list,
                                    const std::vector<Json>& resource_lists);

/// Lookups over what the server serves.
class Discovery {
 public:
  explicit Discovery(Client& client) : client_(&client) {}
  /// Lookups over documents already parsed, with no server to ask (load() keeps them): tests
  /// of the lookups feed recorded discovery answers this way instead of faking a server.
  explicit Discovery(ApiResources data) : data_(std::move(data)), loaded_(true) {}

  /// Reads discovery if not read yet, or again when `refresh`.
  Status load(bool refresh = false);

  /// The resource for an apiVersion and kind; nothing when the server does not serve it.
  std::optional<ResourceInfo> find_kind(const std::string& api_version, const std::string& kind);
  /// The resource for a kind at its group's preferred version.
  std::optional<ResourceInfo> find_preferred(const std::string& group, const std::string& kind);
  /// A resource named as users type it: "vs", "virtualservices", "deployments.apps".
  std::optional<ResourceInfo> find_name(const std::string& name);
  bool serves_group(const std::string& group);

 private:
  Status load_legacy();

  Client* client_ = nullptr;  ///< null: lookups over given data only
  ApiResources data_;
  bool loaded_ = false;
};

}  // namespace kmesh::kube
