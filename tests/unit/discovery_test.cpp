// lib/kube/discovery: aggregated and legacy discovery parsing and the lookups commands make,
// on a recorded /api and /apis answer; REST paths (lib/kube/paths). No server, real or fake:
// loading discovery from one is tested in tests/integration/discovery_test.cpp.

#include "lib/kube/discovery.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/strings.hpp"
#include "lib/kube/paths.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::kube {
namespace {

Json fixture(const std::string& name) {
  auto file = read_file(kmesh::testing::testdata("discovery/" + name));
  EXPECT_TRUE(file.ok) << name << ": " << file.error;
  return Json::parse(file.text);
}

// Lookups over the recorded answers, as a command makes them once discovery is loaded.
// Loading itself (the requests, their count, failures) is tested against the real server
// in tests/integration/discovery_test.cpp.
class Lookups : public ::testing::Test {
 protected:
  void SetUp() override {
    auto data = parse_aggregated_discovery(fixture("api.json"), fixture("apis.json"));
    ASSERT_TRUE(data.ok()) << data.error().message;
    discovery = std::make_unique<Discovery>(std::move(data).value());
  }

  std::unique_ptr<Discovery> discovery;
};

TEST_F(Lookups, ParsesEveryResourceButNoSubresources) {
  auto data = parse_aggregated_discovery(fixture("api.json"), fixture("apis.json"));
  ASSERT_TRUE(data.ok());
  std::vector<std::string> names;
  for (const auto& r : data->resources)
    names.push_back(r.resource + "." + r.api_version());
  EXPECT_EQ(join(names, " "),
            "configmaps.v1 events.v1 namespaces.v1 pods.v1 serviceaccounts.v1 services.v1"
            " deployments.apps/v1 replicasets.apps/v1 statefulsets.apps/v1"
            " events.events.k8s.io/v1"
            " horizontalpodautoscalers.autoscaling/v2 horizontalpodautoscalers.autoscaling/v1"
            " customresourcedefinitions.apiextensions.k8s.io/v1"
            " gateways.gateway.networking.k8s.io/v1 httproutes.gateway.networking.k8s.io/v1"
            " destinationrules.networking.istio.io/v1 gateways.networking.istio.io/v1"
            " virtualservices.networking.istio.io/v1 destinationrules.networking.istio.io/v1beta1"
            " gateways.networking.istio.io/v1beta1 virtualservices.networking.istio.io/v1beta1"
            " envoyfilters.networking.istio.io/v1alpha3"
            " virtualservices.networking.istio.io/v1alpha3");
  EXPECT_EQ(data->preferred_version,
            (std::map<std::string, std::string>{{"", "v1"},
                                                {"apps", "v1"},
                                                {"events.k8s.io", "v1"},
                                                {"autoscaling", "v2"},
                                                {"apiextensions.k8s.io", "v1"},
                                                {"gateway.networking.k8s.io", "v1"},
                                                {"networking.istio.io", "v1"}}));
}

TEST_F(Lookups, ResourceFieldsComeFromDiscovery) {
  auto ns = discovery->find_kind("v1", "Namespace");
  ASSERT_TRUE(ns);
  EXPECT_FALSE(ns->namespaced);
  EXPECT_EQ(ns->resource, "namespaces");
  EXPECT_EQ(ns->singular, "namespace");
  EXPECT_EQ(ns->short_names, std::vector<std::string>{"ns"});
  auto deploy = discovery->find_kind("apps/v1", "Deployment");
  ASSERT_TRUE(deploy);
  EXPECT_TRUE(deploy->namespaced);
  EXPECT_EQ(deploy->group, "apps");
  EXPECT_EQ(deploy->version, "v1");
  EXPECT_EQ(deploy->verbs.size(), 8u);
}

struct KindCase {
  const char* api_version;
  const char* kind;
  const char* found;  // "resource.apiVersion", or nullptr
};

class FindKind : public Lookups, public ::testing::WithParamInterface<KindCase> {};

TEST_P(FindKind, MatchesApiVersionAndKindExactly) {
  const auto& c = GetParam();
  auto r = discovery->find_kind(c.api_version, c.kind);
  if (!c.found) {
    EXPECT_FALSE(r) << "found " << r->resource;
    return;
  }
  ASSERT_TRUE(r) << c.api_version << " " << c.kind;
  EXPECT_EQ(r->resource + "." + r->api_version(), c.found);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FindKind,
    ::testing::Values(KindCase{"v1", "ConfigMap", "configmaps.v1"},
                      KindCase{"apps/v1", "Deployment", "deployments.apps/v1"},
                      KindCase{"networking.istio.io/v1beta1", "VirtualService",
                               "virtualservices.networking.istio.io/v1beta1"},
                      KindCase{"networking.istio.io/v1alpha3", "EnvoyFilter",
                               "envoyfilters.networking.istio.io/v1alpha3"},
                      KindCase{"events.k8s.io/v1", "Event", "events.events.k8s.io/v1"},
                      KindCase{"v1", "Event", "events.v1"},
                      KindCase{"apps/v1beta1", "Deployment", nullptr},
                      KindCase{"v1", "Deployment", nullptr},
                      KindCase{"apps/v1", "deployment", nullptr},  // kinds are case-sensitive
                      KindCase{"networking.istio.io/v1", "EnvoyFilter", nullptr},
                      KindCase{"security.istio.io/v1", "AuthorizationPolicy", nullptr}));

struct PreferredCase {
  const char* group;
  const char* kind;
  const char* found;
};

class FindPreferred : public Lookups, public ::testing::WithParamInterface<PreferredCase> {};

TEST_P(FindPreferred, UsesThePreferredVersionWhenItServesTheKind) {
  const auto& c = GetParam();
  auto r = discovery->find_preferred(c.group, c.kind);
  if (!c.found) {
    EXPECT_FALSE(r) << "found " << r->api_version();
    return;
  }
  ASSERT_TRUE(r) << c.group << " " << c.kind;
  EXPECT_EQ(r->api_version(), c.found);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FindPreferred,
    ::testing::Values(
        PreferredCase{"", "Pod", "v1"}, PreferredCase{"apps", "Deployment", "apps/v1"},
        PreferredCase{"autoscaling", "HorizontalPodAutoscaler", "autoscaling/v2"},
        PreferredCase{"networking.istio.io", "VirtualService", "networking.istio.io/v1"},
        // only served at an older version
        PreferredCase{"networking.istio.io", "EnvoyFilter", "networking.istio.io/v1alpha3"},
        PreferredCase{"apps", "Pod", nullptr},
        PreferredCase{"security.istio.io", "PeerAuthentication", nullptr}));

struct NameCase {
  const char* name;
  const char* found;  // "resource.apiVersion", or nullptr
};

class FindName : public Lookups, public ::testing::WithParamInterface<NameCase> {};

TEST_P(FindName, ResolvesWhatUsersTypeAsKubectlDoes) {
  const auto& c = GetParam();
  auto r = discovery->find_name(c.name);
  if (!c.found) {
    EXPECT_FALSE(r) << c.name << " found " << r->resource << "." << r->api_version();
    return;
  }
  ASSERT_TRUE(r) << c.name;
  EXPECT_EQ(r->resource + "." + r->api_version(), c.found) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, FindName,
    ::testing::Values(
        NameCase{"deployments", "deployments.apps/v1"},
        NameCase{"deployment", "deployments.apps/v1"}, NameCase{"deploy", "deployments.apps/v1"},
        NameCase{"Deployment", "deployments.apps/v1"},
        NameCase{"DEPLOYMENTS", "deployments.apps/v1"},
        NameCase{"deployments.apps", "deployments.apps/v1"},
        NameCase{"deployment.apps", "deployments.apps/v1"},
        NameCase{"deploy.apps", "deployments.apps/v1"}, NameCase{"deployments.extensions", nullptr},
        NameCase{"cm", "configmaps.v1"}, NameCase{"configmap", "configmaps.v1"},
        NameCase{"ns", "namespaces.v1"},
        NameCase{"hpa", "horizontalpodautoscalers.autoscaling/v2"},  // the preferred version
        NameCase{"vs", "virtualservices.networking.istio.io/v1"},
        NameCase{"virtualservices.networking.istio.io", "virtualservices.networking.istio.io/v1"},
        NameCase{"envoyfilter", "envoyfilters.networking.istio.io/v1alpha3"},
        NameCase{"crd", "customresourcedefinitions.apiextensions.k8s.io/v1"},
        NameCase{"crds", "customresourcedefinitions.apiextensions.k8s.io/v1"},
        // Served by two groups: the first group discovery lists wins, as in kubectl.
        NameCase{"events", "events.v1"}, NameCase{"ev", "events.v1"},
        NameCase{"events.events.k8s.io", "events.events.k8s.io/v1"},
        NameCase{"gateways", "gateways.gateway.networking.k8s.io/v1"},
        NameCase{"gateways.networking.istio.io", "gateways.networking.istio.io/v1"},
        NameCase{"gw", "gateways.networking.istio.io/v1"}, NameCase{"status", nullptr},
        NameCase{"pods/log", nullptr}, NameCase{"", nullptr}, NameCase{"nonsense", nullptr}));

TEST_F(Lookups, ServesGroup) {
  EXPECT_TRUE(discovery->serves_group(""));
  EXPECT_TRUE(discovery->serves_group("networking.istio.io"));
  EXPECT_FALSE(discovery->serves_group("security.istio.io"));
}

struct TypeNameCase {
  const char* api_version;
  const char* kind;
  const char* type_name;
};

class TypeName : public Lookups, public ::testing::WithParamInterface<TypeNameCase> {};

TEST_P(TypeName, IsWhatKubectlPrints) {
  auto r = discovery->find_kind(GetParam().api_version, GetParam().kind);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type_name(), GetParam().type_name);
}

