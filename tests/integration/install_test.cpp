// kubectl mesh install / verify-install / uninstall / tag on a control plane of their own
// (they change cluster-wide state: CRDs, webhooks, istio-system). The tests run in order
// and each starts from the state the one before left.

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

// The CustomResourceDefinitions of Istio 1.31 that every profile installs (manifests/crds).
constexpr size_t kIstioCrds = 15;

class Install : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { plane_ = new OwnControlPlane(); }
  static void TearDownTestSuite() { delete plane_; }
  void SetUp() override { ASSERT_TRUE(plane_->ok()) << plane_->error(); }

  static Output mesh_as(const std::string& who, std::vector<std::string> args) {
    args.insert(args.begin(), {"--kubeconfig", plane_->kubeconfig(who)});
    return mesh(args);
  }
  static Output run(std::vector<std::string> args) { return mesh_as("admin", std::move(args)); }
  static Output kc(std::vector<std::string> args) { return kubectl(args, plane_->kubeconfig()); }
  static Json kc_json(std::vector<std::string> args) {
    args.insert(args.end(), {"-o", "json"});
    Output r = kc(args);
    return r.code == 0 ? Json::parse(r.out, nullptr, false) : Json();
  }
  // Names of objects of a kind carrying the install labels.
  static std::vector<std::string> labelled(const std::string& kind, const std::string& extra = "") {
    Json list =
        kc_json({"get", kind, "-A", "-l", "app.kubernetes.io/managed-by=kubectl-mesh" + extra});
    std::vector<std::string> names;
    if (list.is_object())
      for (const auto& i : list["items"])
        names.push_back(i["metadata"]["name"].get<std::string>());
    return names;
  }
  static bool has(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }
  static OwnControlPlane* plane_;
};
OwnControlPlane* Install::plane_ = nullptr;

std::string fixture(const std::string& name) {
  return std::string(KMESH_SOURCE_DIR) + "/tests/integration/testdata/" + name;
}

TEST_F(Install, BadInputExitsTwoAndChangesNothing) {
  std::string dir = temp_dir();
  std::string malformed = write_file(dir, "values.yaml", "pilot:\n  replicaCount: [1\n");
  std::string unknown = write_file(dir, "unknown.yaml", "pilot:\n  replicas: 2\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"install", "--profile", "huge", "-y"},
       "unknown profile \"huge\"; profiles: minimal, default, demo"},
      {{"install", "--set", "pilot.replicas=2", "-y"},
       "unknown value \"pilot.replicas\"; did you mean pilot.replicaCount"},
      {{"install", "--set", "pilot.replicaCount=two", "-y"},
       "pilot.replicaCount=two: expected a whole number"},
      {{"install", "-f", malformed, "-y"}, "values.yaml:"},
      {{"install", "-f", unknown, "-y"}, "unknown value \"pilot.replicas\""},
      {{"install", "--revision", "Not_Valid", "-y"},
       "revision=Not_Valid: expected a revision name"},
  };
  for (const auto& c : cases) {
    Output r = run(c.args);
    EXPECT_EQ(r.code, 2) << join(c.args, " ") << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << join(c.args, " ") << "\n" << r.err;
  }
  EXPECT_NE(kc({"get", "namespace", "istio-system"}).code, 0) << "bad input created istio-system";
}

