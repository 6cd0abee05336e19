// lib/mesh/status: the view built from listed objects (Istio section, scope, namespaces)
// and its table sections, on testdata/status fixtures and small hand-made objects.

#include <gtest/gtest.h>

#include "lib/mesh/status/status.hpp"
#include "tests/unit/status_fixtures.hpp"

namespace kmesh::mesh::status {
namespace {

using testing::status_fixture;

Json deployment(const std::string& name, const Json& labels, int replicas, const Json& status) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", "istio-system"}, {"labels", labels}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", labels}}},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec",
               {{"containers", {{{"name", "c"}, {"image", "docker.io/istio/pilot:1.30.2"}}}}}}}}}},
          {"status", status}};
}

ControlPlaneObjects control_plane_of(const std::vector<Json>& objects) {
  ControlPlaneObjects cp;
  cp.crds_served = true;
  for (const auto& o : objects) {
    if (o["metadata"].value("namespace", "") != "istio-system" &&
        o.value("kind", "") != "MutatingWebhookConfiguration")
      continue;
    std::string kind = o.value("kind", "");
    if (kind == "ConfigMap") cp.install_records.push_back(o);
    if (kind == "Deployment") cp.deployments.push_back(o);
    if (kind == "Pod") cp.pods.push_back(o);
    if (kind == "MutatingWebhookConfiguration") cp.tag_webhooks.push_back(o);
  }
  return cp;
}

Inputs inputs_of(const std::vector<Json>& objects) {
  Inputs in;
  in.control_plane = control_plane_of(objects);
  for (const auto& o : objects)
    if (o.value("kind", "") != "MutatingWebhookConfiguration" && o.value("kind", "") != "ConfigMap")
      in.world.add(analyze::object_from_cluster(o, true));
  in.world.set_all_known();
  return in;
}

TEST(StatusIstio, RevisionsComponentsAndWhyTheyAreNotReady) {
  Json istio = istio_section(control_plane_of(status_fixture("cluster.yaml")));
  EXPECT_EQ(istio["installed"], true);
  EXPECT_EQ(istio["revisions"], Json::parse(R"([{"revision": "default", "version": "1.31.0",
      "profile": "default", "installedBy": "kubectl-mesh", "tags": ["prod"]}])"));
  ASSERT_EQ(istio["components"].size(), 2u);
  EXPECT_EQ(istio["components"][0], Json::parse(R"j({"name": "istiod", "namespace": "istio-system",
      "role": "istiod", "revision": "default", "desired": 1, "ready": 0, "healthy": false,
      "reason": "1 Pod Pending, not scheduled to a node"})j"));
  EXPECT_EQ(istio["components"][1]["name"], "istio-ingressgateway");
  EXPECT_EQ(istio["components"][1]["role"], "gateway");
  EXPECT_EQ(istio["components"][1]["healthy"], true);
  EXPECT_EQ(istio["components"][1]["reason"], "");
  EXPECT_EQ(istio["message"], "");
}

TEST(StatusIstio, AnIstiodInstalledByAnotherToolShowsWithWhatItsImageSays) {
  ControlPlaneObjects cp;
  cp.deployments.push_back(deployment(
      "istiod-canary", {{"app", "istiod"}, {"istio.io/rev", "canary"}}, 0, Json::object()));
  Json istio = istio_section(cp);
  EXPECT_EQ(istio["revisions"], Json::parse(R"([{"revision": "canary", "version": "1.30.2",
      "profile": "", "installedBy": "", "tags": []}])"));
  EXPECT_EQ(istio["components"][0]["reason"], "scaled to zero");
}

TEST(StatusIstio, PodsThatCannotBeCreatedSayWhy) {
  ControlPlaneObjects cp;
  cp.deployments.push_back(
      deployment("istiod", {{"app", "istiod"}}, 1,
                 Json::parse(R"({"conditions": [{"type": "ReplicaFailure", "status": "True",
          "reason": "FailedCreate", "message": "pods \"istiod-1\" is forbidden: exceeded quota"}]})")));
  EXPECT_EQ(istio_section(cp)["components"][0]["reason"],
            "cannot create Pods: pods \"istiod-1\" is forbidden: exceeded quota");
}

TEST(StatusIstio, AbsentOrUnreadable) {
  ControlPlaneObjects none;
  Json absent = istio_section(none);
  EXPECT_EQ(absent["installed"], false);
  EXPECT_EQ(absent["message"],
            "Istio is not installed: run 'kubectl mesh install' (add --profile "
            "minimal|default|demo to choose)");
  none.crds_served = true;
  EXPECT_NE(istio_section(none)["message"].get<std::string>().find(
                "Istio's CRDs are installed but no istiod is in istio-system"),
            std::string::npos);
  ControlPlaneObjects hidden;
  hidden.unreadable = "configmaps is forbidden";
  Json unknown = istio_section(hidden);
  EXPECT_EQ(unknown["installed"], nullptr);
  EXPECT_EQ(unknown["message"], "cannot read istio-system: configmaps is forbidden");
}

