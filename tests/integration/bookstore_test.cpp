// kubectl mesh bookstore on the shared control plane (Istio installed by the fixture).
// Each test works in namespaces of its own (-n), so they run in parallel.

#include <gtest/gtest.h>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

Output run(std::vector<std::string> args) {
  args.insert(args.begin(), {"--kubeconfig", kubeconfig()});
  return mesh(args);
}

size_t lines_with(const std::string& text, const std::string& word) {
  size_t n = 0;
  for (const auto& l : split(text, '\n'))
    n += l.find(word) != std::string::npos;
  return n;
}

std::vector<std::string> names(const std::string& kind, const std::string& ns) {
  Json list = kubectl_json({"get", kind, "-n", ns, "-l", "kubectl-mesh.dev/app=bookstore"});
  std::vector<std::string> out;
  if (list.is_object())
    for (const auto& i : list["items"])
      out.push_back(i["metadata"]["name"]);
  return out;
}

TEST(Bookstore, MeshAppliesEverythingThenRepeatsAsUnchanged) {
  std::string ns = unique_name("shop-mesh");
  Output first = run({"-n", ns, "bookstore", "apply", "--profile", "mesh"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(lines_with(first.out, " serverside-applied"), 30u) << first.out;
  EXPECT_EQ(names("deployments", ns).size(), 5u);
  EXPECT_EQ(names("destinationrules.networking.istio.io", ns).size(), 5u);
  EXPECT_EQ(names("authorizationpolicies.security.istio.io", ns).size(), 2u);
  Json namespace_object = kubectl_json({"get", "namespace", ns});
  EXPECT_EQ(namespace_object["metadata"]["labels"]["istio-injection"], "enabled");
  Json ap = kubectl_json({"get", "authorizationpolicy", "authorization-peer", "-n", ns});
  EXPECT_EQ(ap["spec"]["rules"][0]["from"][0]["source"]["namespaces"][0], ns)
      << "policies must name the new namespace";

  Output again = run({"-n", ns, "bookstore", "apply", "--profile", "mesh"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(lines_with(again.out, " unchanged"), 30u) << again.out;
  EXPECT_EQ(lines_with(again.out, "serverside-applied"), 0u) << again.out;
}

TEST(Bookstore, DevPrunesExactlyTheAuthPoliciesAndFlipsTheLabel) {
  std::string ns = unique_name("shop-dev");
  ASSERT_EQ(run({"-n", ns, "bookstore", "apply"}).code, 0);
  Output dev = run({"-n", ns, "bookstore", "apply", "--profile", "dev"});
  ASSERT_EQ(dev.code, 0) << dev.err;
  EXPECT_EQ(lines_with(dev.out, " pruned"), 4u) << dev.out;
  for (std::string gone : {"peerauthentication.security.istio.io/authentication-mtls",
                           "requestauthentication.security.istio.io/authentication-jwt-token",
                           "authorizationpolicy.security.istio.io/authorization-peer",
                           "authorizationpolicy.security.istio.io/authorization-request"})
    EXPECT_NE(dev.out.find(gone + " in " + ns + " pruned"), std::string::npos) << dev.out;
  EXPECT_NE(dev.err.find("istio-injection changes from enabled to disabled"), std::string::npos)
      << dev.err;
  EXPECT_TRUE(names("authorizationpolicies.security.istio.io", ns).empty());
  EXPECT_EQ(names("destinationrules.networking.istio.io", ns).size(), 5u) << "routing stays in dev";
  EXPECT_EQ(names("deployments", ns).size(), 5u);
  EXPECT_EQ(kubectl_json({"get", "namespace", ns})["metadata"]["labels"]["istio-injection"],
            "disabled");
  Json account =
      kubectl_json({"get", "deployment", "bookstore-servicemesh-domain-account", "-n", ns});
  EXPECT_NE(account.dump().find("jdwp"), std::string::npos) << "dev runs the debug agent";
}

TEST(Bookstore, CanaryAddsAVersionAndASubset) {
  std::string ns = unique_name("shop-canary");
  Output r = run({"-n", ns, "bookstore", "apply", "--canary", "payment=2.0"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json dr = kubectl_json({"get", "destinationrule", "payment", "-n", ns});
  ASSERT_TRUE(dr.is_object());
  std::vector<std::string> subsets;
  for (const auto& s : dr["spec"]["subsets"])
    subsets.push_back(s["name"]);
  EXPECT_EQ(subsets, (std::vector<std::string>{"v1", "v2"}));
  Json v2 =
      kubectl_json({"get", "deployment", "bookstore-servicemesh-domain-payment-v2", "-n", ns});
  ASSERT_TRUE(v2.is_object());
  EXPECT_EQ(v2["spec"]["template"]["metadata"]["labels"]["version"], "v2");
  EXPECT_EQ(v2["spec"]["template"]["spec"]["containers"][0]["image"],
            "icyfenix/bookstore-istio-domain-payment:2.0");
}

TEST(Bookstore, RenderedOutputPassesServerDryRunAndChangesNothing) {
  std::string ns = unique_name("shop-dry");
  Output render = run({"-n", ns, "bookstore", "render"});
  ASSERT_EQ(render.code, 0) << render.err;
  // A server dry run cannot create the namespace the objects go into: create it first.
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  Output dry = run({"apply", "-f", write_file(temp_dir(), "bookstore.yaml", render.out),
                    "--dry-run=server", "-o", "name"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_EQ(lines_with(dry.out, "/"), 30u) << dry.out;
  EXPECT_TRUE(names("deployments", ns).empty()) << "a dry run created objects";
  Output apply_dry = run({"-n", ns, "bookstore", "apply", "--dry-run=client", "-o", "name"});
  ASSERT_EQ(apply_dry.code, 0) << apply_dry.err;
  EXPECT_EQ(lines_with(apply_dry.out, "/"), 30u);
}

TEST(Bookstore, DeleteRemovesEverything) {
  std::string ns = unique_name("shop-del");
  ASSERT_EQ(run({"-n", ns, "bookstore", "apply"}).code, 0);
  Output no_terminal = run({"-n", ns, "bookstore", "delete"});
  EXPECT_EQ(no_terminal.code, 2) << "deleting needs -y without a terminal";
  Output r = run({"-n", ns, "bookstore", "delete", "-y"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(kubectl({"get", "namespace", ns}).code, 0) << "the namespace is still there";
}

TEST(Bookstore, StatusShowsEveryServiceAndHowToReachTheShop) {
  std::string ns = unique_name("shop-status");
  ASSERT_EQ(run({"-n", ns, "bookstore", "apply"}).code, 0);
  Output r = run({"-n", ns, "bookstore", "status", "-o", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json st = Json::parse(r.out);
  EXPECT_EQ(st["injection"], "enabled");
  ASSERT_EQ(st["services"].size(), 5u);
  for (const auto& s : st["services"]) {
    EXPECT_EQ(s["deployments"].size(), 1u) << s["name"];
    EXPECT_TRUE(s["deployments"][0]["sidecarExpected"].get<bool>()) << s["name"];
    EXPECT_FALSE(s["service"].is_null()) << s["name"];
    EXPECT_FALSE(s["routes"].empty()) << s["name"] << " has no route from the gateway";
  }
  EXPECT_NE(st["access"].get<std::string>().find("istio-ingressgateway"), std::string::npos);
}

TEST(Bookstore, UnsupportedKustomizeFieldInUserTemplatesExitsTwoNamingIt) {
  std::string dir = temp_dir();
  std::string overlay = dir + "/bookstore/overlays/mesh";
  ASSERT_EQ(run_program({"mkdir", "-p", overlay}).code, 0);
  write_file(overlay, "kustomization.yaml",
             "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: "
             "[]\nhelmCharts:\n- name: x\n");
  Output r = run({"bookstore", "render", "--templates", dir});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("helmCharts"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kustomization.yaml"), std::string::npos) << r.err;
}

TEST(Bookstore, BadFlagsExitTwo) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"bookstore", "render", "--profile", "prod"},
        {"bookstore", "render", "--canary", "checkout"},
        {"bookstore", "render", "--replicas", "-3"},
        {"-n", "Bad_Name", "bookstore", "render"}}) {
    Output r = run(args);
    EXPECT_EQ(r.code, 2) << join(args, " ") << ": " << r.err;
  }
}

}  // namespace
}  // namespace kmesh::testing
