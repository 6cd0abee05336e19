// graph: the topology built from objects, its DOT, Mermaid and HTML text, and the
// Prometheus answer put on its edges (no Graphviz, browser or Prometheus here: those are
// in tests/integration/graph_test.cpp).

#include <gtest/gtest.h>

#include <set>

#include "lib/core/strings.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/mesh/analyze/loader.hpp"
#include "lib/mesh/graph/prometheus.hpp"
#include "lib/mesh/graph/render.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::mesh::graph {
namespace {

analyze::World world_of_text(const std::string& text) {
  auto docs = yaml::parse_documents(text, "test.yaml");
  EXPECT_TRUE(docs.ok());
  analyze::World world;
  analyze::add_documents(world, *docs, "shop");
  return world;
}

Graph bookstore() {
  kustomize::EmbeddedFileSource files;
  auto objects = kustomize::build("kustomize-templates/bookstore/overlays/mesh", files);
  EXPECT_TRUE(objects.ok()) << (objects.ok() ? "" : objects.error().message);
  analyze::World world;
  std::vector<Document> docs;
  for (auto& o : *objects)
    docs.push_back({o, "mesh", 1});
  analyze::add_documents(world, docs, "default");
  return build_graph(world);
}

std::string describe(const Graph& g, const Edge& e) {
  auto name = [&](const std::string& id) {
    const Node* n = g.node(id);
    if (n->kind == NodeKind::kSubset) return g.node(n->parent)->name + "/" + n->name;
    return n->name;
  };
  return name(e.from) + " -> " + name(e.to) + " [" + (e.labels.empty() ? "" : e.labels.front()) +
         "]";
}

TEST(GraphBuild, BookstoreHasTheGatewayTheFiveServicesAndTheirRoutes) {
  Graph g = bookstore();
  std::set<std::string> services, edges;
  for (const auto& n : g.nodes)
    if (n.kind == NodeKind::kService) services.insert(n.name + "." + n.ns);
  EXPECT_EQ(services, (std::set<std::string>{
                          "account.bookstore-servicemesh", "authentication.bookstore-servicemesh",
                          "frontend.bookstore-servicemesh", "payment.bookstore-servicemesh",
                          "warehouse.bookstore-servicemesh"}));
  for (const auto& e : g.edges)
    edges.insert(describe(g, e));
  EXPECT_EQ(
      edges,
      (std::set<std::string>{
          "bookstore-gateway -> bookstore [*]",
          "bookstore -> account/v1 [prefix /restful/accounts]",
          "bookstore -> payment/v1 [prefix /restful/pay or prefix /restful/settlements]",
          "bookstore -> warehouse/v1 [prefix /restful/advertisements or prefix /restful/products]",
          "bookstore -> authentication/v1 [prefix /oauth]",
          "bookstore -> frontend/v1 [any request]",
      }));
}

const char* kPolicies = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
    - match:
        - headers: {end-user: {exact: "jason \"j\""}}
      route:
        - destination: {host: reviews, subset: v2}
      timeout: 3s
      retries: {attempts: 3, perTryTimeout: 1s, retryOn: 5xx}
    - route:
        - destination: {host: reviews, subset: v1}
          weight: 90
        - destination: {host: reviews, subset: v2}
          weight: 10
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 100}
      http: {http1MaxPendingRequests: 10}
    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
  subsets:
    - name: v1
      labels: {version: v1}
    - name: v2
      labels: {version: v2}
      trafficPolicy:
        connectionPool:
          tcp: {maxConnections: 5}
)";

TEST(GraphBuild, EdgesCarryWeightsRetriesTimeoutsAndBreakers) {
  Graph g = build_graph(world_of_text(kPolicies));
  std::vector<std::string> labels;
  for (const auto& e : g.edges)
    labels.push_back(describe(g, e) + " " + join(e.labels, "; "));
  EXPECT_EQ(labels, (std::vector<std::string>{
                        "mesh -> reviews [reviews] reviews",
                        "reviews -> reviews/v2 [header end-user] header end-user; timeout 3s; "
                        "retries 3 x 1s on 5xx; "
                        "breaker max 5 conn, eject after 5x5xx/10s for 30s (max 10%)",
                        "reviews -> reviews/v1 [any request] any request; weight 90; breaker max "
                        "100 conn, 10 pending, "
                        "eject after 5x5xx/10s for 30s (max 10%)",
                        "reviews -> reviews/v2 [any request] any request; weight 10; breaker max 5 "
                        "conn, eject after "
                        "5x5xx/10s for 30s (max 10%)",
                    }));
}

