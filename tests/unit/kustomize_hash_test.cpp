// lib/kustomize: the generator name suffix, checked against names kubectl kustomize (v5.5)
// gave for the same generators.

#include <gtest/gtest.h>

#include "lib/kustomize/generators.hpp"
#include "lib/kustomize/hash.hpp"
#include "tests/unit/kustomize_test_util.hpp"

namespace kmesh::kustomize {
namespace {

struct HashCase {
  const char* object;    // YAML of the generated object
  const char* expected;  // suffix kubectl kustomize printed
};

class ContentHash : public ::testing::TestWithParam<HashCase> {};

TEST_P(ContentHash, MatchesKubectlKustomize) {
  Json object = testing::yaml_doc(GetParam().object);
  EXPECT_EQ(content_hash(object), GetParam().expected) << object.dump();
}

INSTANTIATE_TEST_SUITE_P(
    Kustomize, ContentHash,
    ::testing::Values(
        // configMapGenerator {name: cm, literals: [a=b]} (with namePrefix p-: p-cm-4h2mbtbbt6;
        // the name never enters the hash)
        HashCase{"{kind: ConfigMap, metadata: {name: p-cm}, data: {a: b}}", "4h2mbtbbt6"},
        // <, > and & are HTML-escaped by Go's json.Marshal before hashing
        HashCase{"{kind: ConfigMap, metadata: {name: html}, data: {page: '<b>a & b</b>', sep: "
                 "'line  sep'}}",
                 "c8g5fdtfff"},
        HashCase{"{kind: Secret, metadata: {name: s}, type: Opaque, data: {password: PCY+}}",
                 "72g64th2fk"}));

TEST(EncodeHash, MapsDigitsAndLettersAsKustomize) {
  EXPECT_EQ(encode_hash("0123456789abcdef"), "gh2k456789");
  EXPECT_EQ(encode_hash("a3e1f0"), "mkthfg");
  EXPECT_EQ(encode_hash("eeeeeeeeeeffff"), "tttttttttt");
}

TEST(GoJson, EscapesAsEncodingJson) {
  EXPECT_EQ(go_json(Json{{"b", "<&>"}, {"a", "x\ny\t\"\\"}}),
            R"({"a":"x\ny\t\"\\","b":"\u003c\u0026\u003e"})");
  EXPECT_EQ(go_json(Json("\xE2\x80\xA8")), R"("\u2028")");
  EXPECT_EQ(go_json(Json(std::string("\x01\x08\x0c", 3))), R"("\u0001\b\f")");
  EXPECT_EQ(go_json(Json("bad\xff")), R"("bad\ufffd")");
  EXPECT_EQ(go_json(Json::parse(R"([1, 1.5, true, null])")), "[1,1.5,true,null]");
}

TEST(SecretValue, Base64SplitIntoLinesOf70) {
  EXPECT_EQ(encode_secret_value("<&>"), "PCY+");
  std::string long_value(60, 'a');  // 80 base64 characters
  std::string encoded = encode_secret_value(long_value);
  EXPECT_EQ(encoded.substr(70, 1), "\n");
  EXPECT_EQ(encoded.back(), '\n');
  EXPECT_EQ(encoded.size(), 82u);
}

}  // namespace
}  // namespace kmesh::kustomize
