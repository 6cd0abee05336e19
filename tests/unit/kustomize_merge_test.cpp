// lib/kustomize: strategic merge patches as Kustomize applies them.

#include <gtest/gtest.h>

#include "lib/kustomize/strategic_merge.hpp"
#include "tests/unit/kustomize_test_util.hpp"

namespace kmesh::kustomize {
namespace {

using testing::yaml_doc;

const char* kDeployment = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          env: [{name: A, value: "1"}, {name: B, value: "2"}]
          ports: [{containerPort: 80, name: http}]
          volumeMounts: [{name: data, mountPath: /data}]
        - name: side
          image: side:1
      volumes: [{name: data, emptyDir: {}}]
)";

struct MergeCase {
  const char* name;
  const char* patch;
  const char* pointer;   // where to look in the result
  const char* expected;  // JSON expected there
};

class StrategicMerge : public ::testing::TestWithParam<MergeCase> {};

TEST_P(StrategicMerge, Deployment) {
  std::string body = GetParam().patch;
  if (body.find("metadata:") == std::string::npos) body = "metadata: {name: web}, " + body;
  Json patch = yaml_doc("{apiVersion: apps/v1, kind: Deployment, " + body + "}");
  auto merged = strategic_merge(yaml_doc(kDeployment), patch);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  ASSERT_TRUE(merged->has_value());
  Json::json_pointer at(GetParam().pointer);
  ASSERT_TRUE((*merged)->contains(at)) << (*merged)->dump();
  EXPECT_EQ((*merged)->at(at), Json::parse(GetParam().expected)) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Kustomize, StrategicMerge,
    ::testing::Values(
        MergeCase{
            "containers merge by name",
            "spec: {template: {spec: {containers: [{name: side, image: side:2}]}}}",
            "/spec/template/spec/containers",
            R"([{"name":"side","image":"side:2"},{"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80,"name":"http"}],"volumeMounts":[{"name":"data","mountPath":"/data"}]}])"},
        MergeCase{
            "env merges by name, new items first",
            "spec: {template: {spec: {containers: [{name: app, env: [{name: C, value: '3'}, {name: "
            "A, value: x}]}]}}}",
            "/spec/template/spec/containers/0/env",
            R"([{"name":"C","value":"3"},{"name":"A","value":"x"},{"name":"B","value":"2"}])"},
        MergeCase{"ports merge by containerPort",
                  "spec: {template: {spec: {containers: [{name: app, ports: [{containerPort: 5005, "
                  "name: jdwp}, {containerPort: 80, name: web}]}]}}}",
                  "/spec/template/spec/containers/0/ports",
                  R"([{"containerPort":5005,"name":"jdwp"},{"containerPort":80,"name":"web"}])"},
        MergeCase{"volumeMounts merge by mountPath",
                  "spec: {template: {spec: {containers: [{name: app, volumeMounts: [{name: other, "
                  "mountPath: /data}]}]}}}",
                  "/spec/template/spec/containers/0/volumeMounts",
                  R"([{"name":"other","mountPath":"/data"}])"},
        MergeCase{"volumes merge by name",
                  "spec: {template: {spec: {volumes: [{name: cache, emptyDir: {}}]}}}",
                  "/spec/template/spec/volumes",
                  R"([{"name":"cache","emptyDir":{}},{"name":"data","emptyDir":{}}])"},
        MergeCase{"null deletes a field", "metadata: {name: web, labels: {app: null}}", "/metadata",
                  R"({"name":"web","labels":{}})"},
        MergeCase{"$patch: delete removes a list item",
                  "spec: {template: {spec: {containers: [{name: side, $patch: delete}]}}}",
                  "/spec/template/spec/containers/0/name", R"("app")"},
        MergeCase{"$patch: replace replaces a map",
                  "spec: {template: {spec: {containers: [{name: app, env: [{$patch: replace}, "
                  "{name: Z, value: z}]}]}}}",
                  "/spec/template/spec/containers/0/env", R"([{"name":"Z","value":"z"}])"},
        MergeCase{"lists without strategy are replaced",
                  "spec: {template: {spec: {containers: [{name: app, args: [a]}]}}}",
                  "/spec/template/spec/containers/0/args", R"(["a"])"}));

TEST(StrategicMerge, CustomResourceListsAreReplaced) {
  Json target = yaml_doc(
      "{apiVersion: x.io/v1, kind: Thing, metadata: {name: t}, spec: {items: [{name: a, v: 1}, "
      "{name: b}]}}");
  Json patch = yaml_doc(
      "{apiVersion: x.io/v1, kind: Thing, metadata: {name: t}, spec: {items: [{name: a, v: 2}]}}");
  auto merged = strategic_merge(target, patch);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ((**merged)["spec"]["items"], Json::parse(R"([{"name":"a","v":2}])"));
}

TEST(StrategicMerge, DeleteDirectiveRemovesTheObject) {
  auto merged = strategic_merge(
      yaml_doc(kDeployment),
      yaml_doc("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, $patch: delete}"));
  ASSERT_TRUE(merged.ok());
  EXPECT_FALSE(merged->has_value());
}

TEST(StrategicMerge, MismatchedKindsAreAnError) {
  auto merged =
      strategic_merge(yaml_doc(kDeployment),
                      yaml_doc("{apiVersion: apps/v1, kind: Deployment, metadata: {name: [x]}}"));
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error().message.find("metadata.name"), std::string::npos)
      << merged.error().message;
}

}  // namespace
}  // namespace kmesh::kustomize
