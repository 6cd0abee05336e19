// lib/kube/objects: reading -f inputs into checked objects, and the accessors; the pure
// parts of lib/kube/apply (--dry-run values, display names).

#include "lib/kube/objects.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "lib/kube/apply.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::kube {
namespace {

using kmesh::testing::TempDir;
using kmesh::testing::testdata;

std::string summary(const std::vector<Document>& docs) {
  std::string out;
  for (const auto& d : docs) {
    std::string source = d.source;
    if (auto at = source.rfind("/objects/"); at != std::string::npos)
      source = source.substr(at + 9);
    out += kind_of(d.value) + "/" + name_of(d.value) + "@" + source + ":" + std::to_string(d.line) +
           " ";
  }
  return out;
}

Result<std::vector<Document>> load(const std::vector<std::string>& paths, bool recursive = false,
                                   const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  return load_objects(paths, in, recursive);
}

std::string load_error(const std::vector<std::string>& paths, bool recursive = false,
                       const std::string& stdin_text = "") {
  auto r = load(paths, recursive, stdin_text);
  EXPECT_FALSE(r.ok()) << summary(*r);
  if (r.ok()) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  return r.error().message;
}

TEST(LoadObjects, AMultiDocumentFile) {
  auto docs = load({testdata("objects/app.yaml")});
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  EXPECT_EQ(summary(*docs), "Namespace/bookstore@app.yaml:2 Deployment/web@app.yaml:6 ");
  // typed as kubectl types it: the quoted "on" stays a string
  EXPECT_EQ((*docs)[1].value["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"], "on");
  EXPECT_EQ((*docs)[1].value["spec"]["replicas"], 2);
}

TEST(LoadObjects, ListsAreExpandedIntoTheirItems) {
  auto docs = load({testdata("objects/list.yaml")});
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  EXPECT_EQ(summary(*docs), "ConfigMap/a@list.yaml:1 ConfigMap/b@list.yaml:1 ");
}

TEST(LoadObjects, ADirectoryGivesItsManifestsSorted) {
  auto docs = load({testdata("objects/dir")});
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  EXPECT_EQ(summary(*docs),
            "Namespace/dir-ns@dir/10-namespace.yaml:1 ConfigMap/dir-cm@dir/20-configmap.yml:1 "
            "Service/dir-svc@dir/30-service.json:1 ");
}

TEST(LoadObjects, RecursiveReadsSubdirectories) {
  auto docs = load({testdata("objects/dir")}, /*recursive=*/true);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  EXPECT_EQ(summary(*docs),
            "Namespace/dir-ns@dir/10-namespace.yaml:1 ConfigMap/dir-cm@dir/20-configmap.yml:1 "
            "Service/dir-svc@dir/30-service.json:1 "
            "Deployment/dir-deploy@dir/nested/40-deployment.yaml:1 ");
}

TEST(LoadObjects, FilesAndStdinInTheOrderGiven) {
  auto docs = load({"-", testdata("objects/dir/10-namespace.yaml")}, false,
                   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  EXPECT_EQ(summary(*docs), "ConfigMap/from-stdin@-:1 Namespace/dir-ns@dir/10-namespace.yaml:1 ");
}

TEST(LoadObjects, InputErrorsNameThePath) {
  EXPECT_EQ(load_error({}), "no input: pass -f FILE, -f DIR or -f - for stdin");
  EXPECT_EQ(load_error({"missing.yaml"}), "the path \"missing.yaml\" does not exist");
  EXPECT_EQ(load_error({"-", "-"}), "-f - (stdin) given more than once");
  TempDir empty;
  empty.write("notes.txt", "x");
  EXPECT_EQ(load_error({empty.path()}),
            "the directory \"" + empty.path() + "\" holds no .yaml, .yml or .json file");
}

TEST(LoadObjects, MalformedYamlNamesFileAndLine) {
  std::string path = testdata("objects/malformed.yaml");
  std::string message = load_error({path});
  EXPECT_EQ(message.rfind(path + ":7:", 0), 0u) << message;
  EXPECT_NE(message.find("invalid YAML"), std::string::npos) << message;
}

struct CheckCase {
  const char* name;
  std::string yaml;
  std::string error;  // after "in.yaml:"
};

class CheckObjects : public ::testing::TestWithParam<CheckCase> {};

TEST_P(CheckObjects, EveryObjectNeedsApiVersionKindAndName) {
  TempDir dir;
  std::string path = dir.write("in.yaml", GetParam().yaml);
  EXPECT_EQ(load_error({path}), path + ":" + GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CheckObjects,
    ::testing::Values(
        CheckCase{"NotAMap", "- a\n- b\n", "1: a Kubernetes object must be a YAML map"},
        CheckCase{"Scalar", "hello\n", "1: a Kubernetes object must be a YAML map"},
        CheckCase{"NoApiVersion", "kind: ConfigMap\nmetadata: {name: a}\n",
                  "1: object has no apiVersion"},
        CheckCase{"ApiVersionNotAString", "apiVersion: 1\nkind: ConfigMap\nmetadata: {name: a}\n",
                  "1: object has no apiVersion"},
        CheckCase{"NoKind", "apiVersion: v1\nmetadata: {name: a}\n", "1: object has no kind"},
        CheckCase{"KindNotAString", "apiVersion: v1\nkind: 5\nmetadata: {name: a}\n",
                  "1: object has no kind"},
        CheckCase{"KindIsABoolean", "apiVersion: v1\nkind: yes\nmetadata: {name: a}\n",
                  "1: object has no kind"},
        CheckCase{"NoMetadata", "apiVersion: v1\nkind: ConfigMap\n",
                  "1: ConfigMap has no metadata"},
        CheckCase{"NoName", "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: x}\n",
                  "1: ConfigMap has no metadata.name"},
        CheckCase{"NameNotAString", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 080}\n",
                  "1: ConfigMap has no metadata.name"},
        CheckCase{"SecondDocument",
                  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# the bad one\n"
                  "apiVersion: v1\nkind: Secret\nmetadata: {}\n",
                  "4: Secret has no metadata.name"},
        CheckCase{"ListItem", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n",
                  "1: Pod has no metadata"},
        CheckCase{"DuplicateKey",
                  "apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n",
                  "3: duplicate key \"kind\""}),
    [](const auto& info) { return info.param.name; });

// ---- accessors ----

TEST(Accessors, ReadMetadataOrGiveEmpty) {
  Json o = Json::parse(R"({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                          "metadata": {"name": "reviews", "namespace": "bookstore",
                                       "labels": {"app": "reviews", "n": 1}}})");
  EXPECT_EQ(api_version_of(o), "networking.istio.io/v1");
  EXPECT_EQ(kind_of(o), "VirtualService");
  EXPECT_EQ(name_of(o), "reviews");
  EXPECT_EQ(namespace_of(o), "bookstore");
  EXPECT_EQ(label_of(o, "app"), "reviews");
  EXPECT_EQ(label_of(o, "n"), "");
  EXPECT_EQ(label_of(o, "missing"), "");
  for (const Json& odd :
       {Json(), Json("text"), Json::array({1}), Json::parse(R"({"metadata": []})"),
        Json::parse(R"({"apiVersion": 1, "kind": true, "metadata": {"name": 2}})")}) {
    EXPECT_EQ(api_version_of(odd), "") << odd.dump();
    EXPECT_EQ(kind_of(odd), "") << odd.dump();
    EXPECT_EQ(name_of(odd), "") << odd.dump();
    EXPECT_EQ(namespace_of(odd), "") << odd.dump();
    EXPECT_EQ(label_of(odd, "app"), "") << odd.dump();
  }
  EXPECT_EQ(group_of("apps/v1"), "apps");
  EXPECT_EQ(group_of("v1"), "");
  EXPECT_EQ(group_of("networking.istio.io/v1beta1"), "networking.istio.io");
}

