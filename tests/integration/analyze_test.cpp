// kubectl mesh analyze against the shared control plane: every corpus case of
// tests/analyze applied in a namespace of its own (the namespace "corpus" rewritten to it)
// gives, with --use-cluster, the same findings as the unit test gives offline; clean cases
// give none; files combine with what the cluster holds; the exit status is 3 for -o json
// and -o table alike.

#include <gtest/gtest.h>

#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"
#include "tests/analyze/corpus.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

namespace corpus = analyze_corpus;

Output mesh_as_admin(std::vector<std::string> args) {
  args.insert(args.begin(), {"--kubeconfig", kubeconfig()});
  return mesh(args);
}

// Applies a case's objects in `ns`: everything but Namespaces first, then the Namespace
// labels, so Pods exist before injection is switched on (the webhook would refuse them).
void apply_case(const std::string& text, const std::string& ns) {
  auto docs = yaml::parse_documents(text, "case.yaml");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  Json first = Json::array(), then = Json::array();
  for (const auto& d : *docs)
    (d.value.value("kind", "") == "Namespace" ? then : first).push_back(d.value);
  std::string dir = temp_dir();
  for (const Json* items : {&first, &then}) {
    if (items->empty()) continue;
    Json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", *items}};
    Output o =
        mesh_as_admin({"apply", "-n", ns, "-f", write_file(dir, "objects.json", list.dump())});
    ASSERT_EQ(o.code, 0) << o.out << o.err;
  }
}

std::vector<std::string> findings_of(const Json& report) {
  std::vector<std::string> out;
  for (const auto& f : report["findings"]) {
    std::string ns = f.value("namespace", "");
    out.push_back(f.value("code", "") + " " + f.value("kind", "") + " " +
                  (ns.empty() ? "" : ns + "/") + f.value("name", ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string test_name(const std::string& name) {
  std::string out;
  for (char c : name)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

class AnalyzeOnCluster : public ::testing::TestWithParam<corpus::Case> {};

TEST_P(AnalyzeOnCluster, GivesTheSameFindingsAsTheFiles) {
  const corpus::Case& c = GetParam();
  std::string ns = unique_name("az");
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  ASSERT_TRUE(wait_for_default_service_account(ns));
  apply_case(replace_all(c.text, "corpus", ns), ns);
  if (HasFatalFailure()) return;
  Output o = mesh_as_admin({"analyze", "--use-cluster", "-n", ns, "-o", "json"});
  Json report = Json::parse(o.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << o.out << o.err;
  std::vector<std::string> expected;
  for (const auto& line : c.expected)
    expected.push_back(replace_all(line, "corpus", ns));
  EXPECT_EQ(findings_of(report), expected) << o.out;
  bool error = report["summary"]["errors"].get<int>() > 0;
  EXPECT_EQ(o.code, error ? 3 : 0) << o.err;
  kubectl({"delete", "namespace", ns, "--wait=false"});
}

// The cases a cluster can reproduce: the others (removed API versions, duplicates, an empty
// issuer the CRD rejects) say why in their "# cluster: skip" line and are checked offline only.
std::vector<corpus::Case> cluster_cases() {
  std::vector<corpus::Case> out;
  for (auto& c : corpus::load_cases("corpus"))
    if (c.cluster_skip.empty()) out.push_back(std::move(c));
  for (auto& c : corpus::load_cases("clean")) {
    c.name = "clean-" + c.name;
    out.push_back(std::move(c));
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, AnalyzeOnCluster, ::testing::ValuesIn(cluster_cases()),
                         [](const auto& info) { return test_name(info.param.name); });

TEST(AnalyzeOnClusterCommand, ExitsThreeForJsonAndTableAndCombinesFilesWithTheCluster) {
  std::string ns = unique_name("az-exit");
  ASSERT_EQ(kubectl({"create", "namespace", ns}).code, 0);
  std::string text = corpus::read_text(corpus::dir() + "/corpus/KM0101-subset-missing.yaml");
  apply_case(replace_all(text, "corpus", ns), ns);
  for (const std::string format : {"json", "table", "yaml"}) {
    Output o = mesh_as_admin({"analyze", "-n", ns, "-o", format});
    EXPECT_EQ(o.code, 3) << format << "\n" << o.out << o.err;
    EXPECT_NE(o.out.find("KM0101"), std::string::npos) << o.out;
  }
  // A file that adds the missing subset, analyzed on top of the cluster: clean.
  std::string fix =
      "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n"
      "spec:\n  host: reviews\n  subsets:\n    - name: v1\n      labels: {version: v1}\n"
      "    - name: v2\n      labels: {version: v2}\n";
  Output fixed = mesh_as_admin(
      {"analyze", "--use-cluster", "-n", ns, "-f", write_file(temp_dir(), "fix.yaml", fix)});
  EXPECT_EQ(fixed.code, 0) << fixed.out << fixed.err;
  EXPECT_NE(fixed.out.find("No findings"), std::string::npos) << fixed.out;
  // The same file alone cannot see the VirtualService, and says nothing.
  Output alone =
      mesh_as_admin({"analyze", "-n", ns, "-f", write_file(temp_dir(), "fix.yaml", fix)});
  EXPECT_EQ(alone.code, 0) << alone.out << alone.err;
  kubectl({"delete", "namespace", ns, "--wait=false"});
}

TEST(AnalyzeOnClusterCommand, ReadsOnlyWhatTheRestrictedUserMaySee) {
  // restricted.kubeconfig may only read in restricted-ns: cluster-wide lists fall back to
  // the namespace, and the analysis still runs.
  Output o =
      mesh({"--kubeconfig", kubeconfig("restricted"), "analyze", "-n", "restricted-ns", "-v", "1"});
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_NE(o.err.find("Note: cannot list"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace kmesh::testing
