// lib/mesh/policy/host_match and select: which object and which route a command edits.

#include <gtest/gtest.h>

#include "lib/mesh/policy/select.hpp"
#include "tests/unit/policy_fixtures.hpp"

namespace kmesh::mesh::policy {
namespace {

using testing::policy_fixture;
using testing::policy_object;

const ServiceRef kReviews{"reviews", "bookstore"};

TEST(HostMatch, NamesOfTheService) {
  struct Case {
    const char* host;
    const char* rule_ns;
    bool want;
  };
  const Case cases[] = {
      {"reviews", "bookstore", true},
      {"reviews", "other", false},  // a short name is read in the rule's namespace
      {"reviews.bookstore", "other", true},
      {"reviews.bookstore.svc", "bookstore", true},
      {"reviews.bookstore.svc.cluster.local", "bookstore", true},
      {"reviews.bookstore.svc.cluster.local.", "bookstore", true},
      {"Reviews.Bookstore.svc.cluster.local", "bookstore", true},
      {"reviews.other.svc.cluster.local", "bookstore", false},
      {"reviews.bookstore.svc.example.org", "bookstore", false},
      {"reviewsx", "bookstore", false},
      {"*", "bookstore", false},
      {"*.bookstore.svc.cluster.local", "bookstore", false},
      {"", "bookstore", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(host_is_service(c.host, kReviews, c.rule_ns), c.want)
        << c.host << " in " << c.rule_ns;
}

TEST(PickVirtualService, TheMeshOneByHost) {
  auto all = policy_fixture("namespace.yaml");
  auto got = pick_virtual_service(all, kReviews, "");
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_NE(*got, nullptr);
  EXPECT_EQ((**got)["metadata"]["name"], "reviews");  // not reviews-edge, bound to a gateway only

  auto ratings = pick_virtual_service(all, {"ratings", "bookstore"}, "");
  ASSERT_TRUE(ratings.ok());
  ASSERT_NE(*ratings, nullptr);
  EXPECT_EQ((**ratings)["metadata"]["name"], "ratings");  // gateways [mesh, ...] count as mesh

  auto none = pick_virtual_service(all, {"productpage", "bookstore"}, "");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);  // to be created
}

TEST(PickVirtualService, MoreThanOneIsAUsageErrorListingThem) {
  auto got = pick_virtual_service(policy_fixture("namespace.yaml"), {"details", "bookstore"}, "");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind, ErrorKind::kUsage);
  EXPECT_NE(got.error().message.find(
                "more than one VirtualService in bookstore routes details.bookstore inside the"
                " mesh: details-a, details-b"),
            std::string::npos)
      << got.error().message;
}

TEST(PickVirtualService, GatewayBound) {
  auto all = policy_fixture("namespace.yaml");
  auto edge = pick_virtual_service(all, kReviews, "edge");
  ASSERT_TRUE(edge.ok());
  ASSERT_NE(*edge, nullptr);
  EXPECT_EQ((**edge)["metadata"]["name"], "reviews-edge");  // routes to reviews, host is external
  auto qualified = pick_virtual_service(all, kReviews, "bookstore/edge");
  ASSERT_TRUE(qualified.ok());
  EXPECT_NE(*qualified, nullptr);
  auto public_gw = pick_virtual_service(all, {"ratings", "bookstore"}, "istio-system/public");
  ASSERT_TRUE(public_gw.ok());
  EXPECT_NE(*public_gw, nullptr);
  auto wrong_ns =
      pick_virtual_service(all, {"ratings", "bookstore"}, "public");  // public of bookstore
  ASSERT_FALSE(wrong_ns.ok());
  EXPECT_NE(
      wrong_ns.error().message.find("no VirtualService in bookstore is bound to gateway public"),
      std::string::npos);

  std::vector<Json> bookstore = {policy_object("bookstore-vs.yaml")};
  auto account =
      pick_virtual_service(bookstore, {"account", "bookstore-servicemesh"}, "bookstore-gateway");
  ASSERT_TRUE(account.ok());
  EXPECT_NE(*account, nullptr);
  auto mesh = pick_virtual_service(bookstore, {"account", "bookstore-servicemesh"}, "");
  ASSERT_TRUE(mesh.ok());
  EXPECT_EQ(*mesh, nullptr) << "the gateway VirtualService is not the mesh one";
}

TEST(PickDestinationRule, ByHost) {
  auto all = policy_fixture("destination-rules.yaml");
  auto got = pick_destination_rule(all, kReviews);
  ASSERT_TRUE(got.ok());
  ASSERT_NE(*got, nullptr);
  EXPECT_EQ((**got)["metadata"]["name"], "reviews");
  auto none = pick_destination_rule(all, {"ratings", "bookstore"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  auto two = pick_destination_rule(all, {"details", "bookstore"});
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().kind, ErrorKind::kUsage);
  EXPECT_NE(two.error().message.find(
                "more than one DestinationRule in bookstore has the host details.bookstore:"
                " details-1, details-2"),
            std::string::npos)
      << two.error().message;
}

TEST(LocateRoute, SelectorsOnAMeshVirtualService) {
  Json spec = policy_object("reviews-vs.yaml")["spec"];
  RouteScope scope{kReviews, "reviews", false};
  struct Case {
    RouteSelector selector;
    int want;  ///< -1: a usage error containing `message`
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, 1, ""},  // the default route: the one without a match
      {{"beta", std::nullopt}, 0, ""},
      {{std::nullopt, 0}, 0, ""},
      {{std::nullopt, 1}, 1, ""},
      {{std::nullopt, 2},
       -1,
       "--route-index 2: virtualservice \"reviews\" in bookstore has 2 routes (0 to 1):\n"
       "  0 (beta): uri prefix /beta -> reviews.bookstore.svc.cluster.local:9080/v2\n"
       "  1: default route -> reviews.bookstore.svc.cluster.local:9080/v1"},
      {{"gamma", std::nullopt},
       -1,
       "virtualservice \"reviews\" in bookstore has no route named \"gamma\"; its routes:"},
  };
  for (const auto& c : cases) {
    Json s = spec;
    auto got = locate_route(s, c.selector, scope);
    if (c.want >= 0) {
      ASSERT_TRUE(got.ok()) << got.error().message;
      EXPECT_EQ(*got, static_cast<size_t>(c.want));
      EXPECT_EQ(s, spec) << "locating must not change a spec that has routes";
    } else {
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.error().kind, ErrorKind::kUsage);
      EXPECT_NE(got.error().message.find(c.message), std::string::npos) << got.error().message;
    }
  }
}

TEST(LocateRoute, NoDefaultRouteNeedsASelector) {
  Json spec = policy_object("reviews-vs.yaml")["spec"];
  spec["http"].erase(1);
  auto got = locate_route(spec, {}, {kReviews, "reviews", false});
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find(
                "has no default route (every route has a match); pick one with --route-index"),
            std::string::npos);
}

