// The traffic policy commands (route, retry, timeout, breaker, fault, policy) against the
// local control plane with Istio's CRDs installed. Every result is read back with the
// server's own kubectl and checked field by field.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/app.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/curl_transport.hpp"
#include "tests/integration/harness.hpp"
#include "tests/integration/policy_fixtures.hpp"

namespace kmesh::testing {
namespace {

const char* kVs = "virtualservices.networking.istio.io";
const char* kDr = "destinationrules.networking.istio.io";

Output apply_text(const std::string& text, const std::string& kubeconfig_path = "") {
  return kubectl({"apply", "-f", write_file(temp_dir(), "objects.yaml", text)}, kubeconfig_path);
}

// A fresh namespace with the reviews Service and Deployments for its v1 and v2.
std::string reviews_namespace(const std::string& prefix) {
  std::string ns = unique_name(prefix);
  Output r = apply_text(reviews_yaml(ns));
  EXPECT_EQ(r.code, 0) << r.err;
  return ns;
}

Output run(const std::string& ns, std::vector<std::string> args) {
  args.insert(args.begin(), {"--kubeconfig", kubeconfig(), "-n", ns});
  return mesh(args);
}

Json get(const char* resource, const std::string& ns, const std::string& name = "reviews") {
  return kubectl_json({"get", resource, name, "-n", ns});
}

std::string show(const std::vector<std::string>& args) {
  return join(args, " ");
}

#define EXPECT_RUNS(o_) EXPECT_EQ((o_).code, 0) << (o_).err << (o_).out
#define ASSERT_RUNS(o_) ASSERT_EQ((o_).code, 0) << (o_).err << (o_).out

TEST(Policy, RetrySetCreatesTheVirtualServiceThenIsUnchanged) {
  std::string ns = reviews_namespace("pol-retry");
  Output first = run(ns, {"retry", "set", "reviews", "--attempts", "3", "--per-try-timeout", "2s",
                          "--retry-on", "5xx,reset"});
  ASSERT_RUNS(first);
  EXPECT_EQ(first.out, "virtualservice.networking.istio.io/reviews created\n");
  Json vs = get(kVs, ns);
  ASSERT_TRUE(vs.is_object());
  EXPECT_EQ(vs["apiVersion"], "networking.istio.io/v1");
  EXPECT_EQ(vs["spec"]["hosts"], Json::array({"reviews"}));
  ASSERT_EQ(vs["spec"]["http"].size(), 1u);
  EXPECT_EQ(vs["spec"]["http"][0]["route"],
            Json::parse(R"([{"destination": {"host": "reviews"}}])"));
  EXPECT_EQ(vs["spec"]["http"][0]["retries"],
            Json::parse(R"({"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx,reset"})"));
  EXPECT_EQ(get(kDr, ns), nullptr) << "retries need no DestinationRule";

  Output again = run(ns, {"retry", "set", "reviews", "--attempts", "3"});
  ASSERT_RUNS(again);
  EXPECT_EQ(again.out, "virtualservice.networking.istio.io/reviews unchanged\n");
  EXPECT_EQ(get(kVs, ns)["metadata"]["resourceVersion"], vs["metadata"]["resourceVersion"])
      << "nothing was written";

  Output managed = kubectl({"get", kVs, "reviews", "-n", ns, "--show-managed-fields", "-o",
                            "jsonpath={.metadata.managedFields[*].manager}"});
  EXPECT_EQ(managed.out, "kubectl-mesh-policy");
}

TEST(Policy, EveryCommandLandsFieldByField) {
  std::string ns = reviews_namespace("pol-all");
  ASSERT_RUNS(run(ns, {"route", "set", "reviews", "--weights", "v1=90,v2=10"}));
  Json dr = get(kDr, ns);
  ASSERT_TRUE(dr.is_object());
  EXPECT_EQ(dr["spec"]["host"], "reviews");
  EXPECT_EQ(dr["spec"]["subsets"], Json::parse(R"([{"name": "v1", "labels": {"version": "v1"}},
                                                    {"name": "v2", "labels": {"version": "v2"}}])"));
  Json route = get(kVs, ns)["spec"]["http"][0]["route"];
  EXPECT_EQ(route,
            Json::parse(R"([{"destination": {"host": "reviews", "subset": "v1"}, "weight": 90},
                                   {"destination": {"host": "reviews", "subset": "v2"}, "weight": 10}])"));

  ASSERT_RUNS(run(ns, {"timeout", "set", "reviews", "10s"}));
  ASSERT_RUNS(run(ns, {"fault", "set", "reviews", "--delay", "5s", "--delay-percent", "10",
                       "--abort", "503", "--abort-percent", "0.5"}));
  ASSERT_RUNS(run(ns, {"route", "mirror", "reviews", "--to", "v2", "--percent", "25"}));
  ASSERT_RUNS(run(ns, {"retry", "set", "reviews", "--attempts", "2", "--per-try-timeout", "250ms",
                       "--retry-on", "gateway-error,503"}));
  ASSERT_RUNS(run(ns, {"route", "match", "reviews", "--header", "end-user=jason", "--to", "v2",
                       "--name", "jason"}));
  Json http = get(kVs, ns)["spec"]["http"];
  ASSERT_EQ(http.size(), 2u);
  EXPECT_EQ(
      http[0],
      Json::parse(R"({"name": "jason", "match": [{"headers": {"end-user": {"exact": "jason"}}}],
                                     "route": [{"destination": {"host": "reviews", "subset": "v2"}}]})"))
      << "a matched route goes before the default route";
  Json def = http[1];
  EXPECT_EQ(def["route"], route) << "the weights stay";
  EXPECT_EQ(def["timeout"], "10s");
  EXPECT_EQ(def["fault"],
            Json::parse(R"({"delay": {"fixedDelay": "5s", "percentage": {"value": 10}},
                                         "abort": {"httpStatus": 503, "percentage": {"value": 0.5}}})"));
  EXPECT_EQ(def["mirror"], Json::parse(R"({"host": "reviews", "subset": "v2"})"));
  EXPECT_EQ(def["mirrorPercentage"], Json::parse(R"({"value": 25})"));
  EXPECT_EQ(
      def["retries"],
      Json::parse(R"({"attempts": 2, "perTryTimeout": "250ms", "retryOn": "gateway-error,503"})"));

  ASSERT_RUNS(run(ns, {"breaker", "set",
                       "reviews", "--max-connections",
                       "100",     "--max-pending",
                       "10",      "--max-requests",
                       "1000",    "--max-requests-per-connection",
                       "1",       "--max-retries",
                       "3",       "--consecutive-5xx",
                       "5",       "--consecutive-gateway-errors",
                       "2",       "--interval",
                       "10s",     "--base-ejection-time",
                       "30s",     "--max-ejection-percent",
                       "50",      "--min-health-percent",
                       "20"}));
  ASSERT_RUNS(run(ns, {"breaker", "set", "reviews", "--subset", "v2", "--max-requests", "50"}));
  dr = get(kDr, ns);
  EXPECT_EQ(dr["spec"]["trafficPolicy"], Json::parse(R"({
    "connectionPool": {"tcp": {"maxConnections": 100},
                       "http": {"http1MaxPendingRequests": 10, "http2MaxRequests": 1000, "maxRequestsPerConnection": 1, "maxRetries": 3}},
    "outlierDetection": {"consecutive5xxErrors": 5, "consecutiveGatewayErrors": 2, "interval": "10s",
                         "baseEjectionTime": "30s", "maxEjectionPercent": 50, "minHealthPercent": 20}})"));
  EXPECT_EQ(dr["spec"]["subsets"][1]["trafficPolicy"],
            Json::parse(R"({"connectionPool": {"http": {"http2MaxRequests": 50}}})"));
  EXPECT_EQ(dr["spec"]["subsets"][0],
            Json::parse(R"({"name": "v1", "labels": {"version": "v1"}})"));

  // Each clear removes its own fields and nothing else.
  ASSERT_RUNS(run(ns, {"retry", "clear", "reviews"}));
  ASSERT_RUNS(run(ns, {"timeout", "clear", "reviews"}));
  ASSERT_RUNS(run(ns, {"fault", "clear", "reviews"}));
  def = get(kVs, ns)["spec"]["http"][1];
  for (const char* gone : {"retries", "timeout", "fault"})
    EXPECT_FALSE(def.contains(gone)) << gone;
  EXPECT_EQ(def["route"], route);
  EXPECT_TRUE(def.contains("mirror"));
  ASSERT_RUNS(run(ns, {"route", "clear", "reviews"}));
  def = get(kVs, ns)["spec"]["http"][1];
  EXPECT_EQ(def, Json::parse(R"({"route": [{"destination": {"host": "reviews"}}]})"));
  EXPECT_EQ(get(kVs, ns)["spec"]["http"][0]["name"], "jason")
      << "route clear touches only its route";
  ASSERT_RUNS(run(ns, {"breaker", "clear", "reviews", "--subset", "v2"}));
  ASSERT_RUNS(run(ns, {"breaker", "clear", "reviews"}));
  dr = get(kDr, ns);
  EXPECT_FALSE(dr["spec"].contains("trafficPolicy"));
  EXPECT_EQ(dr["spec"]["subsets"][1],
            Json::parse(R"({"name": "v2", "labels": {"version": "v2"}})"));
}

TEST(Policy, ClearWithNothingThereCreatesNothing) {
  std::string ns = reviews_namespace("pol-clear");
  Output r = run(ns, {"retry", "clear", "reviews"});
  EXPECT_RUNS(r);
  EXPECT_NE(r.err.find("no VirtualService for reviews." + ns + ": nothing to clear"),
            std::string::npos)
      << r.err;
  Output b = run(ns, {"breaker", "clear", "reviews"});
  EXPECT_RUNS(b);
  EXPECT_NE(b.err.find("no DestinationRule for reviews." + ns + ": nothing to clear"),
            std::string::npos)
      << b.err;
  EXPECT_EQ(kubectl_json({"get", kVs, "-n", ns})["items"].size(), 0u);
  EXPECT_EQ(kubectl_json({"get", kDr, "-n", ns})["items"].size(), 0u);
}

const char* kUserObjects = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-routes
  namespace: NS
  labels: {team: books}
  annotations: {owner: alice}
spec:
  hosts: [reviews.NS.svc.cluster.local]
  http:
  - name: beta
    match:
    - uri: {prefix: /beta}
    route:
    - destination: {host: reviews.NS.svc.cluster.local, subset: v2, port: {number: 9080}}
    timeout: 3s
  - corsPolicy:
      allowOrigins:
      - exact: https://example.com
    headers:
      request:
        set: {x-team: books}
    retries:
      retryRemoteLocalities: true
    route:
    - destination: {host: reviews.NS.svc.cluster.local, subset: v1, port: {number: 9080}}
      headers:
        response:
          add: {x-version: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-rule
  namespace: NS
  labels: {team: books}
spec:
  host: reviews.NS.svc.cluster.local
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
    loadBalancer: {simple: LEAST_REQUEST}
    connectionPool:
      http: {idleTimeout: 30s}
  subsets:
  - name: v1
    labels: {version: v1}
    trafficPolicy:
      loadBalancer: {simple: ROUND_ROBIN}
)";

std::string with_ns(std::string text, const std::string& ns) {
  for (size_t at = text.find("NS"); at != std::string::npos; at = text.find("NS", at + ns.size()))
    text.replace(at, 2, ns);
  return text;
}

TEST(Policy, ForeignFieldsAndOtherRoutesStay) {
  std::string ns = reviews_namespace("pol-foreign");
  ASSERT_RUNS(apply_text(with_ns(kUserObjects, ns)));
  Json vs_before = get(kVs, ns, "reviews-routes"), dr_before = get(kDr, ns, "reviews-rule");
  ASSERT_TRUE(vs_before.is_object() && dr_before.is_object());

  ASSERT_RUNS(run(ns, {"route", "set", "reviews", "--weights", "v1=80,v2=20"}));
  ASSERT_RUNS(run(ns, {"retry", "set", "reviews", "--attempts", "4"}));
  ASSERT_RUNS(run(ns, {"timeout", "set", "reviews", "9s"}));
  ASSERT_RUNS(
      run(ns, {"breaker", "set", "reviews", "--max-connections", "7", "--consecutive-5xx", "3"}));

  Json vs = get(kVs, ns, "reviews-routes"), dr = get(kDr, ns, "reviews-rule");
  EXPECT_EQ(kubectl_json({"get", kVs, "-n", ns})["items"].size(), 1u)
      << "the user's VirtualService was edited, no other made";
  EXPECT_EQ(vs["metadata"]["labels"], vs_before["metadata"]["labels"]);
  EXPECT_EQ(vs["metadata"]["annotations"], vs_before["metadata"]["annotations"]);
  EXPECT_EQ(vs["spec"]["hosts"], vs_before["spec"]["hosts"]);
  EXPECT_EQ(vs["spec"]["http"][0], vs_before["spec"]["http"][0]) << "the other route is left alone";
  Json def = vs["spec"]["http"][1], def_before = vs_before["spec"]["http"][1];
  EXPECT_EQ(def["corsPolicy"], def_before["corsPolicy"]);
  EXPECT_EQ(def["headers"], def_before["headers"]);
  EXPECT_EQ(def["retries"], Json::parse(R"({"attempts": 4, "retryRemoteLocalities": true})"));
  EXPECT_EQ(def["timeout"], "9s");
  EXPECT_EQ(def["route"], Json::parse(with_ns(R"([
    {"destination": {"host": "reviews.NS.svc.cluster.local", "subset": "v1", "port": {"number": 9080}},
     "headers": {"response": {"add": {"x-version": "v1"}}}, "weight": 80},
    {"destination": {"host": "reviews.NS.svc.cluster.local", "subset": "v2", "port": {"number": 9080}}, "weight": 20}])",
                                              ns)))
      << "weights on the destinations as the user wrote them: FQDN, port, response headers";

