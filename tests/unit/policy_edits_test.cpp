// lib/mesh/policy/edits: each command's edit on fixtures, compared with golden files
// (testdata/policy/golden), and the flag checks in front of them.

#include <gtest/gtest.h>

#include <functional>

#include "lib/mesh/policy/editor.hpp"
#include "lib/mesh/policy/edits.hpp"
#include "tests/unit/policy_fixtures.hpp"

namespace kmesh::mesh::policy {
namespace {

using testing::expect_golden;
using testing::policy_fixture;
using testing::policy_object;

const ServiceRef kReviews{"reviews", "bookstore"};

RouteEdit route_edit(std::function<Json(Json, const Destination&, const RouteScope&)> f) {
  return [f](Json r, const Destination& d, const RouteScope& s) -> Result<Json> {
    return f(std::move(r), d, s);
  };
}

std::vector<SubsetWeight> weights(const std::string& text, const ServiceRef& svc = kReviews) {
  auto w = parse_weights(text, svc);
  EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
  return w.ok() ? *w : std::vector<SubsetWeight>{};
}

// Every edit of a VirtualService route, on the user-written reviews VirtualService:
// golden files hold the whole resulting spec, so a change to any other field shows.
TEST(VirtualServiceEdits, Golden) {
  RetrySettings retries{3, "2s", "5xx,reset"};
  FaultSettings fault{"5s", 10, 503, 0.5};
  MatchRoute jason{Json::parse(R"({"headers": {"end-user": {"exact": "jason"}}})"), "jason", "v2"};
  MatchRoute beta_again{Json::parse(R"({"uri": {"prefix": "/beta2"}})"), "beta", "v3"};
  struct Case {
    std::string golden;
    SpecEdit edit;
  };
  std::vector<Case> cases = {
      {"weights-default-route",
       on_route({}, route_edit([&](Json r, const Destination& d, const RouteScope& s) {
                  return set_weights(std::move(r), weights("v1=90,v2=10"), d, s.service,
                                     s.service.ns);
                }))},
      {"retries-default-route",
       on_route({}, route_edit([&](Json r, const Destination&, const RouteScope&) {
                  return set_retries(std::move(r), retries);
                }))},
      {"retries-named-route",
       on_route({"beta", std::nullopt},
                route_edit([&](Json r, const Destination&, const RouteScope&) {
                  return set_retries(std::move(r), RetrySettings{5, std::nullopt, std::nullopt});
                }))},
      {"timeout-index-0",
       on_route({std::nullopt, 0}, route_edit([](Json r, const Destination&, const RouteScope&) {
                  return set_timeout(std::move(r), "10s");
                }))},
      {"fault-default-route",
       on_route({}, [&](Json r, const Destination&,
                        const RouteScope&) { return set_fault(std::move(r), fault); })},
      {"mirror-default-route",
       on_route({}, route_edit([](Json r, const Destination& d, const RouteScope&) {
                  return set_mirror(std::move(r), d, "v2", 50);
                }))},
      {"clear-routing-default-route",
       on_route({}, route_edit([](Json r, const Destination& d, const RouteScope& s) {
                  return clear_routing(std::move(r), d, s.service, s.service.ns);
                }))},
      {"match-header-inserted",
       [&](Json spec, const RouteScope& s) -> Result<Json> {
         auto dest = service_destination(spec, s.service);
         return set_match_route(std::move(spec), jason, dest, s.service);
       }},
      {"match-same-name-updated",
       [&](Json spec, const RouteScope& s) -> Result<Json> {
         auto dest = service_destination(spec, s.service);
         return set_match_route(std::move(spec), beta_again, dest, s.service);
       }},
  };
  Json vs = policy_object("reviews-vs.yaml");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.golden);
    auto got = c.edit(vs["spec"], RouteScope{kReviews, "reviews", false});
    ASSERT_TRUE(got.ok()) << got.error().message;
    expect_golden(c.golden, *got);
  }
}

