// API discovery against the real control plane: how often a run asks for it, counted from
// -v 6's request log, and what a failure says. The lookups over its answer are unit tests
// (tests/unit/discovery_test.cpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

std::string show(const Output& o) {
  return "exit " + std::to_string(o.code) + "\nstdout:\n" + o.out + "stderr:\n" + o.err;
}

/// The paths of the GET requests in -v 6's log: "I GET https://127.0.0.1:PORT/apis 200 in ...".
std::vector<std::string> gets(const std::string& log) {
  std::vector<std::string> paths;
  for (const auto& line : split(log, '\n')) {
    if (!starts_with(line, "I GET ")) continue;
    std::string url = line.substr(6, line.find(' ', 6) - 6);
    size_t host = url.find("://");
    size_t path = url.find('/', host == std::string::npos ? 0 : host + 3);
    paths.push_back(path == std::string::npos ? "" : url.substr(path));
  }
  return paths;
}

size_t count(const std::vector<std::string>& paths, const std::string& path) {
  return static_cast<size_t>(std::count(paths.begin(), paths.end(), path));
}

/// Requests only a server without aggregated discovery would need: /api/v1 itself and
/// /apis/GROUP/VERSION itself (a resource path is longer).
size_t legacy_discovery_requests(const std::vector<std::string>& paths) {
  size_t n = 0;
  for (const auto& p : paths)
    n += p == "/api/v1" || (starts_with(p, "/apis/") && split(p, '/').size() == 4);
  return n;
}

TEST(DiscoveryLoad, AsksForAggregatedDiscoveryOnce) {
  // Objects of three groups, so each would look its kind up; a server dry run changes nothing.
  std::string file = write_file(temp_dir(), "objects.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: once\n"
                                "  namespace: default\n---\n"
                                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: once\n"
                                "  namespace: default\nspec:\n  selector: {matchLabels: {app: "
                                "once}}\n  template:\n    metadata: {labels: {app: once}}\n"
                                "    spec: {containers: [{name: c, image: busybox}]}\n---\n"
                                "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
                                "metadata:\n  name: once\n  namespace: default\nspec:\n"
                                "  hosts: [once]\n");
  Output o =
      mesh({"--kubeconfig", kubeconfig(), "-v", "6", "apply", "-f", file, "--dry-run=server"});
  ASSERT_EQ(o.code, 0) << show(o);
  auto paths = gets(o.err);
  EXPECT_EQ(count(paths, "/api"), 1u) << o.err;
  EXPECT_EQ(count(paths, "/apis"), 1u) << o.err;
  // The server answered in the aggregated format it was asked for: no fallback.
  EXPECT_EQ(legacy_discovery_requests(paths), 0u) << o.err;
}

// Applying a CRD and an object of it: discovery did not list the new kind, so it is read once
// more after the CRD is established, and the object is applied at its resource.
TEST(DiscoveryLoad, AsksAgainAfterApplyingACrdOfANewKind) {
  std::string group = unique_name("disc") + ".kmesh.test";
  std::string file = write_file(temp_dir(), "crd.yaml",
                                "apiVersion: apiextensions.k8s.io/v1\n"
                                "kind: CustomResourceDefinition\nmetadata:\n  name: gadgets." +
                                    group + "\nspec:\n  group: " + group +
                                    "\n  names: {kind: Gadget, plural: gadgets, singular: gadget}\n"
                                    "  scope: Namespaced\n  versions:\n  - name: v1\n"
                                    "    served: true\n    storage: true\n    schema:\n"
                                    "      openAPIV3Schema: {type: object}\n---\n"
                                    "apiVersion: " +
                                    group +
                                    "/v1\nkind: Gadget\nmetadata:\n  name: g\n"
                                    "  namespace: default\n");
  Output o = mesh({"--kubeconfig", kubeconfig(), "-v", "6", "apply", "-f", file});
  kubectl({"delete", "customresourcedefinition", "gadgets." + group, "--wait=false"});
  ASSERT_EQ(o.code, 0) << show(o);
  EXPECT_NE(o.out.find("gadget." + group + "/g serverside-applied"), std::string::npos) << o.out;
  auto paths = gets(o.err);
  EXPECT_EQ(count(paths, "/api"), 2u) << o.err;
  EXPECT_EQ(count(paths, "/apis"), 2u) << o.err;
  EXPECT_EQ(legacy_discovery_requests(paths), 0u) << o.err;
}

TEST(DiscoveryLoad, AFailureNamesWhatWasBeingDone) {
  RefusingPort port;
  std::string file = write_file(temp_dir(), "cm.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                                "  namespace: default\n");
  port.expect_cannot_connect(mesh({"--kubeconfig", port.kubeconfig(), "apply", "-f", file}),
                             "discovering the server's APIs");
}

}  // namespace
}  // namespace kmesh::testing
