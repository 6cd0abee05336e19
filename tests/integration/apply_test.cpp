// kubectl mesh apply against the local control plane.

#include <gtest/gtest.h>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

const char* kWidgetCrd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.it.kmesh.test
spec:
  group: it.kmesh.test
  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
)";

// One file: a CRD, a Namespace and 50 objects, ten of them custom resources of that CRD.
std::string big_manifest(const std::string& ns) {
  std::string text = std::string(kWidgetCrd) +
                     "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n";
  for (int i = 0; i < 30; ++i)
    text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + std::to_string(i) +
            "\n  namespace: " + ns + "\ndata:\n  index: \"" + std::to_string(i) + "\"\n";
  for (int i = 0; i < 10; ++i)
    text += "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-" + std::to_string(i) +
            "\n  namespace: " + ns + "\nspec:\n  ports:\n  - name: http\n    port: 80\n";
  for (int i = 0; i < 10; ++i)
    text += "---\napiVersion: it.kmesh.test/v1\nkind: Widget\nmetadata:\n  name: w-" +
            std::to_string(i) + "\n  namespace: " + ns + "\nspec:\n  size: " + std::to_string(i) +
            "\n";
  return text;
}

size_t count_lines_with(const std::string& text, const std::string& word) {
  size_t n = 0;
  for (const auto& line : split(text, '\n'))
    n += line.find(word) != std::string::npos;
  return n;
}

TEST(Apply, CrdNamespaceAndFiftyObjectsInOneRunThenUnchanged) {
  std::string ns = unique_name("apply-big");
  std::string file = write_file(temp_dir(), "big.yaml", big_manifest(ns));

  Output first = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", file});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(
      count_lines_with(first.out, "serverside-applied") + count_lines_with(first.out, "unchanged"),
      52u);  // the CRD may be unchanged when another test applied it first
  EXPECT_NE(first.out.find("namespace/" + ns + " serverside-applied"), std::string::npos);
  EXPECT_NE(first.out.find("widget.it.kmesh.test/w-9 serverside-applied"), std::string::npos);
  EXPECT_NE(first.out.find("configmap/cm-0 serverside-applied"), std::string::npos);

  Json widgets = kubectl_json({"get", "widgets.it.kmesh.test", "-n", ns});
  ASSERT_TRUE(widgets.is_object());
  EXPECT_EQ(widgets["items"].size(), 10u);
  size_t configmaps = 0;
  Json listed = kubectl_json({"get", "configmaps", "-n", ns});
  for (const auto& cm : listed["items"])
    configmaps += cm["metadata"]["name"].get<std::string>().rfind("cm-", 0) == 0;
  EXPECT_EQ(configmaps, 30u);

  Output second = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", file});
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(count_lines_with(second.out, " unchanged"), 52u) << second.out;
  EXPECT_EQ(count_lines_with(second.out, "serverside-applied"), 0u) << second.out;
}

TEST(Apply, DefaultsNamespaceFromFlagAndPrintsNames) {
  std::string ns = unique_name("apply-ns");
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  std::string file =
      write_file(temp_dir(), "cm.yaml",
                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  k: v\n");
  Output r = mesh({"--kubeconfig", kubeconfig(), "-n", ns, "apply", "-f", file, "-o", "name"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "configmap/plain\n");
  Json cm = kubectl_json({"get", "configmap", "plain", "-n", ns, "--show-managed-fields"});
  ASSERT_TRUE(cm.is_object());
  EXPECT_EQ(cm["data"]["k"], "v");
  EXPECT_EQ(cm["metadata"]["managedFields"][0]["manager"], "kubectl-mesh");
}

TEST(Apply, ConflictNeedsForceConflicts) {
  std::string ns = unique_name("apply-conflict");
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  std::string dir = temp_dir();
  std::string mine =
      write_file(dir, "a.yaml",
                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: " + ns +
                     "\ndata:\n  owner: first\n");
  std::string theirs =
      write_file(dir, "b.yaml",
                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: " + ns +
                     "\ndata:\n  owner: second\n");
  ASSERT_EQ(
      mesh({"--kubeconfig", kubeconfig(), "apply", "-f", mine, "--field-manager", "team-a"}).code,
      0);

  Output conflict =
      mesh({"--kubeconfig", kubeconfig(), "apply", "-f", theirs, "--field-manager", "team-b"});
  EXPECT_EQ(conflict.code, 1);
  EXPECT_NE(conflict.err.find("configmap/shared in " + ns), std::string::npos) << conflict.err;
  EXPECT_NE(conflict.err.find(".data.owner"), std::string::npos) << conflict.err;
  EXPECT_NE(conflict.err.find("--force-conflicts"), std::string::npos) << conflict.err;
  EXPECT_EQ(kubectl_json({"get", "configmap", "shared", "-n", ns})["data"]["owner"], "first");

  Output forced = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", theirs, "--field-manager",
                        "team-b", "--force-conflicts"});
  EXPECT_EQ(forced.code, 0) << forced.err;
  EXPECT_EQ(kubectl_json({"get", "configmap", "shared", "-n", ns})["data"]["owner"], "second");
}

TEST(Apply, ServerDryRunChangesNothingAndPrintsWhatWouldBeStored) {
  std::string ns = unique_name("apply-dry");
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  std::string file =
      write_file(temp_dir(), "cm.yaml",
                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: " + ns +
                     "\ndata:\n  k: v\n");
  Output r = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", file, "--dry-run=server"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("uid:"), std::string::npos)
      << "the server's answer carries a uid: " << r.out;
  EXPECT_NE(kubectl({"get", "configmap", "dry", "-n", ns}).code, 0)
      << "a dry run must not create it";

  Output client = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", file, "--dry-run=client"});
  ASSERT_EQ(client.code, 0) << client.err;
  EXPECT_NE(client.out.find("name: dry"), std::string::npos);
  EXPECT_EQ(client.out.find("uid:"), std::string::npos);
}

// Bad input (malformed YAML, an unknown kind, no name, a missing file, each after a valid
// Namespace that must not be created) is in tests/badinput, run by badinput_test.cpp.

TEST(Apply, RestrictedUserGetsForbiddenNamingTheUser) {
  std::string file = write_file(temp_dir(), "cm.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope\n  "
                                "namespace: restricted-ns\ndata:\n  k: v\n");
  Output r = mesh({"--kubeconfig", kubeconfig("restricted"), "apply", "-f", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("configmap/nope in restricted-ns"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("User \"kmesh-restricted\" cannot patch resource \"configmaps\""),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace kmesh::testing
