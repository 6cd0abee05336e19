// analyze: host resolution, the one function every check resolves hosts with.

#include <gtest/gtest.h>

#include "lib/mesh/analyze/hosts.hpp"

namespace kmesh::mesh::analyze {
namespace {

TEST(AnalyzeHosts, ResolvesAsIstioReadsHostsInARule) {
  struct Row {
    std::string host, rule_ns;
    std::string fqdn, service, service_ns, partial;
    bool wildcard;
  };
  const std::vector<Row> rows = {
      {"reviews", "shop", "reviews.shop.svc.cluster.local", "reviews", "shop", "", false},
      {"Reviews", "shop", "reviews.shop.svc.cluster.local", "reviews", "shop", "", false},
      {" reviews ", "shop", "reviews.shop.svc.cluster.local", "reviews", "shop", "", false},
      {"reviews.other.svc.cluster.local", "shop", "reviews.other.svc.cluster.local", "reviews",
       "other", "", false},
      // Istio expands only names without dots: these stay as written.
      {"reviews.other", "shop", "reviews.other", "", "", "reviews.other.svc.cluster.local", false},
      {"reviews.other.svc", "shop", "reviews.other.svc", "", "", "reviews.other.svc.cluster.local",
       false},
      {"*.other.svc.cluster.local", "shop", "*.other.svc.cluster.local", "", "other", "", true},
      {"*", "shop", "*", "", "", "", true},
      {"api.example.com", "shop", "api.example.com", "", "", "", false},
      {"*.example.com", "shop", "*.example.com", "", "", "", true},
      {"a.b.c.svc.cluster.local", "shop", "a.b.c.svc.cluster.local", "", "", "", false},
      {"", "shop", "", "", "", "", false},
  };
  for (const auto& r : rows) {
    Host h = resolve_host(r.host, r.rule_ns);
    EXPECT_EQ(h.fqdn, r.fqdn) << r.host;
    EXPECT_EQ(h.service, r.service) << r.host;
    EXPECT_EQ(h.service_ns, r.service_ns) << r.host;
    EXPECT_EQ(h.partial_service_fqdn, r.partial) << r.host;
    EXPECT_EQ(h.wildcard, r.wildcard) << r.host;
  }
}

TEST(AnalyzeHosts, WildcardsCoverSuffixesOnly) {
  struct Row {
    std::string pattern, host;
    bool covers;
  };
  const std::vector<Row> rows = {
      {"*", "reviews.shop.svc.cluster.local", true},
      {"*.shop.svc.cluster.local", "reviews.shop.svc.cluster.local", true},
      {"*.shop.svc.cluster.local", "reviews.other.svc.cluster.local", false},
      {"*.shop.svc.cluster.local", "shop.svc.cluster.local", false},
      {"*.example.com", "api.example.com", true},
      {"*.example.com", "a.b.example.com", true},
      {"*.example.com", "example.com", false},
      {"*.example.com", "*.api.example.com", true},
      {"*.api.example.com", "*.example.com", false},
      {"api.example.com", "api.example.com", true},
      {"api.example.com", "web.example.com", false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(host_covers(r.pattern, r.host), r.covers) << r.pattern << " " << r.host;
  EXPECT_TRUE(hosts_overlap("*.api.example.com", "*.example.com"));
  EXPECT_FALSE(hosts_overlap("*.a.com", "*.b.com"));
}

}  // namespace
}  // namespace kmesh::mesh::analyze
