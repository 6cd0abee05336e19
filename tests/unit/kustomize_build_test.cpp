// lib/kustomize: whole builds over in-memory files, and the smaller pieces (image matching,
// literal and env sources, selectors, kustomization checks).

#include <gtest/gtest.h>

#include "lib/kustomize/generators.hpp"
#include "lib/kustomize/selector.hpp"
#include "lib/kustomize/transformers.hpp"
#include "lib/yaml/scalar.hpp"
#include "tests/unit/kustomize_test_util.hpp"

namespace kmesh::kustomize {
namespace {

using testing::build_files;

const Json* find(const std::vector<Json>& objects, const std::string& kind) {
  for (const auto& o : objects)
    if (o.value("kind", "") == kind) return &o;
  return nullptr;
}

const char* kApp = R"(
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader-binding}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: runner}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      serviceAccountName: runner
      containers:
        - name: app
          image: nginx
          envFrom: [{configMapRef: {name: settings}}, {secretRef: {name: creds}}]
          env: [{name: X, valueFrom: {configMapKeyRef: {name: settings, key: x}}}]
      volumes: [{name: v, configMap: {name: settings}}, {name: s, secret: {secretName: creds}}]
)";

TEST(Build, NamePrefixRewritesReferences) {
  auto objects = build_files({{"kustomization.yaml",
                               "resources: [app.yaml]\nnamePrefix: p-\nnamespace: ns\n"
                               "secretGenerator: [{name: creds, literals: [k=v]}]\n"},
                              {"app.yaml", kApp}});
  ASSERT_TRUE(objects.ok()) << objects.error().message;
  const Json* deployment = find(*objects, "Deployment");
  ASSERT_TRUE(deployment);
  const Json& pod = (*deployment)["spec"]["template"]["spec"];
  EXPECT_EQ(pod["serviceAccountName"], "p-runner");
  EXPECT_EQ(pod["containers"][0]["envFrom"][0]["configMapRef"]["name"], "p-settings");
  EXPECT_EQ(pod["containers"][0]["env"][0]["valueFrom"]["configMapKeyRef"]["name"], "p-settings");
  EXPECT_EQ(pod["volumes"][0]["configMap"]["name"], "p-settings");
  // The generated Secret got the prefix and its content hash; references follow both.
  const Json* secret = find(*objects, "Secret");
  ASSERT_TRUE(secret);
  std::string secret_name = (*secret)["metadata"]["name"];
  EXPECT_EQ(secret_name.substr(0, 8), "p-creds-");
  EXPECT_EQ(pod["volumes"][1]["secret"]["secretName"], secret_name);
  EXPECT_EQ(pod["containers"][0]["envFrom"][1]["secretRef"]["name"], secret_name);
  const Json* binding = find(*objects, "RoleBinding");
  ASSERT_TRUE(binding);
  EXPECT_EQ((*binding)["roleRef"]["name"], "p-reader");
  EXPECT_EQ((*binding)["subjects"][0],
            Json::parse(R"({"kind":"ServiceAccount","name":"p-runner","namespace":"ns"})"));
}

TEST(Build, OutputOrderIsKustomizeLegacyOrder) {
  auto objects =
      build_files({{"kustomization.yaml", "resources: [app.yaml]\n"}, {"app.yaml", kApp}});
  ASSERT_TRUE(objects.ok()) << objects.error().message;
  std::vector<std::string> kinds;
  for (const auto& o : *objects)
    kinds.push_back(o["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"ServiceAccount", "Role", "RoleBinding", "ConfigMap",
                                             "Deployment"}));
}

struct BadKustomization {
  const char* text;
  const char* must_mention;
};

class RejectedKustomization : public ::testing::TestWithParam<BadKustomization> {};

TEST_P(RejectedKustomization, NamesFieldAndFileAndIsAUsageError) {
  auto objects =
      build_files({{"app/kustomization.yaml", GetParam().text},
                   {"app/cm.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}"}},
                  "app");
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.error().kind, ErrorKind::kUsage);
  EXPECT_NE(objects.error().message.find("app/kustomization.yaml"), std::string::npos)
      << objects.error().message;
  EXPECT_NE(objects.error().message.find(GetParam().must_mention), std::string::npos)
      << objects.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, RejectedKustomization,
    ::testing::Values(
        BadKustomization{"resources: [cm.yaml]\nreplacements: []\n", "replacements"},
        BadKustomization{"resources: [cm.yaml]\nhelmCharts: [{name: x}]\n", "helmCharts"},
        BadKustomization{"resources: [cm.yaml]\nvars: []\n", "vars"},
        BadKustomization{"resources: [cm.yaml]\nnamePrefx: a-\n", "namePrefx"},
        BadKustomization{"resources: [cm.yaml]\nnamePrefix: 080\n", "namePrefix"},
        BadKustomization{"resources: [cm.yaml]\ncommonLabels: {enabled: on}\n",
                         "commonLabels.enabled"},
        BadKustomization{"resources: [cm.yaml]\nimages: [{name: a, newtag: b}]\n", "newtag"},
        BadKustomization{
            "kind: Component\napiVersion: kustomize.config.k8s.io/v1beta1\nresources: [cm.yaml]\n",
            "apiVersion"}));

TEST(Build, MissingResourceNamesIt) {
  auto objects = build_files({{"kustomization.yaml", "resources: [nope.yaml]\n"}});
  ASSERT_FALSE(objects.ok());
  EXPECT_NE(objects.error().message.find("nope.yaml"), std::string::npos);
}

