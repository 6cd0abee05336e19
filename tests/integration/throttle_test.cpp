// Applying many objects to a control plane with tiny inflight limits, as an identity that
// API Priority and Fairness does not exempt (system:masters would bypass the limits).

#include <gtest/gtest.h>

#include <cstdlib>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

class Throttled : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plane_ =
        new OwnControlPlane({"--max-requests-inflight=1", "--max-mutating-requests-inflight=1"});
  }
  static void TearDownTestSuite() { delete plane_; }
  void SetUp() override { ASSERT_TRUE(plane_->ok()) << plane_->error(); }
  static OwnControlPlane* plane_;
};
OwnControlPlane* Throttled::plane_ = nullptr;

TEST_F(Throttled, NonMastersAdminAppliesTwoHundredObjectsWithoutError) {
  std::string ns = "throttled";
  std::string text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n";
  for (int i = 0; i < 200; ++i)
    text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + std::to_string(i) +
            "\n  namespace: " + ns + "\ndata:\n  i: \"" + std::to_string(i) + "\"\n";
  std::string file = write_file(temp_dir(), "many.yaml", text);
  Output r = mesh({"--kubeconfig", plane_->kubeconfig("cluster-admin"), "apply", "-f", file});
  ASSERT_EQ(r.code, 0) << r.err;
  size_t applied = 0;
  for (const auto& line : split(r.out, '\n'))
    applied += line.find(" serverside-applied") != std::string::npos;
  EXPECT_EQ(applied, 201u);
  Output count =
      kubectl({"get", "configmaps", "-n", ns, "--no-headers"}, plane_->kubeconfig("admin"));
  ASSERT_EQ(count.code, 0) << count.err;
  EXPECT_EQ(split(std::string(trim(count.out)), '\n').size(), 201u);  // + kube-root-ca.crt
}

}  // namespace
}  // namespace kmesh::testing