TEST(StatusScope, MeshAllAndOneNamespace) {
  Inputs in = inputs_of(status_fixture("cluster.yaml"));
  EXPECT_EQ(scope_namespaces(in.world, {}), (std::vector<std::string>{"canary-shop", "shop"}));
  EXPECT_EQ(scope_namespaces(in.world, {Scope::kAll, ""}),
            (std::vector<std::string>{"canary-shop", "istio-system", "plain", "shop"}));
  EXPECT_EQ(scope_namespaces(in.world, {Scope::kNamespace, "plain"}),
            std::vector<std::string>{"plain"});
}

TEST(StatusNamespaces, InjectionWorkloadsAndLabelsThatReachNoControlPlane) {
  Inputs in = inputs_of(status_fixture("cluster.yaml"));
  Json ns = namespaces_section(in.world, {"canary-shop", "shop"},
                               std::set<std::string>{"default", "prod"});
  EXPECT_EQ(ns[0]["injection"], "revision canary");
  ASSERT_EQ(ns[0]["warnings"].size(), 1u);
  EXPECT_EQ(ns[0]["warnings"][0],
            "istio.io/rev=canary names no installed revision or tag: new Pods get no sidecar; "
            "run 'kubectl mesh install --revision canary' or 'kubectl mesh tag set canary "
            "--revision REVISION'");
  EXPECT_EQ(ns[1]["injection"], "enabled");
  EXPECT_EQ(ns[1]["labels"], Json::parse(R"({"istio-injection": "enabled"})"));
  EXPECT_TRUE(ns[1]["warnings"].empty());
  ASSERT_EQ(ns[1]["workloads"].size(), 3u);
  EXPECT_EQ(ns[1]["workloads"][0], Json::parse(R"({"kind": "Deployment", "name": "account",
      "ready": 0, "desired": 2, "sidecarExpected": true, "podsWithSidecar": 0,
      "podsWithoutSidecar": 0, "needsRestart": false,
      "problem": "Internal error occurred: failed calling webhook \"namespace.sidecar-injector.istio.io\": no endpoints available for service \"istiod\""})"));
  EXPECT_EQ(ns[1]["workloads"][2], Json::parse(R"({"kind": "Pod", "name": "debug", "ready": null,
      "desired": null, "sidecarExpected": true, "podsWithSidecar": 0, "podsWithoutSidecar": 1,
      "needsRestart": true, "problem": ""})"));

  Json only_canary = namespaces_section(in.world, {"shop"}, std::set<std::string>{"canary"});
  ASSERT_EQ(only_canary[0]["warnings"].size(), 1u);
  EXPECT_NE(only_canary[0]["warnings"][0].get<std::string>().find(
                "istio-injection=enabled is answered by the default revision or tag, and there "
                "is none (installed: canary)"),
            std::string::npos);
  EXPECT_TRUE(namespaces_section(in.world, {"canary-shop"}, std::nullopt)[0]["warnings"].empty())
      << "no warning when the revisions are unknown";
}

TEST(StatusTable, SectionsInOrderWithOneLinePerProblem) {
  Json view = build_status(inputs_of(status_fixture("cluster.yaml")), {});
  auto sections = table_sections(view);
  ASSERT_EQ(sections.size(), 4u);
  EXPECT_EQ(sections[0].heading, "Istio");
  EXPECT_EQ(sections[1].heading, "Namespaces");
  EXPECT_EQ(sections[2].heading, "Services");
  EXPECT_EQ(sections[3].heading, "Analysis");
  const auto& ns = sections[1].parts;
  ASSERT_GE(ns.size(), 4u);
  EXPECT_EQ(ns[0].table.rows, (std::vector<std::vector<std::string>>{
                                  {"canary-shop", "revision canary", "0", "-", "0/0", "0"},
                                  {"shop", "enabled", "3", "0/3", "0/1", "1"}}));
  EXPECT_EQ(ns[2].line,
            "pod/debug in shop: 1 Pod without a sidecar, which the namespace asks for; delete and "
            "recreate it");
  EXPECT_EQ(ns[3].line.rfind("Pods of deployment/account and deployment/payment in shop cannot be "
                             "created: Internal error occurred",
                             0),
            0u)
      << "one line for the webhook refusing both";
  EXPECT_EQ(sections[3].parts[0].line,
            "1 error, 1 warning, 1 info in 10 objects (KM0101 x1, KM0301 x1, KM0304 x1)");
}

TEST(StatusView, OnlyFindingsOfTheNamespacesShownAreCounted) {
  Inputs in = inputs_of(status_fixture("cluster.yaml"));
  Json mesh = build_status(in, {});
  Json plain = build_status(in, {Scope::kNamespace, "plain"});
  EXPECT_EQ(mesh["analysis"]["codes"], Json::parse(R"({"KM0101": 1, "KM0301": 1, "KM0304": 1})"));
  EXPECT_EQ(plain["analysis"]["errors"], 0);
  EXPECT_EQ(plain["analysis"]["codes"], Json::object());
}

}  // namespace
}  // namespace kmesh::mesh::status