TEST(VirtualServiceEdits, GatewayRouteByIndex) {
  Json vs = policy_object("bookstore-vs.yaml");
  ServiceRef account{"account", "bookstore-servicemesh"};
  auto edit = on_route({std::nullopt, 0},
                       route_edit([&](Json r, const Destination& d, const RouteScope& s) {
                         return set_weights(std::move(r), weights("v1=50,v2=50", account), d,
                                            s.service, s.service.ns);
                       }));
  auto got = edit(vs["spec"], RouteScope{account, "bookstore", true});
  ASSERT_TRUE(got.ok()) << got.error().message;
  expect_golden("gateway-weights-route-0", *got);
}

TEST(VirtualServiceEdits, NewVirtualServiceGetsADefaultRoute) {
  auto edit = on_route({}, route_edit([](Json r, const Destination&, const RouteScope&) {
                         return set_retries(std::move(r), RetrySettings{3, "2s", "5xx"});
                       }));
  auto got = edit(Json{{"hosts", {"reviews"}}}, RouteScope{kReviews, "reviews", false});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got,
            Json::parse(
                R"({"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}],
    "retries": {"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx"}}]})"));
}

TEST(VirtualServiceEdits, SetThenClearRestoresTheRoute) {
  Json route = policy_object("reviews-vs.yaml")["spec"]["http"][1];
  EXPECT_EQ(clear_timeout(set_timeout(route, "3s")), route);
  EXPECT_TRUE(set_fault(route, FaultSettings{"1s", std::nullopt, std::nullopt, std::nullopt})
                  ->contains("fault"));
  EXPECT_EQ(clear_fault(*set_fault(route, FaultSettings{"1s", 5, 500, 5})), route);
  Json no_retries = route;
  no_retries.erase("retries");
  EXPECT_EQ(clear_retries(set_retries(route, RetrySettings{2, "1s", "5xx"})), no_retries)
      << "retry clear removes the whole retry policy: Istio's default applies again";
}

TEST(VirtualServiceEdits, FaultPercentAloneChangesTheExistingFault) {
  Json route = *set_fault(Json::object(), FaultSettings{"2s", std::nullopt, 503, std::nullopt});
  EXPECT_EQ(route["fault"]["delay"]["percentage"]["value"], 100);
  EXPECT_EQ(route["fault"]["abort"]["percentage"]["value"], 100);
  auto changed = set_fault(route, FaultSettings{std::nullopt, 25, std::nullopt, std::nullopt});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ((*changed)["fault"]["delay"],
            Json::parse(R"({"fixedDelay": "2s", "percentage": {"value": 25}})"));
  EXPECT_EQ((*changed)["fault"]["abort"], route["fault"]["abort"]);
  auto none =
      set_fault(Json::object(), FaultSettings{std::nullopt, 25, std::nullopt, std::nullopt});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "--delay-percent: the route has no delay to change; give --delay DURATION too");
  Json grpc = {{"fault", {{"abort", {{"grpcStatus", "UNAVAILABLE"}}}}}};
  EXPECT_EQ((*set_fault(grpc, FaultSettings{std::nullopt, std::nullopt, 503,
                                            std::nullopt}))["fault"]["abort"],
            Json::parse(R"({"httpStatus": 503, "percentage": {"value": 100}})"))
      << "httpStatus replaces grpcStatus: Istio allows one of them";
}