  EXPECT_EQ(dr["metadata"]["labels"], dr_before["metadata"]["labels"]);
  EXPECT_EQ(dr["spec"]["host"], dr_before["spec"]["host"]);
  EXPECT_EQ(
      dr["spec"]["trafficPolicy"],
      Json::parse(R"({"tls": {"mode": "ISTIO_MUTUAL"}, "loadBalancer": {"simple": "LEAST_REQUEST"},
    "connectionPool": {"http": {"idleTimeout": "30s"}, "tcp": {"maxConnections": 7}},
    "outlierDetection": {"consecutive5xxErrors": 3}})"));
  EXPECT_EQ(dr["spec"]["subsets"][0], dr_before["spec"]["subsets"][0]);
  EXPECT_EQ(dr["spec"]["subsets"][1], Json::parse(R"({"name": "v2", "labels": {"version": "v2"}})"))
      << "v2 was added";
}

const char* kBookstore = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bookstore, namespace: NS}
spec:
  hosts: ["*"]
  gateways: [bookstore-gateway]
  http:
  - match:
    - uri: {prefix: /restful/accounts}
    route:
    - destination: {host: account, subset: v1, port: {number: 80}}
  - route:
    - destination: {host: frontend, subset: v1, port: {number: 80}}
---
apiVersion: v1
kind: Service
metadata: {name: account, namespace: NS}
spec:
  selector: {app: account}
  ports: [{name: http, port: 80}]
)";