// ---- apply helpers ----

struct DryRunCase {
  const char* value;
  std::optional<DryRun> parsed;
};

class ParseDryRun : public ::testing::TestWithParam<DryRunCase> {};

TEST_P(ParseDryRun, AcceptsKubectlSpellings) {
  auto r = parse_dry_run(GetParam().value);
  if (!GetParam().parsed) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
    EXPECT_EQ(r.error().message, std::string("--dry-run=\"") + GetParam().value +
                                     "\" is not one of none, client, server");
    return;
  }
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, *GetParam().parsed);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseDryRun,
    ::testing::Values(DryRunCase{"none", DryRun::kNone}, DryRunCase{"false", DryRun::kNone},
                      DryRunCase{"client", DryRun::kClient}, DryRunCase{"server", DryRun::kServer},
                      DryRunCase{"bogus", std::nullopt}, DryRunCase{"Server", std::nullopt},
                      DryRunCase{"all", std::nullopt}));

TEST(DisplayName, IsTypeNameSlashName) {
  ResourceInfo deploy{"apps", "v1", "Deployment", "deployments", "deployment", true, {}, {}};
  ResourceInfo cm{"", "v1", "ConfigMap", "configmaps", "configmap", true, {}, {}};
  EXPECT_EQ(display_name(deploy, "web"), "deployment.apps/web");
  EXPECT_EQ(display_name(cm, "flags"), "configmap/flags");
}

TEST(ApplyReport, SummarySaysWhatHappenedToEachObject) {
  ApplyReport report;
  for (Outcome o : {Outcome::kApplied, Outcome::kApplied, Outcome::kUnchanged, Outcome::kFailed,
                    Outcome::kNotAttempted}) {
    ApplyItem item;
    item.outcome = o;
    report.items.push_back(std::move(item));
  }
  EXPECT_EQ(report.summary(), "applied 2, unchanged 1, failed 1, not attempted 1 of 5 objects");
  EXPECT_FALSE(report.ok());
  report.items.resize(3);
  EXPECT_TRUE(report.ok());
}

}  // namespace
}  // namespace kmesh::kube