TEST(ParseWeights, Table) {
  struct Case {
    const char* text;
    std::string error;  ///< empty: valid
  };
  const Case cases[] = {
      {"v1=90,v2=10", ""},
      {"v1=100", ""},
      {"v1=100,v2=0", ""},
      {" v1 = 50 , v2 = 50 ", ""},
      {"v1=90", "route: weights for reviews.bookstore sum to 90, expected 100"},
      {"v1=60,v2=60", "route: weights for reviews.bookstore sum to 120, expected 100"},
      {"v1=90,v2", "--weights \"v1=90,v2\" : expected SUBSET=WEIGHT pairs such as v1=90,v2=10"},
      {"", "--weights \"\" : expected SUBSET=WEIGHT pairs such as v1=90,v2=10"},
      {"v1=50,v1=50", "--weights \"v1=50,v1=50\" : subset v1 is named twice"},
      {"v1=-10,v2=110",
       "--weights \"v1=-10,v2=110\" : the weight of subset v1 must be a whole number from 0 to "
       "100"},
      {"v1=9.5,v2=90.5", "the weight of subset v1 must be a whole number"},
      {"V1=100", "--weights \"V1\" : a subset name must be a DNS label"},
      {"=100", "--weights \"\" : a subset name must be a DNS label"},
  };
  for (const auto& c : cases) {
    auto got = parse_weights(c.text, kReviews);
    if (c.error.empty()) {
      EXPECT_TRUE(got.ok()) << c.text << ": " << got.error().message;
      continue;
    }
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.error().kind, ErrorKind::kUsage);
    EXPECT_NE(got.error().message.find(c.error), std::string::npos)
        << c.text << ": " << got.error().message;
  }
  auto w = parse_weights(" v1 = 50 , v2 = 50 ", kReviews);
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[1].subset, "v2");
  EXPECT_EQ((*w)[1].weight, 50);
}

TEST(ParseMatch, Table) {
  auto ok = parse_match({{"End-User=jason", "x-canary=1"}, "/api", "jason", "v2"});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->condition,
            Json::parse(R"({"headers": {"end-user": {"exact": "jason"}, "x-canary": {"exact": "1"}},
                                          "uri": {"prefix": "/api"}})"))
      << "header names are lower-cased, as Istio requires";
  struct Case {
    MatchFlags flags;
    std::string error;
  };
  const Case cases[] = {
      {{{}, std::nullopt, std::nullopt, "v2"},
       "route match: give --header NAME=VALUE or --uri-prefix PATH"},
      {{{"end-user"}, std::nullopt, std::nullopt, "v2"},
       "--header \"end-user\" : expected NAME=VALUE"},
      {{{"bad header=x"}, std::nullopt, std::nullopt, "v2"},
       "--header \"bad header=x\" : expected NAME=VALUE"},
      {{{}, "api", std::nullopt, "v2"}, "--uri-prefix \"api\" : expected a path starting with /"},
      {{{"a=b"}, std::nullopt, std::nullopt, "V2"},
       "--to \"V2\" : a subset name must be a DNS label"},
  };
  for (const auto& c : cases) {
    auto got = parse_match(c.flags);
    ASSERT_FALSE(got.ok()) << c.error;
    EXPECT_NE(got.error().message.find(c.error), std::string::npos) << got.error().message;
  }
}

