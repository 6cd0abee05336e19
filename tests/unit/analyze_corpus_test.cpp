// analyze: the checks, table-driven on the YAML corpus in tests/analyze (one finding per
// case, golden files), on clean inputs (no finding), on the bookstore templates (no finding
// in either overlay) and on the upstream bookstore (API-version findings only).

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "lib/kube/objects.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/mesh/analyze/checks.hpp"
#include "lib/mesh/analyze/loader.hpp"
#include "tests/analyze/corpus.hpp"

namespace kmesh::mesh::analyze {
namespace {

namespace corpus = kmesh::testing::analyze_corpus;

std::vector<Document> load(const std::vector<std::string>& paths) {
  std::istringstream in;
  auto docs = kube::load_objects(paths, in);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().message);
  return docs.ok() ? std::move(*docs) : std::vector<Document>{};
}

// A case's World: its files offline, or (mode: cluster) its objects as a whole cluster's
// together with cluster-base.yaml, everything known.
World world_of(const corpus::Case& c) {
  World world;
  if (!c.cluster_mode) {
    add_documents(world, load({c.path}), "corpus");
    return world;
  }
  for (const auto& d : load({corpus::dir() + "/cluster-base.yaml"}))
    world.add(object_from_cluster(d.value, false));
  for (const auto& d : load({c.path})) {
    Object o = object_from_cluster(d.value, true);
    if (o.ns.empty() && !cluster_scoped_kind(o.kind)) o.ns = "corpus";
    world.add(std::move(o));
  }
  world.set_all_known();
  world.gateway_workloads_known = true;
  return world;
}

std::string show(const Report& r) {
  std::string text;
  for (const auto& f : r.findings)
    text += "  " + f.code + " " + f.object.display() + ": " + f.message + "\n";
  for (const auto& u : r.unresolved)
    text += "  unresolved " + u.object.display() + ": " + u.reference + "\n";
  return text;
}

TEST(AnalyzeCorpus, EveryCaseGivesExactlyItsGoldenFinding) {
  auto cases = corpus::load_cases("corpus");
  ASSERT_GE(cases.size(), 30u);
  std::set<std::string> codes;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_EQ(c.expected.size(), 1u) << "a corpus case triggers exactly one finding";
    EXPECT_TRUE(starts_with(c.expected[0], c.name.substr(0, 6) + " "))
        << "the file name names the code";
    Report report = analyze(world_of(c));
    EXPECT_EQ(corpus::describe(report), c.expected) << show(report);
    codes.insert(c.name.substr(0, 6));
  }
  for (const auto& info : all_codes())
    EXPECT_TRUE(codes.count(info.code)) << info.code << " has no corpus case";
  // The integration test replays on a cluster every case without a "# cluster: skip" line.
  auto replayed = std::count_if(cases.begin(), cases.end(),
                                [](const auto& c) { return c.cluster_skip.empty(); });
  EXPECT_GE(replayed, 30);
}

TEST(AnalyzeCorpus, CleanInputsGiveNoFinding) {
  auto cases = corpus::load_cases("clean");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Report report = analyze(world_of(c));
    EXPECT_TRUE(report.findings.empty()) << show(report);
    EXPECT_GT(report.objects, 0);
  }
}

// Offline, a missing reference is not a finding: the cluster might hold it.
TEST(AnalyzeCorpus, ClusterCasesOfflineGiveOnlyUnresolvedReferences) {
  for (const auto& c : corpus::load_cases("corpus")) {
    if (!c.cluster_mode) continue;
    SCOPED_TRACE(c.name);
    World world;
    add_documents(world, load({c.path}), "corpus");
    Report report = analyze(world);
    EXPECT_TRUE(report.findings.empty()) << show(report);
    EXPECT_FALSE(report.unresolved.empty()) << "the reference should be listed as unresolved";
  }
}

TEST(AnalyzeCorpus, FindingsCarryFileAndLine) {
  auto cases = corpus::load_cases("corpus");
  auto it = std::find_if(cases.begin(), cases.end(),
                         [](const auto& c) { return c.name == "KM0101-subset-missing"; });
  ASSERT_NE(it, cases.end());
  Report report = analyze(world_of(*it));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].source, it->path);
  // The third document (the VirtualService) starts at the second "---" separator.
  size_t second = it->text.find("---", it->text.find("---") + 3);
  int line = 1 + static_cast<int>(std::count(it->text.begin(), it->text.begin() + second, '\n'));
  EXPECT_EQ(report.findings[0].line, line);
  EXPECT_NE(report.findings[0].message.find("spec.http[0].route[0].destination.subset \"v2\""),
            std::string::npos)
      << report.findings[0].message;
}

// The bookstore as our kustomize engine renders it, from disk and from the binary.
std::vector<Document> bookstore(const std::string& overlay, const kustomize::FileSource& files,
                                const std::string& root) {
  auto objects =
      kustomize::build(root + "kustomize-templates/bookstore/overlays/" + overlay, files);
  EXPECT_TRUE(objects.ok()) << (objects.ok() ? "" : objects.error().message);
  std::vector<Document> docs;
  if (objects.ok())
    for (auto& o : *objects)
      docs.push_back({std::move(o), "overlays/" + overlay, 1});
  return docs;
}