TEST(Policy, BookstoreGatewayRoutePickedByIndex) {
  std::string ns = reviews_namespace("pol-gw");
  ASSERT_RUNS(apply_text(with_ns(kBookstore, ns)));
  Json before = get(kVs, ns, "bookstore");

  Output wrong =
      run(ns, {"retry", "set", "account", "--gateway", "bookstore-gateway", "--attempts", "3"});
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("route 1 of virtualservice \"bookstore\" in " + ns +
                           " does not send traffic to account." + ns),
            std::string::npos)
      << wrong.err;
  EXPECT_NE(wrong.err.find("0: uri prefix /restful/accounts -> account:80/v1"), std::string::npos)
      << wrong.err;

  Output ok = run(ns, {"retry", "set", "account", "--gateway", "bookstore-gateway", "--route-index",
                       "0", "--attempts", "3", "--per-try-timeout", "1s"});
  ASSERT_RUNS(ok);
  EXPECT_EQ(ok.out, "virtualservice.networking.istio.io/bookstore configured\n");
  Json after = get(kVs, ns, "bookstore");
  EXPECT_EQ(after["spec"]["http"][0]["retries"],
            Json::parse(R"({"attempts": 3, "perTryTimeout": "1s"})"));
  after["spec"]["http"][0].erase("retries");
  EXPECT_EQ(after["spec"], before["spec"]) << "nothing else changed";
  EXPECT_EQ(kubectl_json({"get", kVs, "-n", ns})["items"].size(), 1u)
      << "no mesh VirtualService was created";
}

