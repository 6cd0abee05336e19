// lib/yaml: the goyaml-compatible emitter (what kubectl and kustomize print). Expected texts
// were produced by `kubectl kustomize` (sigs.k8s.io/yaml over goyaml.v2).

#include <gtest/gtest.h>

#include "lib/yaml/emit.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::yaml {
namespace {

struct GoyamlCase {
  const char* json;
  const char* yaml;
};

class EmitGoyaml : public ::testing::TestWithParam<GoyamlCase> {};

TEST_P(EmitGoyaml, AsKubectl) {
  EXPECT_EQ(emit_goyaml(Json::parse(GetParam().json)), GetParam().yaml);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EmitGoyaml,
    ::testing::Values(
        // key order: digit runs as numbers, non-letters before letters
        GoyamlCase{R"({"a10":1,"a9":1,"aB":1,"a_b":1,"a01":1,"a1":1,"A1":1,"a.b":1})",
                   "A1: 1\na.b: 1\na_b: 1\na1: 1\na01: 1\na9: 1\na10: 1\naB: 1\n"},
        // quoting: double for what YAML 1.1 reads as non-strings, single for indicators
        GoyamlCase{
            R"({"v":["on","y","080","1:20","2024-01-02","",": x","- x","#c","a #b","x ","*r","<<","-agent","a: b"]})",
            "v:\n- \"on\"\n- \"y\"\n- \"080\"\n- \"1:20\"\n- \"2024-01-02\"\n- \"\"\n- ': x'\n- '- "
            "x'\n- '#c'\n"
            "- 'a #b'\n- 'x '\n- '*r'\n- <<\n- -agent\n- 'a: b'\n"},
        GoyamlCase{R"({"y":"yes","n":"N"})", "\"n\": \"N\"\n\"y\": \"yes\"\n"},
        // control characters and astral characters in double quotes
        GoyamlCase{R"({"t":"a\tb","e":"x\ud83d\ude00","q":"it's \"q\""})",
                   "e: \"x\\U0001F600\"\nq: it's \"q\"\nt: \"a\\tb\"\n"},
        // literal blocks with chomping and indentation indicators
        GoyamlCase{
            R"({"a":"x\ny\n","b":"x\ny","c":"x\n\n","d":"  x\ny\n","e":"x \ny"})",
            "a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |+\n  x\n\nd: |2\n    x\n  y\ne: \"x \\ny\"\n"},
        // numbers as Go formats float64 ('g', shortest)
        GoyamlCase{R"({"f":[1234567.5,0.00001,0.0001,1.5,1e21,-0.5,3]})",
                   "f:\n- 1.2345675e+06\n- 1e-05\n- 0.0001\n- 1.5\n- 1e+21\n- -0.5\n- 3\n"},
        // empty collections, nested lists, null
        GoyamlCase{R"({"a":[[1,2],[],{},{"k":null}]})",
                   "a:\n- - 1\n  - 2\n- []\n- {}\n- k: null\n"}));

// A key "<<" (a tagged or quoted one in the input) must not come back as a merge key. The
// input is the yaml_load fuzz target's crash; as a value, "<<" stays plain as goyaml has it.
TEST(EmitGoyaml, AKeyNamedMergeIsQuotedSoItReadsBackAsAKey) {
  auto docs = parse_documents("!!styes---nchO<<: r\\xs", "crash");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  ASSERT_EQ(docs->size(), 1u);
  const Json& value = docs->front().value;
  std::string text = emit_goyaml(value);
  EXPECT_EQ(text.rfind("\"<<\": ", 0), 0u) << text;
  auto back = parse_single(text, "emitted");
  ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
  EXPECT_EQ(back->value, value);
  EXPECT_EQ(emit_goyaml(Json{{"k", "<<"}}), "k: <<\n");
}

TEST(EmitGoyaml, FoldsLongPlainScalarsAt80Columns) {
  std::string words;
  for (int i = 0; i < 20; ++i)
    words += (i ? " word" : "word") + std::to_string(i);
  std::string text = emit_goyaml(Json{{"data", {{"long", words}}}});
  EXPECT_EQ(text,
            "data:\n"
            "  long: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n"
            "    word12 word13 word14 word15 word16 word17 word18 word19\n");
}

TEST(EmitGoyaml, DocumentsSeparated) {
  EXPECT_EQ(emit_all_goyaml({Json{{"a", 1}}, Json{{"b", 2}}}), "a: 1\n---\nb: 2\n");
}

}  // namespace
}  // namespace kmesh::yaml