TEST(LocateRoute, EmptySpecGetsADefaultRoute) {
  Json spec = {{"hosts", {"reviews"}}};
  auto got = locate_route(spec, {}, {kReviews, "reviews", false});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 0u);
  EXPECT_EQ(spec["http"], Json::parse(R"([{"route": [{"destination": {"host": "reviews"}}]}])"));
}

TEST(LocateRoute, GatewayRouteMustSendTrafficToTheService) {
  Json spec = policy_object("bookstore-vs.yaml")["spec"];
  RouteScope scope{{"account", "bookstore-servicemesh"}, "bookstore", true};
  auto by_default = locate_route(spec, {}, scope);  // the default route goes to frontend
  ASSERT_FALSE(by_default.ok());
  EXPECT_NE(by_default.error().message.find(
                "route 2 of virtualservice \"bookstore\" in bookstore-servicemesh does not"
                " send traffic to account.bookstore-servicemesh; pick one of the routes"
                " that do with --route-index:\n  0: uri prefix /restful/accounts"),
            std::string::npos)
      << by_default.error().message;
  auto by_index = locate_route(spec, {std::nullopt, 0}, scope);
  ASSERT_TRUE(by_index.ok());
  EXPECT_EQ(*by_index, 0u);
}

TEST(RoutingWarnings, HttpRouteAndAmbient) {
  Json route = Json::parse(R"({"metadata": {"name": "reviews-route", "namespace": "bookstore"},
    "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}]}})");
  Json other = Json::parse(R"({"metadata": {"name": "to-gateway", "namespace": "bookstore"},
    "spec": {"parentRefs": [{"name": "public"}], "rules": [{"backendRefs": [{"name": "reviews"}]}]}})");
  Json ambient = Json::parse(
      R"({"metadata": {"name": "bookstore", "labels": {"istio.io/dataplane-mode": "ambient"}}})");
  auto warnings = routing_warnings(kReviews, ambient, {route, other});
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find(
                "HTTPRoute reviews-route (Gateway API) is attached to service reviews.bookstore"),
            std::string::npos);
  EXPECT_NE(warnings[0].find("the VirtualService may not be what routes its traffic"),
            std::string::npos);
  EXPECT_NE(warnings[1].find("namespace bookstore is in ambient mode"), std::string::npos);
  EXPECT_TRUE(routing_warnings(kReviews, Json(), {other}).empty())
      << "a Gateway-bound HTTPRoute does not govern the Service";
}

TEST(Describe, MatchesAndDestinations) {
  Json spec = policy_object("bookstore-vs.yaml")["spec"];
  EXPECT_EQ(describe_match(spec["http"][1]),
            "uri prefix /restful/pay | uri prefix /restful/settlements");
  EXPECT_EQ(describe_match(spec["http"][2]), "");
  EXPECT_EQ(describe_destinations(spec["http"][2]), "frontend:80/v1");
  Json weighted =
      Json::parse(R"({"route": [{"destination": {"host": "r", "subset": "v1"}, "weight": 90},
                                            {"destination": {"host": "r", "subset": "v2"}, "weight": 10}]})");
  EXPECT_EQ(describe_destinations(weighted), "r/v1 90%, r/v2 10%");
}

}  // namespace
}  // namespace kmesh::mesh::policy