TEST(AnalyzeBookstore, TemplatesGiveNoFindingInEitherOverlay) {
  kustomize::DiskFileSource disk;
  kustomize::EmbeddedFileSource embedded;
  for (const std::string overlay : {"mesh", "dev"}) {
    for (auto docs : {bookstore(overlay, disk, std::string(KMESH_SOURCE_DIR) + "/"),
                      bookstore(overlay, embedded, "")}) {
      SCOPED_TRACE(overlay);
      ASSERT_GE(docs.size(), 26u);
      World world;
      add_documents(world, docs, "default");
      Report report = analyze(world);
      EXPECT_TRUE(report.findings.empty()) << show(report);
      EXPECT_EQ(report.objects, static_cast<int>(docs.size()));
      // Offline, the only open references are the gateway workload and, in mesh, istio-system.
      std::set<std::string> refs;
      for (const auto& u : report.unresolved)
        refs.insert(u.reference);
      std::set<std::string> expected = {"gateway workload with labels istio=ingressgateway"};
      if (overlay == "mesh") expected.insert("Namespace istio-system");
      EXPECT_EQ(refs, expected) << show(report);
    }
  }
}

TEST(AnalyzeBookstore, UpstreamIstioObjectsGiveOnlyDeprecationWarnings) {
  World world;
  add_documents(world, load({corpus::dir() + "/upstream/istio"}), "default");
  Report report = analyze(world);
  EXPECT_EQ(report.findings.size(), 11u) << show(report);
  for (const auto& f : report.findings) {
    EXPECT_EQ(f.code, "KM0003") << show(report);
    EXPECT_EQ(f.severity, Severity::kWarning);
    EXPECT_NE(f.message.find("/v1 "), std::string::npos) << f.message;
  }
}

TEST(AnalyzeBookstore, UpstreamWithKubernetesObjectsAddsOnlyRemovedRbacVersions) {
  World world;
  add_documents(world,
                load({corpus::dir() + "/upstream/istio", corpus::dir() + "/upstream/kubernetes"}),
                "default");
  Report report = analyze(world);
  std::vector<std::string> errors;
  for (const auto& f : report.findings) {
    if (f.code == "KM0003") continue;
    EXPECT_EQ(f.code, "KM0002") << show(report);
    errors.push_back(f.object.display());
  }
  std::sort(errors.begin(), errors.end());
  EXPECT_EQ(errors,
            (std::vector<std::string>{"Role bookstore-servicemesh/book-admin-role",
                                      "RoleBinding bookstore-servicemesh/book-admin-role-binding"}))
      << show(report);
}

TEST(AnalyzeWorld, FilesApplyOnTopOfTheCluster) {
  // The cluster has a VirtualService routing to a subset its DestinationRule lacks; the file
  // fixes the DestinationRule, so the combination is clean.
  World world;
  auto cluster = load({corpus::dir() + "/corpus/KM0101-subset-missing.yaml"});
  for (const auto& d : cluster)
    world.add(object_from_cluster(d.value, true));
  world.set_all_known();
  world.gateway_workloads_known = true;
  EXPECT_EQ(analyze(world).findings.size(), 1u);
  Json fixed = cluster[1].value;
  fixed["spec"]["subsets"].push_back({{"name", "v2"}, {"labels", {{"version", "v2"}}}});
  world.add(object_from({fixed, "fix.yaml", 1}, "corpus"));
  world.add(
      object_from_cluster(cluster[1].value, true));  // a later cluster read does not undo the file
  Report report = analyze(world);
  EXPECT_TRUE(report.findings.empty()) << show(report);
  EXPECT_TRUE(world.duplicates().empty());
}

TEST(AnalyzeSuppress, SilencesMatchingFindingsOnly) {
  auto cases = corpus::load_cases("corpus");
  auto it = std::find_if(cases.begin(), cases.end(),
                         [](const auto& c) { return c.name == "KM0105-weights-90"; });
  ASSERT_NE(it, cases.end());
  World world = world_of(*it);
  struct Row {
    std::string flag;
    bool silenced;
  };
  for (const Row& row : std::vector<Row>{{"KM0105=VirtualService/reviews", true},
                                         {"KM0105=virtualservice/corpus/reviews", true},
                                         {"KM0105=VirtualService/*", true},
                                         {"*=VirtualService/rev*", true},
                                         {"KM0104=VirtualService/reviews", false},
                                         {"KM0105=VirtualService/other/reviews", false},
                                         {"KM0105=DestinationRule/reviews", false}}) {
    auto s = parse_suppression(row.flag);
    ASSERT_TRUE(s.ok()) << row.flag;
    Report report = analyze(world, {{*s}});
    EXPECT_EQ(report.findings.empty(), row.silenced) << row.flag;
    EXPECT_EQ(report.suppressed, row.silenced ? 1 : 0) << row.flag;
  }
  for (const std::string bad :
       {"KM0105", "KM9999=Service/x", "KM0105=Service", "KM0105=a/b/c/d", "KM0105=/x"}) {
    auto s = parse_suppression(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().kind, ErrorKind::kUsage);
  }
}

}  // namespace
}  // namespace kmesh::mesh::analyze