// Two commands on two threads against one VirtualService: retries and a timeout both land,
// whichever writes first (the other meets a 409 and edits again).
TEST(Policy, ConcurrentEditsOfOneVirtualServiceBothLand) {
  for (int round = 0; round < 4; ++round) {
    std::string ns = reviews_namespace("pol-race");
    bool existing = round % 2 == 0;  // odd rounds race to create it
    if (existing) {
      ASSERT_RUNS(run(ns, {"route", "set", "reviews", "--weights", "v1=100"}));
    }
    Output a, b;
    std::thread ta([&] {
      a = run(ns, {"retry", "set", "reviews", "--attempts", "5", "--retry-on", "5xx"});
    });
    std::thread tb([&] { b = run(ns, {"timeout", "set", "reviews", "4s"}); });
    ta.join();
    tb.join();
    EXPECT_RUNS(a);
    EXPECT_RUNS(b);
    Json vs = get(kVs, ns);
    ASSERT_TRUE(vs.is_object()) << "round " << round;
    ASSERT_EQ(vs["spec"]["http"].size(), 1u) << vs.dump();
    EXPECT_EQ(vs["spec"]["http"][0]["retries"], Json::parse(R"({"attempts": 5, "retryOn": "5xx"})"))
        << "round " << round;
    EXPECT_EQ(vs["spec"]["http"][0]["timeout"], "4s") << "round " << round;
    if (existing) {
      EXPECT_EQ(vs["spec"]["http"][0]["route"][0]["weight"], 100);
    }
  }
}

// A transport that lets another writer in just before our writes, to meet real 409s.
struct Interloper {
  std::string method;         ///< PUT or POST
  std::function<void()> act;  ///< the other writer
  int times = 1;              ///< how many of our writes it precedes
  std::atomic<int> acted{0}, writes{0};
};

kube::ClientOptions with_interloper(std::shared_ptr<Interloper> state) {
  struct Transport : kube::HttpTransport {
    std::unique_ptr<kube::HttpTransport> inner;
    std::shared_ptr<Interloper> state;
    std::vector<kube::HttpResponse> perform(
        const std::vector<kube::HttpRequest>& requests) override {
      for (const auto& r : requests) {
        if (r.method != "PUT" && r.method != "POST") continue;
        ++state->writes;
        if (r.method == state->method && state->acted < state->times) {
          ++state->acted;
          state->act();
        }
      }
      return inner->perform(requests);
    }
  };
  kube::ClientOptions options;
  options.make_transport =
      [state](kube::TransportSettings settings) -> std::unique_ptr<kube::HttpTransport> {
    auto t = std::make_unique<Transport>();
    t->inner = kube::make_curl_transport(std::move(settings));
    t->state = state;
    return t;
  };
  return options;
}

Output run_with(const kube::ClientOptions& options, const std::string& ns,
                std::vector<std::string> args) {
  args.insert(args.begin(), {"kubectl-mesh", "--kubeconfig", kubeconfig(), "-n", ns});
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::istringstream in;
  std::ostringstream out, err;
  Output r;
  r.code =
      cli::run(static_cast<int>(argv.size()), argv.data(), cli::Streams{in, out, err, false, false},
               kube::Environment::process(), options);
  r.out = out.str();
  r.err = err.str();
  return r;
}

TEST(Policy, ConflictIsReadEditedAndWrittenAgain) {
  std::string ns = reviews_namespace("pol-409");
  ASSERT_RUNS(run(ns, {"timeout", "set", "reviews", "3s"}));
  auto state = std::make_shared<Interloper>();
  state->method = "PUT";
  state->act = [ns] { kubectl({"label", kVs, "reviews", "-n", ns, "interloper=yes"}); };
  Output r = run_with(with_interloper(state), ns, {"retry", "set", "reviews", "--attempts", "2"});
  ASSERT_RUNS(r);
  EXPECT_EQ(state->acted, 1);
  EXPECT_EQ(state->writes, 2) << "the first PUT met a 409, the second landed";
  Json vs = get(kVs, ns);
  EXPECT_EQ(vs["metadata"]["labels"]["interloper"], "yes") << "the other writer's change stays";
  EXPECT_EQ(vs["spec"]["http"][0]["retries"]["attempts"], 2);
  EXPECT_EQ(vs["spec"]["http"][0]["timeout"], "3s");
}

TEST(Policy, CreationRaceEditsWhatTheOtherCreated) {
  std::string ns = reviews_namespace("pol-post");
  auto state = std::make_shared<Interloper>();
  state->method = "POST";
  std::string theirs =
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  "
      "namespace: " +
      ns +
      "\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n    "
      "timeout: 7s\n";
  state->act = [theirs] { apply_text(theirs); };
  Output r = run_with(with_interloper(state), ns, {"retry", "set", "reviews", "--attempts", "6"});
  ASSERT_RUNS(r);
  EXPECT_EQ(r.out, "virtualservice.networking.istio.io/reviews configured\n");
  EXPECT_EQ(state->writes, 2) << "POST met AlreadyExists, then a PUT on what the other made";
  Json http = get(kVs, ns)["spec"]["http"];
  ASSERT_EQ(http.size(), 1u);
  EXPECT_EQ(http[0]["timeout"], "7s");
  EXPECT_EQ(http[0]["retries"]["attempts"], 6);
}