TEST(Build, FilesOutsideTheRootAreRefused) {
  auto objects =
      build_files({{"a/kustomization.yaml", "resources: [../cm.yaml]\n"},
                   {"cm.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}"}},
                  "a");
  ASSERT_FALSE(objects.ok());
  EXPECT_NE(objects.error().message.find("security"), std::string::npos) << objects.error().message;
}

TEST(Build, BookstoreFromEmbeddedFiles) {
  EmbeddedFileSource files;
  for (const char* overlay : {"base", "overlays/mesh", "overlays/dev"}) {
    auto objects = build(std::string("kustomize-templates/bookstore/") + overlay, files);
    ASSERT_TRUE(objects.ok()) << overlay << ": " << objects.error().message;
    EXPECT_GE(objects->size(), 19u) << overlay;
    EXPECT_EQ(objects->front()["kind"], "Namespace");
  }
}

// ---- pieces ----

struct ImageCase {
  const char* image;
  const char* name;
  bool matches;
};

class ImageMatch : public ::testing::TestWithParam<ImageCase> {};

TEST_P(ImageMatch, AsKustomize) {
  EXPECT_EQ(image_matches(GetParam().image, GetParam().name), GetParam().matches)
      << GetParam().image << " vs " << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Images, ImageMatch,
    ::testing::Values(ImageCase{"nginx", "nginx", true}, ImageCase{"nginx:1.25", "nginx", true},
                      ImageCase{"nginx@sha256:abc", "nginx", true},
                      ImageCase{"nginx:1@sha256:abc", "nginx", true},
                      ImageCase{"nginx-extra", "nginx", false},
                      ImageCase{"my/nginx", "nginx", false},
                      ImageCase{"registry:5000/a/b:v1", "registry:5000/a/b", true},
                      ImageCase{"gcr.io/x", "gcr.io/x", true},
                      ImageCase{"gcrxio/x", "gcr.io/x", true}));

TEST(UpdateImage, NewNameTagDigest) {
  EXPECT_EQ(update_image("nginx:1.25", {"nginx", "my/nginx", "1.27", "", ""}), "my/nginx:1.27");
  EXPECT_EQ(update_image("nginx:1.25", {"nginx", "", "", "sha256:ff", ""}), "nginx@sha256:ff");
  EXPECT_EQ(update_image("nginx@sha256:aa", {"nginx", "", "2", "", ""}), "nginx:2");
  EXPECT_EQ(update_image("host:5000/nginx", {"", "", "3", "", ""}), "host:5000/nginx:3");
  EXPECT_EQ(update_image("nginx:1", {"nginx", "", "2", "sha256:ff", ""}), "nginx:2@sha256:ff");
}

TEST(Literals, SplitOnFirstEqualsAndDropQuotes) {
  auto kv = parse_literal("url=http://x?a=b");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(kv->first, "url");
  EXPECT_EQ(kv->second, "http://x?a=b");
  EXPECT_EQ(parse_literal("k=\"quoted value\"")->second, "quoted value");
  EXPECT_EQ(parse_literal("k=")->second, "");
  EXPECT_FALSE(parse_literal("=v").ok());
  EXPECT_FALSE(parse_literal("novalue").ok());
}

TEST(EnvFile, LinesCommentsAndErrors) {
  auto pairs = parse_env_file("\xEF\xBB\xBF# c\nA=1\n  B=x=y\r\nEMPTY=\nBARE\n\n", "e.env");
  ASSERT_TRUE(pairs.ok()) << pairs.error().message;
  std::vector<std::pair<std::string, std::string>> expected = {
      {"A", "1"}, {"B", "x=y"}, {"EMPTY", ""}, {"BARE", ""}};
  EXPECT_EQ(*pairs, expected);
  auto bad = parse_env_file("1X=2\n", "e.env");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("e.env"), std::string::npos);
}

TEST(LabelSelector, Terms) {
  StringMap labels = {{"app", "web"}, {"tier", "front"}};
  EXPECT_TRUE(*matches_label_selector("app=web", labels));
  EXPECT_TRUE(*matches_label_selector("app==web,tier in (front, back)", labels));
  EXPECT_FALSE(*matches_label_selector("app!=web", labels));
  EXPECT_TRUE(*matches_label_selector("missing!=x,!canary,tier", labels));
  EXPECT_FALSE(*matches_label_selector("tier notin (front)", labels));
}

TEST(GoTimestamp, AsYamlV3ThenJsonMarshal) {
  EXPECT_EQ(yaml::go_timestamp("2024-01-02"), "2024-01-02T00:00:00Z");
  EXPECT_EQ(yaml::go_timestamp("2001-12-14t21:59:43.10-05:00"), "2001-12-14T21:59:43.1-05:00");
  EXPECT_EQ(yaml::go_timestamp("2001-12-14 21:59:43.10"), "2001-12-14T21:59:43.1Z");
  EXPECT_EQ(yaml::go_timestamp("2001-1-2T3:04:05+00:00"), "2001-01-02T03:04:05Z");
  EXPECT_FALSE(yaml::go_timestamp("2001-02-30"));
  EXPECT_FALSE(yaml::go_timestamp("01-02-03"));
  EXPECT_FALSE(yaml::go_timestamp("2001-12-14 21:59:43 -5"));
}

}  // namespace
}  // namespace kmesh::kustomize
