// The traffic policy commands on a control plane of their own whose Istio CRDs do not
// serve v1 (as Istio before 1.22): they read and write the version discovery prefers.
// A suite of its own because it starts a control plane (CTest runs those one at a time,
// when listed with the others in tests/CMakeLists.txt).

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/integration/harness.hpp"
#include "tests/integration/policy_fixtures.hpp"

namespace kmesh::testing {
namespace {

#define ASSERT_RUNS(o_) ASSERT_EQ((o_).code, 0) << (o_).err << (o_).out

TEST(PolicyOldIstio, UsesThePreferredVersionWhenV1IsNotServed) {
  OwnControlPlane plane;
  ASSERT_TRUE(plane.ok()) << plane.error();
  Output generated = mesh({"manifest", "generate", "-o", "json"});
  ASSERT_RUNS(generated);
  Json crds = Json::array();
  Json plan = Json::parse(generated.out);
  for (auto crd : plan["items"]) {
    if (crd["kind"] != "CustomResourceDefinition") continue;
    std::string name = crd["metadata"]["name"];
    if (name != "virtualservices.networking.istio.io" &&
        name != "destinationrules.networking.istio.io")
      continue;
    Json versions = Json::array();
    for (auto v : crd["spec"]["versions"]) {
      if (v["name"] == "v1") continue;
      v["storage"] = v["name"] == "v1beta1";
      versions.push_back(v);
    }
    crd["spec"]["versions"] = versions;
    crd["metadata"].erase("labels");
    crds.push_back(crd);
  }
  ASSERT_EQ(crds.size(), 2u);
  Json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", crds}};
  ASSERT_RUNS(kubectl({"apply", "-f", write_file(temp_dir(), "old-crds.json", list.dump())},
                      plane.kubeconfig()));
  ASSERT_RUNS(
      kubectl({"apply", "-f", write_file(temp_dir(), "reviews.yaml", reviews_yaml("old-istio"))},
              plane.kubeconfig()));

  auto old = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--kubeconfig", plane.kubeconfig(), "-n", "old-istio"});
    return mesh(args);
  };
  Output retry;
  for (int i = 0; i < 20; ++i) {  // until discovery lists the new CRDs
    retry = old({"retry", "set", "reviews", "--attempts", "3"});
    if (retry.code == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_RUNS(retry);
  ASSERT_RUNS(old({"route", "set", "reviews", "--weights", "v1=60,v2=40"}));
  ASSERT_RUNS(old({"breaker", "set", "reviews", "--max-connections", "9"}));
  Json vs = Json::parse(kubectl({"get", "virtualservices.v1beta1.networking.istio.io", "reviews",
                                 "-n", "old-istio", "-o", "json"},
                                plane.kubeconfig())
                            .out,
                        nullptr, false);
  ASSERT_TRUE(vs.is_object());
  EXPECT_EQ(vs["apiVersion"], "networking.istio.io/v1beta1");
  EXPECT_EQ(vs["spec"]["http"][0]["retries"]["attempts"], 3);
  EXPECT_EQ(vs["spec"]["http"][0]["route"][1]["weight"], 40);
  Json dr = Json::parse(kubectl({"get", "destinationrules.v1beta1.networking.istio.io", "reviews",
                                 "-n", "old-istio", "-o", "json"},
                                plane.kubeconfig())
                            .out,
                        nullptr, false);
  ASSERT_TRUE(dr.is_object());
  EXPECT_EQ(dr["spec"]["trafficPolicy"]["connectionPool"]["tcp"]["maxConnections"], 9);
  EXPECT_EQ(dr["spec"]["subsets"].size(), 2u);
  Output shown = old({"policy", "show", "-o", "json"});
  ASSERT_RUNS(shown);
  EXPECT_EQ(Json::parse(shown.out)["services"][0]["routes"][0]["retries"]["attempts"], 3);
}

}  // namespace
}  // namespace kmesh::testing