TEST(Policy, EndlessConflictsGiveUpWithExitOne) {
  std::string ns = reviews_namespace("pol-409s");
  ASSERT_RUNS(run(ns, {"timeout", "set", "reviews", "3s"}));
  auto state = std::make_shared<Interloper>();
  state->method = "PUT";
  state->times = 100;
  auto counter = std::make_shared<std::atomic<int>>(0);
  state->act = [ns, counter] {
    kubectl({"label", kVs, "reviews", "-n", ns, "--overwrite", "n=" + std::to_string(++*counter)});
  };
  Output r = run_with(with_interloper(state), ns, {"retry", "set", "reviews", "--attempts", "2"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(state->writes, 5) << "a bounded number of attempts";
  EXPECT_NE(r.err.find("virtualservice.networking.istio.io/reviews in " + ns +
                       " kept changing while we wrote it (5 conflicts"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(get(kVs, ns)["spec"]["http"][0].contains("retries"));
}

TEST(Policy, BadInputExitsTwoAndChangesNothing) {
  std::string ns = reviews_namespace("pol-bad");
  ASSERT_RUNS(run(ns, {"route", "set", "reviews", "--weights", "v1=90,v2=10"}));
  ASSERT_RUNS(run(ns, {"breaker", "set", "reviews", "--max-connections", "10"}));
  Json vs_before = get(kVs, ns), dr_before = get(kDr, ns);
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::string svc = "reviews." + ns;
  std::vector<Case> cases = {
      {{"retry", "set", "reviews", "--per-try-timeout", "2"},
       "--per-try-timeout \"2\" : expected a duration with a unit such as 250ms, 2s or 1m"},
      {{"retry", "set", "reviews", "--attempts", "-1"},
       "--attempts \"-1\" : expected a whole number from 0 to 2147483647"},
      {{"retry", "set", "reviews", "--retry-on", "5xx,bogus"},
       "\"bogus\" is not a retry condition"},
      {{"retry", "set", "reviews"},
       "give at least one of --attempts, --per-try-timeout, --retry-on"},
      {{"timeout", "set", "reviews", "0s"},
       "DURATION \"0s\" : expected a duration of at least 1ms"},
      {{"timeout", "set", "reviews", "10"}, "DURATION \"10\" : expected a duration with a unit"},
      {{"route", "set", "reviews", "--weights", "v1=80"},
       "route: weights for " + svc + " sum to 80, expected 100"},
      {{"route", "set", "reviews", "--weights", "v1=90,v3=10"},
       "route: subset v3 of " + svc + " would select nothing"},
      {{"route", "set", "reviews", "--weights", "v1=50,canary=50", "--subset-label", "track"},
       "route: subset canary of " + svc +
           " would select nothing: no Deployment, StatefulSet or DaemonSet in " + ns +
           " has a Pod template labelled track=canary, app=reviews"},
      {{"route", "set", "reviews", "--weights", "v1=100", "--route-index", "7"},
       "--route-index 7: virtualservice \"reviews\" in " + ns + " has 1 routes"},
      {{"route", "set", "reviews", "--weights", "v1=100", "--route", "nope"},
       "has no route named \"nope\""},
      {{"route", "set", "reviews", "--weights", "v1=100", "--route", "a", "--route-index", "0"},
       "give --route NAME or --route-index N, not both"},
      {{"route", "match", "reviews", "--to", "v2"},
       "give --header NAME=VALUE or --uri-prefix PATH"},
      {{"route", "match", "reviews", "--uri-prefix", "api", "--to", "v2"},
       "--uri-prefix \"api\" : expected a path starting with /"},
      {{"route", "mirror", "reviews", "--to", "v2", "--percent", "101"},
       "--percent \"101\" : expected a percentage from 0 to 100"},
      {{"fault", "set", "reviews", "--abort", "700"},
       "--abort \"700\" : expected an HTTP status code from 200 to 599"},
      {{"fault", "set", "reviews", "--delay", "1s", "--delay-percent", "150"},
       "--delay-percent \"150\" : expected a percentage from 0 to 100"},
      {{"fault", "set", "reviews", "--abort-percent", "5"},
       "--abort-percent: the route has no abort to change"},
      {{"breaker", "set", "reviews"}, "give at least one limit"},
      {{"breaker", "set", "reviews", "--max-connections", "x"},
       "--max-connections \"x\" : expected a whole number"},
      {{"breaker", "set", "reviews", "--interval", "5"},
       "--interval \"5\" : expected a duration with a unit"},
      {{"breaker", "set", "reviews", "--max-ejection-percent", "120"},
       "expected a whole percentage from 0 to 100"},
      {{"breaker", "set", "reviews", "--subset", "v9", "--max-connections", "1"},
       "--subset \"v9\": the DestinationRule has no such subset; its subsets: v1, v2"},
      {{"retry", "set", "ratings", "--attempts", "3"},
       "service \"ratings\" not found in namespace " + ns},
      {{"retry", "set", "reviews", "--attempts", "3", "-o", "table"},
       "-o \"table\" is not supported here; allowed formats: yaml, json, name"},
      {{"retry", "set", "reviews", "--attempts", "3", "--dry-run=maybe"}, "--dry-run"},
      {{"route", "set", "reviews", "--weights", "v1=100", "--subset-label", "bad label"},
       "--subset-label \"bad label\" : expected a label key"},
      {{"retry", "set", "reviews", "--attempts", "3", "--gateway", "nowhere"},
       "no VirtualService in " + ns + " is bound to gateway nowhere"},
  };
  for (const auto& c : cases) {
    Output r = run(ns, c.args);
    EXPECT_EQ(r.code, 2) << show(c.args) << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << show(c.args) << "\n" << r.err;
    EXPECT_EQ(r.out, "") << show(c.args);
  }
  EXPECT_EQ(get(kVs, ns), vs_before) << "bad input changed the VirtualService";
  EXPECT_EQ(get(kDr, ns), dr_before) << "bad input changed the DestinationRule";
  EXPECT_EQ(kubectl_json({"get", kVs, "-n", ns})["items"].size(), 1u);
  EXPECT_EQ(kubectl_json({"get", kDr, "-n", ns})["items"].size(), 1u);

  // Ambiguity is bad input too: two mesh VirtualServices for one Service.
  std::string second =
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews-too\n  "
      "namespace: " +
      ns + "\nspec:\n  hosts: [reviews." + ns + "]\n";
  ASSERT_RUNS(apply_text(second));
  Output two = run(ns, {"timeout", "set", "reviews", "1s"});
  EXPECT_EQ(two.code, 2);
  EXPECT_NE(two.err.find("more than one VirtualService in " + ns + " routes " + svc +
                         " inside the mesh: reviews, reviews-too"),
            std::string::npos)
      << two.err;
  EXPECT_EQ(get(kVs, ns), vs_before);
}

TEST(Policy, DryRunsAndDiffChangeNothing) {
  std::string ns = reviews_namespace("pol-dry");
  Output client =
      run(ns, {"route", "set", "reviews", "--weights", "v1=50,v2=50", "--dry-run=client"});
  ASSERT_RUNS(client);
  EXPECT_NE(client.out.find("kind: DestinationRule"), std::string::npos) << client.out;
  EXPECT_NE(client.out.find("weight: 50"), std::string::npos) << client.out;
  EXPECT_EQ(client.out.find("uid:"), std::string::npos);
  Output server = run(ns, {"route", "set", "reviews", "--weights", "v1=50,v2=50",
                           "--dry-run=server", "-o", "json"});
  ASSERT_RUNS(server);
  Json stored = Json::parse(server.out, nullptr, false);
  ASSERT_TRUE(stored.is_object()) << server.out;
  ASSERT_EQ(stored["items"].size(), 2u);
  EXPECT_TRUE(stored["items"][1]["metadata"].contains("uid")) << "the server's answer";
  EXPECT_EQ(stored["items"][1]["spec"]["http"][0]["route"][1]["weight"], 50);
  Output diff = run(ns, {"route", "set", "reviews", "--weights", "v1=50,v2=50", "--diff"});
  ASSERT_RUNS(diff);
  EXPECT_NE(
      diff.out.find(
          "--- /dev/null\n+++ edited/virtualservice.networking.istio.io/reviews\n@@ -0,0 +1,"),
      std::string::npos)
      << diff.out;
  EXPECT_EQ(kubectl_json({"get", kVs, "-n", ns})["items"].size(), 0u)
      << "dry runs and --diff created something";
  EXPECT_EQ(kubectl_json({"get", kDr, "-n", ns})["items"].size(), 0u);

  ASSERT_RUNS(run(ns, {"route", "set", "reviews", "--weights", "v1=90,v2=10"}));
  Json before = get(kVs, ns);
  Output change = run(ns, {"route", "set", "reviews", "--weights", "v1=80,v2=20", "--diff"});
  ASSERT_RUNS(change);
  EXPECT_NE(change.out.find("--- live/virtualservice.networking.istio.io/reviews\n"
                            "+++ edited/virtualservice.networking.istio.io/reviews\n"),
            std::string::npos)
      << change.out;
  EXPECT_NE(change.out.find("-      weight: 90\n+      weight: 80\n"), std::string::npos)
      << change.out;
  EXPECT_EQ(change.out.find("destinationrule"), std::string::npos)
      << "the DestinationRule needs no change";
  Output server_diff = run(ns, {"timeout", "set", "reviews", "2s", "--diff", "--dry-run=server"});
  ASSERT_RUNS(server_diff);
  EXPECT_NE(server_diff.out.find("+    timeout: 2s\n"), std::string::npos) << server_diff.out;
  EXPECT_EQ(get(kVs, ns), before);
}

TEST(Policy, OutputFormats) {
  std::string ns = reviews_namespace("pol-out");
  Output json = run(ns, {"timeout", "set", "reviews", "5s", "-o", "json"});
  ASSERT_RUNS(json);
  Json written = Json::parse(json.out, nullptr, false);
  ASSERT_TRUE(written.is_object()) << json.out;
  EXPECT_EQ(written["kind"], "VirtualService");
  EXPECT_EQ(written["metadata"]["resourceVersion"], get(kVs, ns)["metadata"]["resourceVersion"])
      << "what was written";
  EXPECT_FALSE(written["metadata"].contains("managedFields"));
  Output name = run(ns, {"route", "set", "reviews", "--weights", "v1=100", "-o", "name"});
  ASSERT_RUNS(name);
  EXPECT_EQ(
      name.out,
      "destinationrule.networking.istio.io/reviews\nvirtualservice.networking.istio.io/reviews\n");
  Output yaml = run(ns, {"timeout", "set", "reviews", "6s", "-o", "yaml"});
  ASSERT_RUNS(yaml);
  EXPECT_NE(yaml.out.find("timeout: 6s"), std::string::npos) << yaml.out;
}

TEST(Policy, ShowAndExportReflectEverything) {
  std::string ns = reviews_namespace("pol-show");
  ASSERT_RUNS(run(ns, {"route", "set", "reviews", "--weights", "v1=70,v2=30"}));
  ASSERT_RUNS(run(ns, {"retry", "set", "reviews", "--attempts", "3", "--per-try-timeout", "2s",
                       "--retry-on", "5xx"}));
  ASSERT_RUNS(run(ns, {"timeout", "set", "reviews", "8s"}));
  ASSERT_RUNS(run(ns, {"fault", "set", "reviews", "--abort", "503", "--abort-percent", "5"}));
  ASSERT_RUNS(
      run(ns, {"breaker", "set", "reviews", "--max-connections", "64", "--consecutive-5xx", "4"}));

  Output json = run(ns, {"policy", "show", "-o", "json"});
  ASSERT_RUNS(json);
  Json view = Json::parse(json.out, nullptr, false);
  ASSERT_TRUE(view.is_object()) << json.out;
  ASSERT_EQ(view["services"].size(), 1u);
  const Json& s = view["services"][0];
  EXPECT_EQ(s["service"], "reviews");
  EXPECT_EQ(s["namespace"], ns);
  ASSERT_EQ(s["routes"].size(), 1u);
  const Json& r = s["routes"][0];
  EXPECT_EQ(r["destinations"], Json::parse(R"([{"host": "reviews", "subset": "v1", "weight": 70},
                                               {"host": "reviews", "subset": "v2", "weight": 30}])"));
  EXPECT_EQ(r["retries"],
            Json::parse(R"({"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx"})"));
  EXPECT_EQ(r["timeout"], "8s");
  EXPECT_EQ(r["fault"]["abort"]["httpStatus"], 503);
  EXPECT_EQ(s["destinationRule"]["breaker"],
            Json::parse(R"({"connectionPool": {"tcp": {"maxConnections": 64}},
                                                             "outlierDetection": {"consecutive5xxErrors": 4}})"));

  Output table = run(ns, {"policy", "show"});
  ASSERT_RUNS(table);
  for (const char* text :
       {"SERVICE", "reviews[0]", "reviews/v1 70%, reviews/v2 30%", "8s",
        "3 attempts, per try 2s, on 5xx", "abort 503 (5%)", "max-connections=64 consecutive-5xx=4"})
    EXPECT_NE(table.out.find(text), std::string::npos) << text << "\n" << table.out;
  Output one = run(ns, {"policy", "show", "reviews"});
  EXPECT_RUNS(one);
  EXPECT_EQ(one.out, table.out);
  Output all = mesh({"--kubeconfig", kubeconfig(), "policy", "show", "-A"});
  ASSERT_RUNS(all);
  EXPECT_NE(all.out.find("reviews." + ns), std::string::npos) << all.out;
  Output routes = run(ns, {"route", "show", "reviews"});
  ASSERT_RUNS(routes);
  EXPECT_NE(routes.out.find("reviews/v1 70%, reviews/v2 30%"), std::string::npos) << routes.out;
  Output missing = run(ns, {"policy", "show", "nope"});
  EXPECT_EQ(missing.code, 2);

  Output exported = run(ns, {"policy", "export", "reviews", "-o", "json"});
  ASSERT_RUNS(exported);
  Json list = Json::parse(exported.out, nullptr, false);
  ASSERT_TRUE(list.is_object()) << exported.out;
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["kind"], "DestinationRule");
  EXPECT_EQ(list["items"][1]["kind"], "VirtualService");
  for (const auto& o : list["items"]) {
    for (const char* key :
         {"uid", "resourceVersion", "managedFields", "creationTimestamp", "generation"})
      EXPECT_FALSE(o["metadata"].contains(key)) << key;
    EXPECT_FALSE(o.contains("status"));
  }
  EXPECT_EQ(list["items"][1]["spec"], get(kVs, ns)["spec"]);
  // What export prints is fit to apply again (GitOps): the server takes it unchanged.
  Output yaml = run(ns, {"policy", "export"});
  ASSERT_RUNS(yaml);
  Output diff = kubectl({"diff", "-f", write_file(temp_dir(), "export.yaml", yaml.out)});
  EXPECT_EQ(diff.code, 0) << "applying the export would change something:\n"
                          << diff.out << diff.err;
  EXPECT_EQ(diff.out, "");
}

TEST(Policy, OlderApiVersionsAreEditedWithoutLoss) {
  std::string ns = reviews_namespace("pol-old");
  std::string objects = with_ns(R"(apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: reviews, namespace: NS}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
    corsPolicy:
      allowOrigins: [{exact: https://example.com}]
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: {name: reviews, namespace: NS}
spec:
  host: reviews
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
  subsets:
  - name: v1
    labels: {version: v1}
)",
                                ns);
  ASSERT_RUNS(apply_text(objects));
  ASSERT_RUNS(run(ns, {"retry", "set", "reviews", "--attempts", "3"}));
  ASSERT_RUNS(run(ns, {"route", "set", "reviews", "--weights", "v1=90,v2=10"}));
  ASSERT_RUNS(run(ns, {"breaker", "set", "reviews", "--max-pending", "5"}));
  Json vs =
      kubectl_json({"get", "virtualservices.v1beta1.networking.istio.io", "reviews", "-n", ns});
  ASSERT_TRUE(vs.is_object());
  EXPECT_EQ(vs["apiVersion"], "networking.istio.io/v1beta1");
  EXPECT_EQ(vs["spec"]["http"][0]["corsPolicy"],
            Json::parse(R"({"allowOrigins": [{"exact": "https://example.com"}]})"));
  EXPECT_EQ(vs["spec"]["http"][0]["retries"]["attempts"], 3);
  EXPECT_EQ(vs["spec"]["http"][0]["route"][1]["weight"], 10);
  Json dr =
      kubectl_json({"get", "destinationrules.v1alpha3.networking.istio.io", "reviews", "-n", ns});
  ASSERT_TRUE(dr.is_object());
  EXPECT_EQ(dr["spec"]["trafficPolicy"], Json::parse(R"({"tls": {"mode": "ISTIO_MUTUAL"},
                                                         "connectionPool": {"http": {"http1MaxPendingRequests": 5}}})"));
  EXPECT_EQ(dr["spec"]["subsets"].size(), 2u);
}

const char* kHttpRouteCrd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: httproutes.gateway.networking.k8s.io
  annotations:
    api-approved.kubernetes.io: https://github.com/kubernetes-sigs/gateway-api/pull/3328
spec:
  group: gateway.networking.k8s.io
  names: {kind: HTTPRoute, plural: httproutes, singular: httproute, listKind: HTTPRouteList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
)";

TEST(Policy, WarnsWhenTheVirtualServiceMayNotRouteTheTraffic) {
  std::string ns = reviews_namespace("pol-warn");
  ASSERT_RUNS(kubectl({"label", "namespace", ns, "istio.io/dataplane-mode=ambient"}));
  Output ambient = run(ns, {"timeout", "set", "reviews", "2s"});
  ASSERT_RUNS(ambient);
  EXPECT_NE(ambient.err.find("Warning: namespace " + ns +
                             " is in ambient mode (istio.io/dataplane-mode=ambient)"),
            std::string::npos)
      << ambient.err;
  EXPECT_EQ(get(kVs, ns)["spec"]["http"][0]["timeout"], "2s") << "a warning, not a refusal";

  // Gateway API's HTTPRoute (a schema-less stand-in for its CRD; Gateway API may already be there).
  if (kubectl({"get", "crd", "httproutes.gateway.networking.k8s.io"}).code != 0) {
    ASSERT_RUNS(apply_text(kHttpRouteCrd));
  }
  Output route;
  for (int i = 0; i < 60; ++i) {  // until the CRD is Established
    route = apply_text(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: "
        "reviews-route\n  namespace: " +
        ns +
        "\nspec:\n  parentRefs:\n  - {group: \"\", kind: Service, name: reviews, port: 9080}\n");
    if (route.code == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_RUNS(route);
  Output warned;
  for (int i = 0; i < 20; ++i) {  // discovery may take a moment to list a new CRD
    warned = run(ns, {"timeout", "set", "reviews", "3s"});
    if (warned.err.find("HTTPRoute") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_RUNS(warned);
  EXPECT_NE(
      warned.err.find(
          "Warning: HTTPRoute reviews-route (Gateway API) is attached to service reviews." + ns +
          ": Istio routes the Service's mesh traffic by it, so the VirtualService may not be what "
          "routes its traffic"),
      std::string::npos)
      << warned.err;
  Output shown = run(ns, {"policy", "show", "reviews"});
  EXPECT_NE(shown.err.find("HTTPRoute reviews-route"), std::string::npos) << shown.err;
}

TEST(Policy, RestrictedUserGetsAPermissionError) {
  std::string name = unique_name("reviews");
  ASSERT_RUNS(apply_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name +
                         "\n  namespace: restricted-ns\nspec:\n  ports: [{port: 80}]\n"));
  Output r =
      mesh({"--kubeconfig", kubeconfig("restricted"), "retry", "set", name, "--attempts", "3"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("creating virtualservice.networking.istio.io/" + name + " in restricted-ns"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("User \"kmesh-restricted\" cannot create resource \"virtualservices\""),
            std::string::npos)
      << r.err;
  EXPECT_EQ(kubectl_json({"get", kVs, name, "-n", "restricted-ns"}), nullptr);
  Output shown = mesh({"--kubeconfig", kubeconfig("restricted"), "policy", "show", name});
  EXPECT_RUNS(shown) << "reading is allowed";
  kubectl({"delete", "service", name, "-n", "restricted-ns"});
}

// The README states the round trips: discovery (2 requests), one parallel batch of
// namespaced reads, one write. Counted from -v=6's request log.
TEST(Policy, RoundTripsAreFewAndNamespaced) {
  std::string ns = reviews_namespace("pol-rt");
  ASSERT_RUNS(run(ns, {"timeout", "set", "reviews", "1s"}));
  Output r = run(ns, {"-v", "6", "retry", "set", "reviews", "--attempts", "3"});
  ASSERT_RUNS(r);
  std::vector<std::string> requests;
  for (const auto& line : split(r.err, '\n'))
    if (starts_with(line, "I GET ") || starts_with(line, "I PUT ") || starts_with(line, "I POST "))
      requests.push_back(line);
  ASSERT_GE(requests.size(), 6u) << r.err;
  EXPECT_LE(requests.size(), 7u) << r.err;  // + the HTTPRoute list when Gateway API is served
  size_t puts = 0, discovery = 0;
  for (const auto& line : requests) {
    puts += starts_with(line, "I PUT ");
    bool is_discovery =
        line.find("/api ") != std::string::npos || line.find("/apis ") != std::string::npos;
    discovery += is_discovery;
    if (!is_discovery) {
      EXPECT_NE(line.find("/namespaces/" + ns), std::string::npos)
          << "a read or write outside the namespace: " << line;
    }
  }
  EXPECT_EQ(puts, 1u);
  EXPECT_EQ(discovery, 2u);
}

}  // namespace
}  // namespace kmesh::testing
