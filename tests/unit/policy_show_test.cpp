// lib/mesh/policy/show and diff: the one view of policy show, export's stripping, and the
// unified diff of --diff.

#include <gtest/gtest.h>

#include "lib/mesh/policy/diff.hpp"
#include "lib/mesh/policy/show.hpp"
#include "tests/unit/policy_fixtures.hpp"

namespace kmesh::mesh::policy {
namespace {

using testing::expect_golden;
using testing::policy_fixture;
using testing::policy_object;

Json service(const std::string& name, const std::string& ns) {
  return {
      {"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", name}, {"namespace", ns}}}};
}

PolicyObjects bookstore_objects() {
  PolicyObjects o;
  for (const char* s : {"account", "payment", "frontend", "unrelated"})
    o.services.push_back(service(s, "bookstore-servicemesh"));
  o.virtual_services.push_back(policy_object("bookstore-vs.yaml"));
  Json vs = policy_object("reviews-vs.yaml");
  vs["metadata"]["namespace"] = "bookstore-servicemesh";
  vs["spec"]["hosts"] = {"account"};
  vs["spec"]["http"][1]["route"] =
      Json::parse(R"([{"destination": {"host": "account", "subset": "v1"}, "weight": 90},
                                                   {"destination": {"host": "account", "subset": "v2"}, "weight": 10}])");
  vs["spec"]["http"][1]["timeout"] = "10s";
  vs["spec"]["http"][1]["retries"] =
      Json::parse(R"({"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx"})");
  vs["spec"]["http"][1]["fault"] =
      Json::parse(R"({"delay": {"fixedDelay": "5s", "percentage": {"value": 10}}})");
  vs["spec"]["http"][1]["mirror"] = Json::parse(R"({"host": "account", "subset": "v2"})");
  vs["spec"]["http"][1]["mirrorPercentage"] = Json::parse(R"({"value": 50})");
  vs["spec"]["http"][0]["route"][0]["destination"]["host"] = "account";
  o.virtual_services.push_back(vs);
  Json dr = policy_object("reviews-dr.yaml");
  dr["metadata"]["namespace"] = "bookstore-servicemesh";
  dr["spec"]["host"] = "account";
  dr["spec"]["trafficPolicy"]["connectionPool"]["tcp"]["maxConnections"] = 100;
  dr["spec"]["trafficPolicy"]["outlierDetection"] =
      Json::parse(R"({"consecutive5xxErrors": 5, "interval": "10s"})");
  dr["spec"]["subsets"][0]["trafficPolicy"]["connectionPool"] =
      Json::parse(R"({"http": {"http2MaxRequests": 50}})");
  o.destination_rules.push_back(dr);
  return o;
}

TEST(PolicyView, OneServiceGolden) {
  auto objects = bookstore_objects();
  expect_golden("view-account", service_policy({"account", "bookstore-servicemesh"}, objects));
}

TEST(PolicyView, ServicesWithAPolicyOnly) {
  Json view = policy_view(bookstore_objects(), std::nullopt);
  std::vector<std::string> names;
  for (const auto& s : view["services"])
    names.push_back(s["service"]);
  EXPECT_EQ(names, (std::vector<std::string>{"account", "frontend", "payment"}))
      << "unrelated has none";
  Json one = policy_view(bookstore_objects(), ServiceRef{"unrelated", "bookstore-servicemesh"});
  ASSERT_EQ(one["services"].size(), 1u);
  EXPECT_TRUE(one["services"][0]["routes"].empty());
}

TEST(PolicyView, TableRows) {
  Json view = policy_view(bookstore_objects(), ServiceRef{"account", "bookstore-servicemesh"});
  auto rows = policy_rows(view);
  ASSERT_EQ(rows.size(), 3u);  // beta and default of the mesh VS, route 0 of the gateway one
  std::string breaker = "max-connections=100 consecutive-5xx=5 interval=10s; v1: max-requests=50";
  std::vector<std::vector<std::string>> want = {
      {"account.bookstore-servicemesh", "bookstore[0]", "uri prefix /restful/accounts",
       "account/v1", "-", "-", "-", "-", breaker},
      {"account.bookstore-servicemesh", "reviews[0] (beta)", "uri prefix /beta", "account/v2", "-",
       "-", "-", "-", breaker},
      {"account.bookstore-servicemesh", "reviews[1]", "*", "account/v1 90%, account/v2 10%", "10s",
       "3 attempts, per try 2s, on 5xx", "delay 5s (10%)", "account/v2 (50%)", breaker},
  };
  EXPECT_EQ(rows, want);
  EXPECT_EQ(policy_headers().size(), want[0].size());
}

TEST(PolicyExport, StripsServerFieldsAndKeepsTheRest) {
  Json live = policy_object("reviews-vs.yaml");
  live["metadata"]["uid"] = "1234";
  live["metadata"]["generation"] = 3;
  live["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z";
  live["metadata"]["managedFields"] = Json::array({{{"manager", "kubectl-mesh-policy"}}});
  live["status"] = {{"observedGeneration", 3}};
  Json stripped = strip_server_fields(live);
  EXPECT_EQ(stripped["metadata"], Json::parse(R"({"name": "reviews", "namespace": "bookstore",
    "labels": {"team": "books"}, "annotations": {"owner": "alice"}})"));
  EXPECT_FALSE(stripped.contains("status"));
  EXPECT_EQ(stripped["spec"], live["spec"]);

  PolicyObjects objects;
  objects.virtual_services = policy_fixture("namespace.yaml");
  objects.destination_rules = policy_fixture("destination-rules.yaml");
  auto reviews = export_objects(objects, ServiceRef{"reviews", "bookstore"});
  std::vector<std::string> names;
  for (const auto& o : reviews)
    names.push_back(o["kind"].get<std::string>() + "/" + o["metadata"]["name"].get<std::string>());
  EXPECT_EQ(names, (std::vector<std::string>{"DestinationRule/reviews", "VirtualService/reviews",
                                             "VirtualService/reviews-edge"}));
  EXPECT_EQ(export_objects(objects, std::nullopt).size(), 9u);
}

TEST(UnifiedDiff, Cases) {
  EXPECT_EQ(unified_diff("a\nb\n", "a\nb\n", "x", "y"), "");
  EXPECT_EQ(unified_diff("", "a\nb\n", "/dev/null", "new"),
            "--- /dev/null\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  EXPECT_EQ(unified_diff("a\nb\nc\n", "a\nB\nc\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  // Changes far apart make two hunks with three lines of context each.
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 ? "two" : i == 18 ? "eighteen" : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(unified_diff(before, after, "old", "new"),
            "--- old\n+++ new\n"
            "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
            "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n");
  // Changes close together share one hunk.
  EXPECT_EQ(unified_diff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\nX\n3\n4\n5\n6\nY\n8\n", "o", "n"),
            "--- o\n+++ n\n@@ -1,8 +1,8 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n-7\n+Y\n 8\n");
  EXPECT_EQ(unified_diff("a\nb\nc\n", "a\nc\n", "o", "n"),
            "--- o\n+++ n\n@@ -1,3 +1,2 @@\n a\n-b\n c\n");
}

}  // namespace
}  // namespace kmesh::mesh::policy
