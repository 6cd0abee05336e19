// kubectl mesh status on the shared control plane (Istio installed by the fixture, no
// kubelet: Pods stay Pending or are refused by the injector webhook). Each test works in a
// namespace of its own, so they run in parallel with the other suites.

#include <gtest/gtest.h>

#include <algorithm>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

Output run(std::vector<std::string> args, const std::string& who = "admin") {
  args.insert(args.begin(), {"--kubeconfig", kubeconfig(who)});
  return mesh(args);
}

#define ASSERT_RUNS(o_) ASSERT_EQ((o_).code, 0) << (o_).err << (o_).out

Json json_of(const Output& o) {
  Json j = Json::parse(o.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << o.out << o.err;
  return j;
}

const Json* service(const Json& view, const std::string& name) {
  for (const auto& s : view["services"])
    if (s.value("service", "") == name) return &s;
  return nullptr;
}

// The bookstore in a namespace of its own, with a retry and a timeout on account, a
// breaker on payment and a fault on warehouse.
std::string shop_with_policies() {
  std::string ns = unique_name("status-shop");
  Output applied = run({"-n", ns, "bookstore", "apply"});
  EXPECT_EQ(applied.code, 0) << applied.err;
  for (std::vector<std::string> edit :
       {std::vector<std::string>{"retry", "set", "account", "--attempts", "3", "--per-try-timeout",
                                 "2s", "--retry-on", "5xx"},
        {"timeout", "set", "account", "10s"},
        {"breaker", "set", "payment", "--max-connections", "100", "--consecutive-5xx", "5",
         "--interval", "10s"},
        {"fault", "set", "warehouse", "--abort", "503", "--abort-percent", "5"}}) {
    edit.insert(edit.begin(), {"-n", ns});
    Output o = run(edit);
    EXPECT_EQ(o.code, 0) << join(edit, " ") << "\n" << o.err;
  }
  // The injector webhook has no istiod behind it, so the ReplicaSet controller cannot create
  // the shop's Pods and says so in each Deployment's status: wait until it has, so that two
  // runs of status look at the same cluster state.
  Output settled = kubectl(
      {"wait", "--for=condition=ReplicaFailure", "deployment", "--all", "-n", ns, "--timeout=60s"});
  EXPECT_EQ(settled.code, 0) << settled.err;
  return ns;
}

TEST(Status, EverySectionOfTheBookstoreWithItsPolicies) {
  std::string ns = shop_with_policies();
  Output o = run({"-n", ns, "status", "-o", "json"});
  ASSERT_RUNS(o);
  Json view = json_of(o);

  const Json& istio = view["istio"];
  EXPECT_EQ(istio["installed"], true);
  ASSERT_EQ(istio["revisions"].size(), 1u) << istio;
  EXPECT_EQ(istio["revisions"][0]["revision"], "default");
  EXPECT_EQ(istio["revisions"][0]["version"], "1.31.0");
  EXPECT_EQ(istio["revisions"][0]["profile"], "default");
  EXPECT_EQ(istio["revisions"][0]["installedBy"], "kubectl-mesh");
  ASSERT_GE(istio["components"].size(), 2u) << "istiod and the ingress gateway";
  const Json& istiod = istio["components"][0];
  EXPECT_EQ(istiod["name"], "istiod");
  EXPECT_GE(istiod["desired"].get<int>(), 1);
  // No kubelet here: istiod never becomes ready, and status says so with the reason.
  EXPECT_EQ(istiod["ready"], 0);
  EXPECT_EQ(istiod["healthy"], false);
  EXPECT_NE(istiod["reason"], "");
  EXPECT_EQ(istio["components"][1]["name"], "istio-ingressgateway");

  ASSERT_EQ(view["namespaces"].size(), 1u);
  const Json& shop = view["namespaces"][0];
  EXPECT_EQ(shop["name"], ns);
  EXPECT_EQ(shop["injection"], "enabled");
  EXPECT_EQ(shop["labels"]["istio-injection"], "enabled");
  EXPECT_EQ(shop["workloads"].size(), 5u) << shop;
  for (const auto& w : shop["workloads"]) {
    EXPECT_EQ(w["sidecarExpected"], true) << w;
    EXPECT_NE(w["problem"].get<std::string>().find("sidecar-injector.istio.io"), std::string::npos)
        << "no istiod answers the injector webhook here, and status says so: " << w;
  }

  std::vector<std::string> services;
  for (const auto& s : view["services"])
    services.push_back(s["service"]);
  EXPECT_EQ(services, (std::vector<std::string>{"account", "authentication", "frontend", "payment",
                                                "warehouse"}));
  const Json* account = service(view, "account");
  ASSERT_TRUE(account);
  bool saw_policy = false;
  for (const auto& r : (*account)["routes"])
    if (r["retries"].is_object()) {
      saw_policy = true;
      EXPECT_EQ(r["retries"],
                Json::parse(R"({"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx"})"));
      EXPECT_EQ(r["timeout"], "10s");
    }
  EXPECT_TRUE(saw_policy) << *account;
  const Json* payment = service(view, "payment");
  ASSERT_TRUE(payment);
  EXPECT_EQ((*payment)["destinationRule"]["breaker"],
            Json::parse(R"({"connectionPool": {"tcp": {"maxConnections": 100}},
                            "outlierDetection": {"consecutive5xxErrors": 5, "interval": "10s"}})"));
  const Json* warehouse = service(view, "warehouse");
  ASSERT_TRUE(warehouse);
  std::string faults;
  for (const auto& r : (*warehouse)["routes"])
    faults += r["fault"].dump();
  EXPECT_NE(faults.find(R"("httpStatus":503)"), std::string::npos) << *warehouse;

  const Json& analysis = view["analysis"];
  for (const char* count : {"errors", "warnings", "info", "objects"})
    EXPECT_TRUE(analysis[count].is_number_integer()) << count;
  EXPECT_GT(analysis["objects"].get<int>(), 20) << "the shop has some 30 objects";
  EXPECT_EQ(analysis["command"], "kubectl mesh analyze -n " + ns);

  Output again = run({"-n", ns, "status", "-o", "json"});
  ASSERT_RUNS(again);
  EXPECT_EQ(again.out, o.out) << "-o json is the same on an unchanged cluster";
}

TEST(Status, TheTableShowsEachSectionAndEachService) {
  std::string ns = shop_with_policies();
  Output o = run({"-n", ns, "status"});
  ASSERT_RUNS(o);
  for (std::string heading : {"Istio:\n", "\nNamespaces:\n", "\nServices:\n", "\nAnalysis:\n"})
    EXPECT_NE(o.out.find(heading), std::string::npos) << heading << "\n" << o.out;
  for (std::string header :
       {"REVISION", "COMPONENT", "NAMESPACE", "INJECTION", "SERVICE", "RETRIES", "BREAKER"})
    EXPECT_NE(o.out.find(header), std::string::npos) << header;
  for (std::string svc : {"account", "authentication", "frontend", "payment", "warehouse"})
    EXPECT_NE(o.out.find("  " + svc + "." + ns + " "), std::string::npos) << svc << "\n" << o.out;
  EXPECT_NE(o.out.find("3 attempts, per try 2s, on 5xx"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("max-connections=100 consecutive-5xx=5 interval=10s"), std::string::npos);
  EXPECT_NE(o.out.find("  istiod "), std::string::npos);
  EXPECT_NE(o.out.find(" 0/1 "), std::string::npos) << "istiod is not ready here";
  EXPECT_NE(o.out.find("not ready: "), std::string::npos);
  EXPECT_NE(o.out.find(" in " + ns + " cannot be created: "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("the findings: kubectl mesh analyze -n " + ns), std::string::npos);
}

TEST(Status, TheDefaultScopeFindsTheShopButNotAnEmptyNamespace) {
  std::string shop = unique_name("status-default");
  ASSERT_RUNS(run({"-n", shop, "bookstore", "apply"}));
  std::string empty = unique_name("status-bare");
  ASSERT_EQ(kubectl({"create", "namespace", empty}).code, 0);
  Output o = run({"status", "-o", "json"});
  ASSERT_RUNS(o);
  Json view = json_of(o);
  EXPECT_EQ(view["scope"]["mode"], "mesh");
  std::vector<std::string> shown = view["scope"]["namespaces"];
  EXPECT_NE(std::find(shown.begin(), shown.end(), shop), shown.end()) << view["scope"];
  EXPECT_EQ(std::find(shown.begin(), shown.end(), empty), shown.end()) << view["scope"];
}

TEST(Status, ANamespaceWithNothingInIt) {
  std::string ns = unique_name("status-empty");
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  Output o = run({"-n", ns, "status", "-o", "json"});
  ASSERT_RUNS(o);
  Json view = json_of(o);
  EXPECT_EQ(view["istio"]["installed"], true);
  ASSERT_EQ(view["namespaces"].size(), 1u);
  EXPECT_EQ(view["namespaces"][0]["injection"], "none");
  EXPECT_EQ(view["namespaces"][0]["workloads"], Json::array());
  EXPECT_EQ(view["services"], Json::array());
  EXPECT_EQ(view["analysis"]["errors"], 0);
  EXPECT_EQ(view["analysis"]["warnings"], 0);

  Output table = run({"-n", ns, "status"});
  ASSERT_RUNS(table);
  EXPECT_NE(table.out.find("Services:\n  no Services in the namespaces shown\n"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("0 errors, 0 warnings, 0 info"), std::string::npos) << table.out;
}

TEST(Status, ANamespaceThatDoesNotExistIsBadInput) {
  Output o = run({"-n", unique_name("status-missing"), "status"});
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("does not exist: check -n"), std::string::npos) << o.err;
}

TEST(Status, BadFlagsExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"-n", "x", "status", "-A"},
                                        {"status", "-o", "wide"},
                                        {"status", "--no-such-flag"}}) {
    Output o = run(args);
    EXPECT_EQ(o.code, 2) << join(args, " ") << "\n" << o.err;
    EXPECT_NE(o.err.find("See 'kubectl mesh status --help'."), std::string::npos) << o.err;
    EXPECT_EQ(o.out, "");
  }
}

TEST(Status, AUserWhoMayReadOneNamespaceStillGetsItsStatus) {
  Output o = run({"-n", "restricted-ns", "status", "-o", "json"}, "restricted");
  ASSERT_RUNS(o);
  Json view = json_of(o);
  EXPECT_EQ(view["istio"]["installed"], nullptr) << "unknown: istio-system is not readable";
  EXPECT_NE(view["istio"]["message"].get<std::string>().find("cannot read istio-system"),
            std::string::npos);
  EXPECT_EQ(view["namespaces"][0]["name"], "restricted-ns");
  // RBAC authorizes GET /api/v1/namespaces/N with N as the request's namespace, so the Role
  // that lets the user read in restricted-ns lets it read that Namespace too: its (absent)
  // injection labels are known.
  EXPECT_EQ(view["namespaces"][0]["injection"], "none");
}

}  // namespace
}  // namespace kmesh::testing