TEST(ParseRetries, NeedsOneFlagAndValidValues) {
  EXPECT_EQ(parse_retries({}).error().message,
            "retry set: give at least one of --attempts, --per-try-timeout, --retry-on");
  EXPECT_EQ(parse_retries({"3", "2", std::nullopt}).error().message,
            "--per-try-timeout \"2\" : expected a duration with a unit such as 250ms, 2s or 1m");
  EXPECT_EQ(parse_retries({"-1", std::nullopt, std::nullopt}).error().message,
            "--attempts \"-1\" : expected a whole number from 0 to 2147483647");
  auto ok = parse_retries({"3", "250ms", "5xx,503"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok->attempts, 3);
  EXPECT_EQ(*ok->retry_on, "5xx,503");
}

TEST(ParseFault, Table) {
  EXPECT_FALSE(parse_fault({}).ok());
  EXPECT_EQ(parse_fault({"5", std::nullopt, std::nullopt, std::nullopt}).error().message,
            "--delay \"5\" : expected a duration with a unit such as 250ms, 2s or 1m");
  EXPECT_EQ(parse_fault({"5s", "120", std::nullopt, std::nullopt}).error().message,
            "--delay-percent \"120\" : expected a percentage from 0 to 100");
  EXPECT_EQ(parse_fault({std::nullopt, std::nullopt, "700", std::nullopt}).error().message,
            "--abort \"700\" : expected an HTTP status code from 200 to 599");
  auto ok = parse_fault({"5s", "10", "503", "0.5"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok->abort_status, 503);
  EXPECT_DOUBLE_EQ(*ok->abort_percent, 0.5);
}

TEST(DestinationRuleEdits, Golden) {
  Json dr = policy_object("reviews-dr.yaml");
  BreakerFlags flags;
  flags.max_connections = "100";
  flags.max_pending = "10";
  flags.max_requests = "1000";
  flags.max_requests_per_connection = "1";
  flags.max_retries = "3";
  flags.consecutive_5xx = "5";
  flags.consecutive_gateway_errors = "2";
  flags.interval = "10s";
  flags.base_ejection_time = "30s";
  flags.max_ejection_percent = "50";
  flags.min_health_percent = "20";
  auto settings = parse_breaker(flags);
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  auto top = set_breaker(dr["spec"], *settings);
  ASSERT_TRUE(top.ok());
  expect_golden("breaker-all-flags", *top);

  auto cleared = clear_breaker(*top, "");
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(*cleared, dr["spec"])
      << "clear removes what set added, and only that (idleTimeout stays)";

  BreakerFlags subset_flags;
  subset_flags.max_requests = "50";
  subset_flags.subset = "v1";
  auto on_subset = set_breaker(dr["spec"], *parse_breaker(subset_flags));
  ASSERT_TRUE(on_subset.ok());
  expect_golden("breaker-subset-v1", *on_subset);
  EXPECT_EQ(*clear_breaker(*on_subset, "v1"), dr["spec"]);

  subset_flags.subset = "v9";
  auto missing = set_breaker(dr["spec"], *parse_breaker(subset_flags));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "--subset \"v9\": the DestinationRule has no such subset; its subsets: v1");
}

TEST(DestinationRuleEdits, BreakerFlagChecks) {
  EXPECT_EQ(
      parse_breaker({}).error().message,
      "breaker set: give at least one limit, such as --max-connections 100 or --consecutive-5xx 5");
  BreakerFlags f;
  f.max_ejection_percent = "150";
  EXPECT_EQ(parse_breaker(f).error().message,
            "--max-ejection-percent \"150\" : expected a whole percentage from 0 to 100");
  f = {};
  f.interval = "10";
  EXPECT_EQ(parse_breaker(f).error().message,
            "--interval \"10\" : expected a duration with a unit such as 250ms, 2s or 1m");
  f = {};
  f.max_connections = "-5";
  EXPECT_EQ(parse_breaker(f).error().message,
            "--max-connections \"-5\" : expected a whole number from 0 to 2147483647");
}

TEST(Subsets, MissingAddedAndCheckedAgainstPodTemplates) {
  Json spec = policy_object("reviews-dr.yaml")["spec"];
  EXPECT_EQ(missing_subsets(spec, {"v1", "v2", "v3", "v2"}),
            (std::vector<std::string>{"v2", "v3"}));
  expect_golden("subsets-added", add_subsets(spec, {"v1", "v2", "v3"}, "version"));

  auto workloads = policy_fixture("workloads.yaml");
  Json selector = {{"app", "reviews"}};
  EXPECT_TRUE(template_carries(workloads, selector, "version", "v1"));
  EXPECT_TRUE(template_carries(workloads, selector, "version", "v2")) << "StatefulSets count";
  EXPECT_TRUE(template_carries(workloads, selector, "track", "canary"));
  EXPECT_FALSE(template_carries(workloads, selector, "version", "v3"))
      << "v3 belongs to ratings, not reviews";
  EXPECT_TRUE(template_carries(workloads, Json(), "version", "v3")) << "a Service without selector";
}

TEST(ServiceDestination, UsesTheSpellingAndPortOfExistingRoutes) {
  Json spec = policy_object("reviews-vs.yaml")["spec"];
  auto d = service_destination(spec, kReviews);
  EXPECT_EQ(d.host, "reviews.bookstore.svc.cluster.local");
  EXPECT_EQ(d.port, Json::parse(R"({"number": 9080})"));
  auto fresh = service_destination(Json::object(), kReviews);
  EXPECT_EQ(fresh.host, "reviews");
  EXPECT_TRUE(fresh.port.is_null());
}

}  // namespace
}  // namespace kmesh::mesh::policy