// Before any install: status is still a view (exit 0) that says how to install, and warns
// about a namespace waiting for sidecars that nothing will inject.
TEST_F(Install, StatusBeforeInstallSaysHowToInstall) {
  ASSERT_EQ(kc({"create", "namespace", "waiting-shop"}).code, 0);
  ASSERT_EQ(kc({"label", "namespace", "waiting-shop", "istio-injection=enabled"}).code, 0);
  Output table = run({"status"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("Istio is not installed: run 'kubectl mesh install'"), std::string::npos)
      << table.out;
  Output json = run({"status", "-o", "json"});
  ASSERT_EQ(json.code, 0) << json.err;
  Json view = Json::parse(json.out, nullptr, false);
  ASSERT_FALSE(view.is_discarded()) << json.out;
  EXPECT_EQ(view["istio"]["installed"], false);
  EXPECT_EQ(view["istio"]["crds"], false);
  bool warned = false;
  for (const auto& ns : view["namespaces"])
    if (ns.value("name", "") == "waiting-shop")
      for (const auto& w : ns["warnings"])
        warned |= w.get<std::string>().find("Istio is not installed") != std::string::npos;
  EXPECT_TRUE(warned) << view["namespaces"].dump();
  EXPECT_EQ(run({"status", "-o", "json"}).out, json.out) << "the same state, the same document";
  EXPECT_EQ(kc({"delete", "namespace", "waiting-shop", "--wait=false"}).code, 0);
}

TEST_F(Install, ConfirmationIsNeededWithoutATerminal) {
  Output r = run({"install"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("pass -y"), std::string::npos) << r.err;
  EXPECT_NE(kc({"get", "namespace", "istio-system"}).code, 0);
}

TEST_F(Install, UserWithoutRightsGetsThePrecheckList) {
  Output r = mesh_as("restricted", {"install", "-y"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("precheck: kubeconfig user \"kmesh-restricted\" may not"), std::string::npos)
      << r.err;
  EXPECT_NE(
      r.err.find(
          "create, patch, delete customresourcedefinitions.apiextensions.k8s.io (cluster-wide)"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("bind, escalate clusterroles.rbac.authorization.k8s.io"), std::string::npos)
      << r.err;
  EXPECT_NE(kc({"get", "namespace", "istio-system"}).code, 0);
}

TEST_F(Install, EachProfileInstallsWithEveryObjectLabelledAndCrdsEstablished) {
  for (std::string profile : {"minimal", "demo", "default"}) {
    Output r = run({"install", "--profile", profile, "-y"});
    ASSERT_EQ(r.code, 0) << profile << ": " << r.err;
    Output plan = run({"manifest", "generate", "--profile", profile, "-o", "json"});
    ASSERT_EQ(plan.code, 0);
    Json objects = Json::parse(plan.out)["items"];
    for (const auto& o : objects) {
      std::string kind = o["kind"], name = o["metadata"]["name"];
      std::vector<std::string> get = {
          "get", kind + "." + split(o["apiVersion"].get<std::string>(), '/').front(), name};
      if (o["apiVersion"].get<std::string>().find('/') == std::string::npos)
        get = {"get", kind, name};
      if (o["metadata"].contains("namespace"))
        get.insert(get.end(), {"-n", o["metadata"]["namespace"]});
      Json live = kc_json(get);
      ASSERT_TRUE(live.is_object()) << profile << ": " << kind << "/" << name << " missing";
      EXPECT_EQ(live["metadata"]["labels"]["app.kubernetes.io/managed-by"], "kubectl-mesh")
          << kind << "/" << name;
      EXPECT_EQ(live["metadata"]["labels"]["kubectl-mesh.dev/version"], "1.31.0")
          << kind << "/" << name;
    }
    Output verify = run({"verify-install"});
    EXPECT_EQ(verify.code, 0) << profile << ": " << verify.out << verify.err;
  }
  Json crds = kc_json({"get", "crd", "-l", "kubectl-mesh.dev/component=base"});
  ASSERT_EQ(crds["items"].size(), kIstioCrds);
  for (const auto& crd : crds["items"]) {
    bool established = false;
    for (const auto& c : crd["status"]["conditions"])
      established |= c["type"] == "Established" && c["status"] == "True";
    EXPECT_TRUE(established) << crd["metadata"]["name"];
  }
}

TEST_F(Install, SecondInstallChangesNothingAndSaysSo) {
  Output r = run({"install", "-y"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("is already installed as planned: nothing changed"), std::string::npos)
      << r.out;
}

TEST_F(Install, UpstreamBookstoreIstioObjectsAreAcceptedAndReadBackAtV1) {
  ASSERT_EQ(kc({"create", "namespace", "bookstore-servicemesh"}).code, 0);
  std::string dir = std::string(KMESH_SOURCE_DIR) +
                    "/../shared/reference/fenix-bookstore/bookstore-istio-manifests";
  if (!std::filesystem::exists(dir)) dir = fixture("upstream-istio");
  Output r = run({"apply", "-f", dir});
  ASSERT_EQ(r.code, 0) << r.err;
  Json vs =
      kc_json({"get", "virtualservices.v1.networking.istio.io", "-n", "bookstore-servicemesh"});
  ASSERT_TRUE(vs.is_object());
  ASSERT_FALSE(vs["items"].empty());
  EXPECT_EQ(vs["items"][0]["apiVersion"], "networking.istio.io/v1");
  Json pa =
      kc_json({"get", "peerauthentications.v1.security.istio.io", "-n", "bookstore-servicemesh"});
  ASSERT_FALSE(pa["items"].empty());
  EXPECT_EQ(pa["items"][0]["apiVersion"], "security.istio.io/v1");
  EXPECT_EQ(pa["items"][0]["spec"]["mtls"]["mode"], "STRICT");
}

TEST_F(Install, MalformedPoliciesAreRejectedByTheApiServer) {
  std::string dir = temp_dir();
  std::string dr = write_file(dir, "dr.yaml", R"(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: bad-dr, namespace: default}
spec:
  host: reviews
  trafficPolicy:
    outlierDetection:
      consecutive5xxErrors: "many"
)");
  std::string vs = write_file(dir, "vs.yaml", R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bad-vs, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 10.5
    - destination: {host: reviews, subset: v2}
      weight: 89.5
)");
  Output a = run({"apply", "-f", dr});
  EXPECT_EQ(a.code, 1);
  EXPECT_NE(a.err.find("consecutive5xxErrors"), std::string::npos) << a.err;
  Output b = run({"apply", "-f", vs});
  EXPECT_EQ(b.code, 1);
  EXPECT_NE(b.err.find("weight"), std::string::npos) << b.err;
}

TEST_F(Install, InjectorWebhookSelectsLabelledNamespacesForReal) {
  const std::string pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  containers:\n  - name: app\n  "
      "  image: nginx\n";
  auto make_ns = [&](const std::string& name, const std::string& label) {
    ASSERT_EQ(kc({"create", "namespace", name}).code, 0);
    if (!label.empty()) {
      ASSERT_EQ(kc({"label", "namespace", name, label}).code, 0);
    }
    ASSERT_TRUE(wait_for_default_service_account(name, plane_->kubeconfig()));
  };
  make_ns("inj-enabled", "istio-injection=enabled");
  make_ns("inj-disabled", "istio-injection=disabled");
  make_ns("inj-none", "");
  std::string file = write_file(temp_dir(), "pod.yaml", pod);
  // New webhook configurations reach the API server through an informer: allow a moment.
  Output enabled;
  for (int i = 0; i < 20; ++i) {
    enabled = run({"apply", "-f", file, "-n", "inj-enabled"});
    if (enabled.code != 0) break;
    kc({"delete", "pod", "probe", "-n", "inj-enabled", "--wait=false"});
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(enabled.code, 1);
  EXPECT_NE(enabled.err.find("sidecar-injector.istio.io"), std::string::npos) << enabled.err;
  EXPECT_EQ(run({"apply", "-f", file, "-n", "inj-disabled"}).code, 0);
  EXPECT_EQ(run({"apply", "-f", file, "-n", "inj-none"}).code, 0);
}

TEST_F(Install, WaitTimesOutNamingTheUnreadyDeployments) {
  Output r = run({"install", "--wait", "--timeout", "20s", "-y"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("timed out after 20s waiting for Deployments"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deployment/istiod in istio-system is not Available"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("deployment/istio-ingressgateway in istio-system is not Available"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Pending"), std::string::npos) << r.err;
}

TEST_F(Install, SwitchingToMinimalRemovesTheGateways) {
  ASSERT_EQ(run({"install", "--profile", "demo", "-y"}).code, 0);
  EXPECT_TRUE(has(labelled("deployments"), "istio-egressgateway"));
  Output r = run({"install", "--profile", "minimal", "-y"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("pruned deployment.apps/istio-ingressgateway in istio-system"),
            std::string::npos)
      << r.out;
  auto deployments = labelled("deployments");
  EXPECT_FALSE(has(deployments, "istio-ingressgateway"));
  EXPECT_FALSE(has(deployments, "istio-egressgateway"));
  EXPECT_TRUE(has(deployments, "istiod"));
  EXPECT_NE(kc({"get", "service", "istio-ingressgateway", "-n", "istio-system"}).code, 0);
}

TEST_F(Install, SecondRevisionInstallsBesideTheFirstAndLeavesItWhenRemoved) {
  Output canary = run({"install", "--revision", "canary", "--profile", "minimal", "-y"});
  ASSERT_EQ(canary.code, 0) << canary.err;
  auto webhooks = labelled("mutatingwebhookconfigurations");
  EXPECT_TRUE(has(webhooks, "istio-sidecar-injector"));
  EXPECT_TRUE(has(webhooks, "istio-sidecar-injector-canary"));
  EXPECT_TRUE(has(labelled("deployments"), "istiod-canary"));

  Output tag = run({"tag", "set", "prod", "--revision", "canary"});
  ASSERT_EQ(tag.code, 0) << tag.err;
  Output list = run({"tag", "list"});
  EXPECT_NE(list.out.find("prod   canary"), std::string::npos) << list.out;

  Output removed = run({"uninstall", "--revision", "canary", "-y"});
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_TRUE(labelled("deployments", ",kubectl-mesh.dev/revision=canary").empty());
  EXPECT_FALSE(has(labelled("mutatingwebhookconfigurations"), "istio-revision-tag-prod"))
      << "tag left behind";
  EXPECT_TRUE(has(labelled("deployments"), "istiod"));
  EXPECT_EQ(labelled("crd").size(), kIstioCrds) << "shared CRDs must stay while a revision remains";
  Output verify = run({"verify-install"});
  EXPECT_EQ(verify.code, 0) << verify.out;
}

TEST_F(Install, LockHeldByAnotherInstallIsReported) {
  std::string lease = write_file(temp_dir(), "lease.yaml", R"(apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: kubectl-mesh-install, namespace: istio-system}
spec: {holderIdentity: ci-job-42, leaseDurationSeconds: 600, acquireTime: "2026-01-01T00:00:00.000000Z", renewTime: "2099-01-01T00:00:00.000000Z"}
)");
  ASSERT_EQ(kc({"apply", "-f", lease}).code, 0);
  Output r = run({"install", "--profile", "minimal", "--timeout", "2s", "-y"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("another install holds the lock"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ci-job-42"), std::string::npos) << r.err;
  ASSERT_EQ(kc({"delete", "lease", "kubectl-mesh-install", "-n", "istio-system"}).code, 0);
}

TEST_F(Install, UninstallRemovesEverythingLabelledPurgeRemovesCrdsAndReinstallWorks) {
  Output dry = run({"uninstall", "--dry-run"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("mutatingwebhookconfiguration.admissionregistration.k8s.io/"
                         "istio-sidecar-injector would be deleted"),
            std::string::npos)
      << dry.out;
  EXPECT_TRUE(has(labelled("deployments"), "istiod")) << "a dry run deleted something";

  Output r = run({"uninstall", "-y"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("namespaces are still labelled istio-injection=enabled"), std::string::npos)
      << r.err;
  for (std::string kind : {"deployments", "services", "configmaps", "serviceaccounts",
                           "clusterroles", "clusterrolebindings", "mutatingwebhookconfigurations",
                           "validatingwebhookconfigurations", "namespaces"})
    EXPECT_TRUE(labelled(kind).empty()) << kind << " left behind";
  EXPECT_EQ(labelled("crd").size(), kIstioCrds) << "CRDs go only with --purge";

  Output purge = run({"uninstall", "--purge", "-y"});
  ASSERT_EQ(purge.code, 0) << purge.err;
  EXPECT_TRUE(labelled("crd").empty());

  Output bookstore = run({"-n", "shop-without-crds", "bookstore", "apply"});
  EXPECT_EQ(bookstore.code, 1);
  EXPECT_NE(bookstore.err.find("run 'kubectl mesh install' first"), std::string::npos)
      << bookstore.err;
  EXPECT_NE(kc({"get", "namespace", "shop-without-crds"}).code, 0)
      << "nothing may be applied without the CRDs";

  Output again = run({"install", "-y"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(run({"verify-install"}).code, 0);
}

}  // namespace
}  // namespace kmesh::testing