INSTANTIATE_TEST_SUITE_P(
    Table, TypeName,
    ::testing::Values(TypeNameCase{"apps/v1", "Deployment", "deployment.apps"},
                      TypeNameCase{"v1", "ConfigMap", "configmap"},
                      TypeNameCase{"v1", "Namespace", "namespace"},
                      TypeNameCase{"networking.istio.io/v1", "VirtualService",
                                   "virtualservice.networking.istio.io"},
                      TypeNameCase{"apiextensions.k8s.io/v1", "CustomResourceDefinition",
                                   "customresourcedefinition.apiextensions.k8s.io"}));

TEST(TypeName, FallsBackToTheLowerCaseKind) {
  ResourceInfo r;
  r.group = "example.com";
  r.kind = "Widget";
  EXPECT_EQ(r.type_name(), "widget.example.com");
}

TEST(ParseAggregatedDiscovery, RejectsOtherDocuments) {
  auto r = parse_aggregated_discovery(Json::parse(R"({"kind": "APIVersions", "versions": ["v1"]})"),
                                      fixture("apis.json"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "the server does not answer aggregated discovery");
}

TEST(ParseResourceList, ReadsALegacyGroupVersion) {
  auto found = parse_resource_list(Json::parse(R"({
    "kind": "APIResourceList", "groupVersion": "apps/v1",
    "resources": [
      {"name": "deployments", "singularName": "deployment", "namespaced": true, "kind": "Deployment",
       "verbs": ["get", "patch"], "shortNames": ["deploy"]},
      {"name": "deployments/scale", "singularName": "", "namespaced": true, "kind": "Scale"},
      {"name": "controllerrevisions", "singularName": "", "namespaced": true,
       "kind": "ControllerRevision"}]})"));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].api_version(), "apps/v1");
  EXPECT_EQ(found[0].resource, "deployments");
  EXPECT_EQ(found[0].short_names, std::vector<std::string>{"deploy"});
  EXPECT_EQ(found[1].singular, "controllerrevision");  // empty singularName: the lower-case kind
  auto core = parse_resource_list(Json::parse(R"({"groupVersion": "v1", "resources": [
      {"name": "namespaces", "singularName": "namespace", "namespaced": false, "kind": "Namespace"}]})"));
  ASSERT_EQ(core.size(), 1u);
  EXPECT_EQ(core[0].api_version(), "v1");
  EXPECT_EQ(core[0].group, "");
  EXPECT_FALSE(core[0].namespaced);
}

