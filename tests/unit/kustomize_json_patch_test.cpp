// lib/kustomize: JSON 6902 patches.

#include <gtest/gtest.h>

#include "lib/kustomize/json_patch.hpp"

namespace kmesh::kustomize {
namespace {

struct PatchCase {
  const char* name;
  const char* ops;       // JSON array
  const char* expected;  // the document after, or nullptr for an error
};

const char* kDoc =
    R"({"metadata":{"name":"web","annotations":{"a/b":"1","c~d":"2"}},"list":[1,2,3]})";

class JsonPatch : public ::testing::TestWithParam<PatchCase> {};

TEST_P(JsonPatch, Applies) {
  Json doc = Json::parse(kDoc);
  auto ops = parse_json_patch(GetParam().ops, "test");
  ASSERT_TRUE(ops.ok()) << ops.error().message;
  auto status = apply_json_patch(doc, *ops);
  if (!GetParam().expected) {
    EXPECT_FALSE(status.ok()) << GetParam().name << " should fail";
    return;
  }
  ASSERT_TRUE(status.ok()) << GetParam().name << ": " << status.error().message;
  EXPECT_EQ(doc, Json::parse(GetParam().expected)) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Ops, JsonPatch,
    ::testing::Values(
        PatchCase{
            "add to map", R"([{"op":"add","path":"/metadata/labels","value":{"x":"y"}}])",
            R"({"metadata":{"name":"web","labels":{"x":"y"},"annotations":{"a/b":"1","c~d":"2"}},"list":[1,2,3]})"},
        PatchCase{
            "add into list", R"([{"op":"add","path":"/list/1","value":9}])",
            R"({"metadata":{"name":"web","annotations":{"a/b":"1","c~d":"2"}},"list":[1,9,2,3]})"},
        PatchCase{
            "append with -", R"([{"op":"add","path":"/list/-","value":4}])",
            R"({"metadata":{"name":"web","annotations":{"a/b":"1","c~d":"2"}},"list":[1,2,3,4]})"},
        PatchCase{"remove with ~1", R"([{"op":"remove","path":"/metadata/annotations/a~1b"}])",
                  R"({"metadata":{"name":"web","annotations":{"c~d":"2"}},"list":[1,2,3]})"},
        PatchCase{
            "replace with ~0",
            R"([{"op":"replace","path":"/metadata/annotations/c~0d","value":"3"}])",
            R"({"metadata":{"name":"web","annotations":{"a/b":"1","c~d":"3"}},"list":[1,2,3]})"},
        PatchCase{
            "move", R"([{"op":"move","from":"/list/0","path":"/first"}])",
            R"({"first":1,"metadata":{"name":"web","annotations":{"a/b":"1","c~d":"2"}},"list":[2,3]})"},
        PatchCase{
            "copy", R"([{"op":"copy","from":"/metadata/name","path":"/metadata/annotations/n"}])",
            R"({"metadata":{"name":"web","annotations":{"a/b":"1","c~d":"2","n":"web"}},"list":[1,2,3]})"},
        PatchCase{"test passes", R"([{"op":"test","path":"/list/2","value":3}])", kDoc},
        PatchCase{
            "negative index", R"([{"op":"remove","path":"/list/-1"}])",
            R"({"metadata":{"name":"web","annotations":{"a/b":"1","c~d":"2"}},"list":[1,2]})"},
        PatchCase{"test fails", R"([{"op":"test","path":"/list/2","value":4}])", nullptr},
        PatchCase{"remove missing key", R"([{"op":"remove","path":"/metadata/nope"}])", nullptr},
        PatchCase{"replace missing key", R"([{"op":"replace","path":"/spec","value":1}])", nullptr},
        PatchCase{"add past the end", R"([{"op":"add","path":"/list/5","value":1}])", nullptr},
        PatchCase{"add under a missing parent", R"([{"op":"add","path":"/a/b","value":1}])",
                  nullptr},
        PatchCase{"unknown op", R"([{"op":"frobnicate","path":"/a"}])", nullptr}));

TEST(JsonPatchParse, YamlIsReadAsYaml11) {
  auto ops = parse_json_patch("- op: add\n  path: /x\n  value: on\n", "test");
  ASSERT_TRUE(ops.ok());
  EXPECT_EQ((*ops)[0]["value"], Json(true));
}

TEST(JsonPatchParse, AMapIsNotAPatch) {
  EXPECT_FALSE(parse_json_patch("op: add\n", "test").ok());
}

}  // namespace
}  // namespace kmesh::kustomize
