// lib/kube/discovery: aggregated discovery parsing and the lookups commands make, on a
// recorded /api and /apis answer; REST paths (lib/kube/paths).

#include "lib/kube/discovery.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/strings.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/paths.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::kube {
namespace {

Json fixture(const std::string& name) {
  auto file = read_file(kmesh::testing::testdata("discovery/" + name));
  EXPECT_TRUE(file.ok) << name << ": " << file.error;
  return Json::parse(file.text);
}

/// Answers requests from a table of path -> response, and records what was asked.
class FakeTransport : public HttpTransport {
 public:
  FakeTransport(std::map<std::string, HttpResponse> answers, std::vector<HttpRequest>* sent)
      : answers_(std::move(answers)), sent_(sent) {}
  std::vector<HttpResponse> perform(const std::vector<HttpRequest>& requests) override {
    std::vector<HttpResponse> out;
    for (const auto& r : requests) {
      sent_->push_back(r);
      auto it = answers_.find(r.path);
      if (it != answers_.end()) {
        out.push_back(it->second);
      } else {
        HttpResponse missing;
        missing.status = 404;
        out.push_back(missing);
      }
    }
    return out;
  }

 private:
  std::map<std::string, HttpResponse> answers_;
  std::vector<HttpRequest>* sent_;
};

HttpResponse ok(const std::string& body) {
  HttpResponse r;
  r.status = 200;
  r.body = body;
  return r;
}

std::unique_ptr<Client> fake_client(std::map<std::string, HttpResponse> answers,
                                    std::vector<HttpRequest>* sent) {
  RestConfig rc;
  rc.server = "https://127.0.0.1:6443";
  rc.cluster_name = "test";
  ClientOptions options;
  options.make_transport = [answers, sent](TransportSettings) {
    return std::make_unique<FakeTransport>(answers, sent);
  };
  options.env.getenv = [](const std::string&) { return std::nullopt; };
  auto client = Client::connect(rc, options);
  EXPECT_TRUE(client.ok());
  return std::move(client).value();
}

class Lookups : public ::testing::Test {
 protected:
  void SetUp() override {
    client = fake_client({}, &sent);
    discovery = std::make_unique<Discovery>(*client);
    auto data = parse_aggregated_discovery(fixture("api.json"), fixture("apis.json"));
    ASSERT_TRUE(data.ok()) << data.error().message;
    discovery->set(std::move(data).value());
  }

  std::vector<HttpRequest> sent;
  std::unique_ptr<Client> client;
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

// ---- loading through the client ----

TEST(DiscoveryLoad, AsksForAggregatedDiscoveryOnce) {
  std::vector<HttpRequest> sent;
  auto client = fake_client(
      {{"/api", ok(fixture("api.json").dump())}, {"/apis", ok(fixture("apis.json").dump())}},
      &sent);
  Discovery d(*client);
  ASSERT_TRUE(d.load().ok());
  ASSERT_TRUE(d.load().ok());
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& r : sent) {
    std::string accept;
    for (const auto& [name, value] : r.headers)
      if (name == "Accept") accept = value;
    EXPECT_EQ(
        accept,
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
  }
  EXPECT_TRUE(d.find_name("vs"));
  ASSERT_TRUE(d.load(/*refresh=*/true).ok());
  EXPECT_EQ(sent.size(), 4u);
}

TEST(DiscoveryLoad, FallsBackToLegacyDiscovery) {
  std::vector<HttpRequest> sent;
  auto client = fake_client(
      {{"/api", ok(R"({"kind": "APIVersions", "versions": ["v1"]})")},
       {"/apis", ok(R"({"kind": "APIGroupList", "groups": [{"name": "apps",
                        "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                        "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]})")},
       {"/api/v1",
        ok(R"({"groupVersion": "v1", "resources": [{"name": "pods", "singularName": "pod",
                          "namespaced": true, "kind": "Pod", "shortNames": ["po"]}]})")},
       {"/apis/apps/v1", ok(R"({"groupVersion": "apps/v1", "resources": [{"name": "deployments",
                                "singularName": "deployment", "namespaced": true, "kind": "Deployment"}]})")}},
      &sent);
  Discovery d(*client);
  auto st = d.load();
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_TRUE(d.find_name("po"));
  EXPECT_EQ(d.find_name("deployments.apps")->api_version(), "apps/v1");
  EXPECT_TRUE(d.serves_group("apps"));
}

TEST(DiscoveryLoad, AFailureNamesWhatWasBeingDone) {
  std::vector<HttpRequest> sent;
  HttpResponse refused;
  refused.failure = TransportFailure::kConnect;
  refused.transport_error = "Connection refused";
  auto client = fake_client({{"/api", refused}, {"/apis", refused}}, &sent);
  Discovery d(*client);
  auto st = d.load();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kCluster);
  EXPECT_EQ(st.error().message,
            "discovering the server's APIs: cannot connect to https://127.0.0.1:6443 (kubeconfig"
            " cluster \"test\"): Connection refused; is the cluster running and the kubeconfig"
            " current?");
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
