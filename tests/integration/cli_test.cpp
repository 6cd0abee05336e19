// The command line against the real control plane where tests/unit/cli_test.cpp would need a
// server: what `version` reports, how a command fails when the server is unreachable or
// refuses, and that a bare --dry-run is refused before anything is sent.

#include <gtest/gtest.h>

#include <algorithm>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string show(const Output& o) {
  return "exit " + std::to_string(o.code) + "\nstdout:\n" + o.out + "stderr:\n" + o.err;
}

TEST(WithKubeconfig, VersionAsksTheServer) {
  Output raw = kubectl({"get", "--raw", "/version"});
  ASSERT_EQ(raw.code, 0) << raw.err;
  std::string server_version = Json::parse(raw.out).value("gitVersion", "");
  ASSERT_FALSE(server_version.empty()) << raw.out;

  Output o = mesh({"--kubeconfig", kubeconfig(), "version"});
  ASSERT_EQ(o.code, 0) << show(o);
  EXPECT_EQ(o.err, "");
  EXPECT_NE(o.out.find("\nServer Version: " + server_version + "\n"), std::string::npos) << o.out;
  // The fixture installs the pinned Istio in the default revision (tests/cluster/fixture.sh).
  EXPECT_NE(o.out.find(std::string("\nIstio in cluster: ") + KMESH_ISTIO_VERSION +
                       " (revision default)\n"),
            std::string::npos)
      << o.out;
}

TEST(WithKubeconfig, AnUnreachableServerExitsOne) {
  RefusingPort port;
  port.expect_cannot_connect(mesh({"--kubeconfig", port.kubeconfig(), "version"}),
                             "reading the server version");
}

// restricted.kubeconfig may only read in restricted-ns; a write there is refused by RBAC.
TEST(WithKubeconfig, AForbiddenAnswerExitsOneNamingTheReason) {
  std::string name = unique_name("forbidden");
  std::string file = write_file(temp_dir(), "cm.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name +
                                    "\n  namespace: restricted-ns\ndata:\n  k: v\n");
  Output o = mesh({"--kubeconfig", kubeconfig("restricted"), "apply", "-f", file});
  EXPECT_EQ(o.code, 1) << show(o);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "error: configmap/" + name + " in restricted-ns: configmaps \"" + name +
                       "\" is forbidden: User \"kmesh-restricted\" cannot patch resource"
                       " \"configmaps\" in API group \"\" in the namespace \"restricted-ns\""
                       " (Forbidden)\n"
                       "error: applied 0, unchanged 0, failed 1, not attempted 0 of 1 objects\n");
}

// kubectl's bare --dry-run is a deprecated "client"; here it must name its mode, and it
// must never mean "change the cluster".
TEST(WithKubeconfig, BareDryRunChangesNothing) {
  std::string name = unique_name("bare-dry-run");
  std::string file = write_file(temp_dir(), "cm.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name +
                                    "\n  namespace: default\ndata:\n  k: v\n");
  Output o = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", file, "--dry-run"});
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_EQ(first_line(o.err), "error: --dry-run: 1 required TEXT missing") << show(o);
  Output get = kubectl({"get", "configmap", name, "-n", "default"});
  EXPECT_NE(get.code, 0) << "the dry run created it: " << get.out;
  EXPECT_NE(get.err.find("configmaps \"" + name + "\" not found"), std::string::npos) << get.err;
}

}  // namespace
}  // namespace kmesh::testing