TEST(GraphRender, DotAndMermaidEscapeWhatTheyMust) {
  Graph g = build_graph(world_of_text(kPolicies));
  g.nodes.front().details.push_back("a \"quoted\" <b>|#");
  std::string dot = to_dot(g);
  EXPECT_NE(dot.find("a \\\"quoted\\\" <b>|#"), std::string::npos) << dot;
  EXPECT_EQ(dot.find("\n\""), std::string::npos) << "labels use \\n, not raw newlines";
  std::string mermaid = to_mermaid(g);
  EXPECT_TRUE(starts_with(mermaid, "flowchart LR\n"));
  EXPECT_NE(mermaid.find("a #quot;quoted#quot; #lt;b#gt;#124;#35;"), std::string::npos) << mermaid;
  EXPECT_NE(mermaid.find("-->|\"any request<br/>weight 90"), std::string::npos) << mermaid;
  std::string html = to_html(g, "t <1>");
  EXPECT_NE(html.find("<title>t &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("a &quot;quoted&quot; &lt;b&gt;|#"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"))
      << "no network reference but the SVG namespace";
}

TEST(GraphTraffic, RatesComeFromTheDestinationReporterWhenThereIsOne) {
  Graph g = build_graph(world_of_text(kPolicies));
  std::string body = R"({"status":"success","data":{"resultType":"vector","result":[
    {"metric":{"reporter":"destination","destination_service_name":"reviews","destination_service_namespace":"shop","destination_version":"v1","response_code":"200"},"value":[1700000000,"9"]},
    {"metric":{"reporter":"destination","destination_service_name":"reviews","destination_service_namespace":"shop","destination_version":"v1","response_code":"503"},"value":[1700000000,"1"]},
    {"metric":{"reporter":"source","destination_service_name":"reviews","destination_service_namespace":"shop","destination_version":"v1","response_code":"200"},"value":[1700000000,"100"]},
    {"metric":{"reporter":"destination","destination_service_name":"reviews","destination_service_namespace":"shop","destination_version":"v2","response_code":"200"},"value":[1700000000,"2.5"]},
    {"metric":{"reporter":"destination","destination_service_name":"reviews","destination_service_namespace":"other","destination_version":"v2","response_code":"200"},"value":[1700000000,"50"]}
  ]}})";
  auto samples = parse_traffic(body);
  ASSERT_TRUE(samples.ok());
  attach_traffic(g, *samples);
  for (const auto& e : g.edges) {
    if (e.service.empty()) {
      EXPECT_FALSE(e.traffic);
      continue;
    }
    ASSERT_TRUE(e.traffic) << describe(g, e);
    if (e.version == "v1") {
      EXPECT_DOUBLE_EQ(e.traffic->rps, 10);
      EXPECT_DOUBLE_EQ(e.traffic->error_ratio, 0.1);
      EXPECT_EQ(describe_traffic(*e.traffic), "10.00 req/s, 10.0% 5xx");
    } else {
      EXPECT_DOUBLE_EQ(e.traffic->rps, 2.5);
      EXPECT_DOUBLE_EQ(e.traffic->error_ratio, 0);
    }
  }
}

TEST(GraphTraffic, QueriesAndAnswersAreCheckedAndEncoded) {
  EXPECT_EQ(query_url("http://127.0.0.1:9090/", "up{a=\"b\"}", "1700000000"),
            "http://127.0.0.1:9090/api/v1/query?query=up%7Ba%3D%22b%22%7D&time=1700000000");
  EXPECT_NE(traffic_query().find("rate(istio_requests_total[5m])"), std::string::npos);
  EXPECT_TRUE(check_eval_time("2026-01-02T15:04:05Z").ok());
  EXPECT_TRUE(check_eval_time("1700000000.5").ok());
  EXPECT_FALSE(check_eval_time("yesterday").ok());
  auto bad =
      parse_traffic(R"({"status":"error","errorType":"bad_data","error":"parse error at char 3"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("parse error at char 3"), std::string::npos);
  EXPECT_FALSE(parse_traffic("<html>").ok());
}

}  // namespace
}  // namespace kmesh::mesh::graph