// The fallback for servers without aggregated discovery (before Kubernetes 1.26) is tested
// on its documents only: the real control plane of the integration tests (1.33+) always
// answers aggregated discovery, so no test can make Discovery::load take that path.
TEST(ParseLegacyDiscovery, AssemblesTheGroupListAndTheResourceLists) {
  Json groups = Json::parse(R"({"kind": "APIGroupList", "groups": [{"name": "apps",
      "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
      "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]})");
  std::vector<Json> lists = {
      Json::parse(R"({"groupVersion": "v1", "resources": [{"name": "pods", "singularName": "pod",
          "namespaced": true, "kind": "Pod", "shortNames": ["po"]}]})"),
      Json::parse("not json", nullptr, false),  // skipped, as an unreadable answer is
      Json::parse(R"({"groupVersion": "apps/v1", "resources": [{"name": "deployments",
          "singularName": "deployment", "namespaced": true, "kind": "Deployment"}]})")};
  Discovery d(parse_legacy_discovery(groups, lists));
  ASSERT_TRUE(d.load().ok());  // given data: nothing to read
  ASSERT_TRUE(d.find_name("po"));
  EXPECT_EQ(d.find_name("po")->api_version(), "v1");
  ASSERT_TRUE(d.find_name("deployments.apps"));
  EXPECT_EQ(d.find_name("deployments.apps")->api_version(), "apps/v1");
  EXPECT_TRUE(d.serves_group(""));
  EXPECT_TRUE(d.serves_group("apps"));
  EXPECT_FALSE(d.serves_group("batch"));
}

// ---- REST paths ----

TEST(Paths, CollectionAndObjectPaths) {
  ResourceInfo cm{"", "v1", "ConfigMap", "configmaps", "configmap", true, {}, {}};
  ResourceInfo ns{"", "v1", "Namespace", "namespaces", "namespace", false, {}, {}};
  ResourceInfo vs{"networking.istio.io",
                  "v1",
                  "VirtualService",
                  "virtualservices",
                  "virtualservice",
                  true,
                  {},
                  {}};
  EXPECT_EQ(collection_path(cm, "default"), "/api/v1/namespaces/default/configmaps");
  EXPECT_EQ(collection_path(cm, ""), "/api/v1/configmaps");  // all namespaces
  EXPECT_EQ(collection_path(ns, "ignored"), "/api/v1/namespaces");
  EXPECT_EQ(object_path(vs, "bookstore", "reviews"),
            "/apis/networking.istio.io/v1/namespaces/bookstore/virtualservices/reviews");
  EXPECT_EQ(object_path(ns, "", "istio-system"), "/api/v1/namespaces/istio-system");
  EXPECT_EQ(object_path(cm, "a b", "x/y"), "/api/v1/namespaces/a%20b/configmaps/x%2Fy");
}

}  // namespace
}  // namespace kmesh::kube
