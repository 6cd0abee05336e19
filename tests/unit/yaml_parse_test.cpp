// lib/yaml/parse: multi-document streams, typing through the parser, and the limits that
// keep hostile input out.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "lib/yaml/parse.hpp"

namespace kmesh::yaml {
namespace {

std::vector<Document> parse_ok(const std::string& text, const ParseOptions& options = {}) {
  auto r = parse_documents(text, "in.yaml", options);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r).value() : std::vector<Document>{};
}

std::string parse_error(const std::string& text, const ParseOptions& options = {}) {
  auto r = parse_documents(text, "in.yaml", options);
  EXPECT_FALSE(r.ok()) << "parsed: " << (r.ok() && !r->empty() ? r->front().value.dump() : "");
  if (r.ok()) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  return r.error().message;
}

// ---- multi-document streams ----

struct StreamCase {
  const char* name;
  std::string text;
  std::vector<std::string> values;  // each document as JSON
  std::vector<int> lines;           // where each starts
};

class Documents : public ::testing::TestWithParam<StreamCase> {};

TEST_P(Documents, SplitsDropsEmptyAndNumbersLines) {
  const auto& c = GetParam();
  auto docs = parse_ok(c.text);
  ASSERT_EQ(docs.size(), c.values.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    EXPECT_EQ(docs[i].value, Json::parse(c.values[i])) << "document " << i;
    EXPECT_EQ(docs[i].line, c.lines[i]) << "document " << i;
    EXPECT_EQ(docs[i].source, "in.yaml");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, Documents,
    ::testing::Values(
        StreamCase{"Empty", "", {}, {}}, StreamCase{"OnlyComments", "# nothing here\n", {}, {}},
        StreamCase{"OnlySeparators", "---\n---\n...\n", {}, {}},
        StreamCase{"One", "a: 1\n", {R"({"a":1})"}, {1}},
        StreamCase{"LeadingComment", "\n# header\n\nkind: A\n", {R"({"kind":"A"})"}, {4}},
        StreamCase{"Two", "a: 1\n---\nb: 2\n", {R"({"a":1})", R"({"b":2})"}, {1, 2}},
        StreamCase{
            "LeadingSeparator", "---\na: 1\n---\nb: 2\n", {R"({"a":1})", R"({"b":2})"}, {1, 3}},
        // Helm writes every document as "---" then a "# Source:" comment.
        StreamCase{"EmptyDocumentsDropped",
                   "a: 1\n---\n---\n# Source: x.yaml\nb: 2\n---\n# only a comment\n---\nc: 3\n",
                   {R"({"a":1})", R"({"b":2})", R"({"c":3})"},
                   {1, 3, 8}},
        StreamCase{"NullDocumentDropped", "a: 1\n---\n~\n---\nnull\n", {R"({"a":1})"}, {1}},
        StreamCase{"DocumentEndMarkers",
                   "a: 1\n...\n---\nb: 2\n...\n",
                   {R"({"a":1})", R"({"b":2})"},
                   {1, 3}},
        StreamCase{"SeparatorWithTrailingSpace",
                   "a: 1\n--- \nb: 2\n",
                   {R"({"a":1})", R"({"b":2})"},
                   {1, 2}},
        StreamCase{"DashesInsideLiteralBlock",
                   "data:\n  script: |\n    echo one\n    ---\n    echo two\n---\nb: 2\n",
                   {R"({"data":{"script":"echo one\n---\necho two\n"}})", R"({"b":2})"},
                   {1, 6}},
        StreamCase{
            "DashesInsideFoldedBlock", "a: >-\n  x\n  ---\n  y\n", {R"({"a":"x --- y"})"}, {1}},
        StreamCase{"DashesInsideQuotedString", "a: \"x\n  --- y\"\n", {R"({"a":"x --- y"})"}, {1}},
        StreamCase{
            "DashesNotAtLineStart", "a: x---y\nb: '---'\n", {R"({"a":"x---y","b":"---"})"}, {1}},
        StreamCase{"Json",
                   R"({"kind": "A", "n": [1, 2.5, true, null]})",
                   {R"({"kind":"A","n":[1,2.5,true,null]})"},
                   {1}},
        StreamCase{"ScalarDocument", "hello\n", {R"("hello")"}, {1}}),
    [](const auto& info) { return info.param.name; });

TEST(ParseDocuments, KeepsEmptyDocumentsWhenAsked) {
  ParseOptions keep;
  keep.keep_empty = true;
  auto docs = parse_ok("a: 1\n---\n---\nb: 2\n", keep);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_TRUE(docs[1].value.is_null());
}

TEST(ParseDocuments, ErrorsNameTheSourceAndLine) {
  auto r = parse_documents("a: 1\nb: [1, 2\n", "deploy/app.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error().message.rfind("deploy/app.yaml:3:", 0), 0u) << r.error().message;
  EXPECT_NE(r.error().message.find("invalid YAML"), std::string::npos) << r.error().message;
}

// ---- typing through the parser ----

struct TypedCase {
  const char* yaml;
  const char* yaml11;  // JSON of the document
  const char* yaml12;
};

class Typed : public ::testing::TestWithParam<TypedCase> {};

TEST_P(Typed, PlainScalarsAreTypedQuotedOnesAreStrings) {
  const auto& c = GetParam();
  ParseOptions v11, v12;
  v12.typing = Typing::kYaml12;
  auto a = parse_ok(c.yaml, v11);
  auto b = parse_ok(c.yaml, v12);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].value, Json::parse(c.yaml11)) << c.yaml;
  EXPECT_EQ(b[0].value, Json::parse(c.yaml12)) << c.yaml;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Typed,
    ::testing::Values(TypedCase{"v: on", R"({"v":true})", R"({"v":"on"})"},
                      TypedCase{"v: \"on\"", R"({"v":"on"})", R"({"v":"on"})"},
                      TypedCase{"v: 'y'", R"({"v":"y"})", R"({"v":"y"})"},
                      TypedCase{"v: y", R"({"v":true})", R"({"v":"y"})"},
                      TypedCase{"v: NO", R"({"v":false})", R"({"v":"NO"})"},
                      TypedCase{"v: 080", R"({"v":80})", R"({"v":80})"},
                      TypedCase{"v: \"080\"", R"({"v":"080"})", R"({"v":"080"})"},
                      TypedCase{"v: 0777", R"({"v":511})", R"({"v":511})"},
                      TypedCase{"v: 2001-12-14", R"({"v":"2001-12-14"})", R"({"v":"2001-12-14"})"},
                      TypedCase{"v: !!str 123", R"({"v":"123"})", R"({"v":"123"})"},
                      TypedCase{"v: !!str on", R"({"v":"on"})", R"({"v":"on"})"},
                      TypedCase{"v: !!int 42", R"({"v":42})", R"({"v":42})"},
                      TypedCase{"v: ~", R"({"v":null})", R"({"v":null})"},
                      TypedCase{"v:", R"({"v":null})", R"({"v":null})"},
                      TypedCase{"v: \"\"", R"({"v":""})", R"({"v":""})"},
                      TypedCase{"v: |\n  on\n", R"({"v":"on\n"})", R"({"v":"on\n"})"},
                      // map keys stay the text the user wrote: Kubernetes objects have string keys
                      TypedCase{"on: 1\n080: 2\nnull: 3\n\"y\": 4",
                                R"({"on":1,"080":2,"null":3,"y":4})",
                                R"({"on":1,"080":2,"null":3,"y":4})"},
                      TypedCase{"~: 1\nNULL: 2\n\"\": 3\nnullable: 4",
                                R"({"~":1,"NULL":2,"":3,"nullable":4})",
                                R"({"~":1,"NULL":2,"":3,"nullable":4})"},
                      TypedCase{"[yes, No, 1_000, .5, -0b101, +1, 1e3, '1e3']",
                                R"([true, false, 1000, 0.5, -5, 1, 1000, "1e3"])",
                                R"(["yes", "No", 1000, 0.5, -5, 1, 1000, "1e3"])"}));

TEST(ParseDocuments, AnIntTagOnANonIntegerIsAnError) {
  EXPECT_EQ(parse_error("replicas: !!int three\n"),
            "in.yaml:1: !!int value \"three\" is not an integer");
}

// ---- duplicate keys and merge keys ----

TEST(ParseDocuments, RejectsDuplicateKeysNamingTheLine) {
  EXPECT_EQ(parse_error("metadata:\n  name: a\n  labels: {}\n  name: b\n"),
            "in.yaml:4: duplicate key \"name\"");
  EXPECT_EQ(parse_error("a: 1\n\"a\": 2\n"), "in.yaml:2: duplicate key \"a\"");
  EXPECT_EQ(parse_error("{a: 1, a: 2}"), "in.yaml:1: duplicate key \"a\"");
  // the same key in two documents, or in sibling maps, is fine
  EXPECT_EQ(parse_ok("a: 1\n---\na: 2\n").size(), 2u);
  EXPECT_EQ(parse_ok("x: {a: 1}\ny: {a: 1}\n").size(), 1u);
}

struct MergeCase {
  const char* name;
  const char* yaml;
  const char* expected;  // JSON of key "c"
};

class MergeKeys : public ::testing::TestWithParam<MergeCase> {};

TEST_P(MergeKeys, MergeAsYaml11WithExplicitKeysWinning) {
  auto docs = parse_ok(GetParam().yaml);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].value["c"], Json::parse(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Table, MergeKeys,
    ::testing::Values(
        MergeCase{"MergeFirst", "b: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 9\n", R"({"x":9,"y":2})"},
        MergeCase{"MergeLast", "b: &b {x: 1, y: 2}\nc:\n  x: 9\n  <<: *b\n", R"({"x":9,"y":2})"},
        MergeCase{"EarlierMapInListWins",
                  "p: &p {x: 1}\nq: &q {x: 2, y: 2}\nc:\n  <<: [*p, *q]\n  z: 3\n",
                  R"({"x":1,"y":2,"z":3})"},
        MergeCase{"InlineMap", "c:\n  <<: {x: 1}\n  y: 2\n", R"({"x":1,"y":2})"},
        MergeCase{"QuotedIsAPlainKey", "c:\n  \"<<\": {x: 1}\n", R"({"<<":{"x":1}})"}),
    [](const auto& info) { return info.param.name; });

TEST(ParseDocuments, MergingANonMapIsAnError) {
  EXPECT_EQ(parse_error("a: &a 1\nc:\n  <<: *a\n"),
            "in.yaml:3: merge key \"<<\" needs a map or a list of maps");
}

TEST(ParseDocuments, MergedKeysDoNotCountAsDuplicates) {
  auto docs = parse_ok("b: &b {x: 1}\nc:\n  <<: *b\n  x: 2\n  y: 3\n");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].value["c"], Json::parse(R"({"x":2,"y":3})"));
}

// ---- aliases and limits ----

TEST(ParseDocuments, AliasesCopyTheAnchoredValue) {
  auto docs = parse_ok("a: &x [1, {k: v}]\nb: *x\nc: &s text\nd: *s\n");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].value,
            Json::parse(R"({"a":[1,{"k":"v"}],"b":[1,{"k":"v"}],"c":"text","d":"text"})"));
}

std::string billion_laughs() {
  std::string text =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string name(1, c);
    text += name + ": &" + name + " [";
    for (int i = 0; i < 9; ++i)
      text += (i ? ",*" : "*") + prev;
    text += "]\n";
    prev = name;
  }
  return text;
}

TEST(ParseDocuments, AnAliasBombFailsFastWithAClearError) {
  auto start = std::chrono::steady_clock::now();
  std::string message = parse_error(billion_laughs());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(message,
            "in.yaml:7: aliases expand to more than 1000000 values (is this a YAML bomb?)");
  // A billion values would take minutes and gigabytes; the cap stops it well before.
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST(ParseDocuments, TheAliasCapIsConfigurable) {
  ParseOptions small;
  small.max_alias_nodes = 10;
  EXPECT_EQ(parse_ok("a: &a [1, 2, 3]\nb: *a\nc: *a\n", small).size(), 1u);  // 8 values
  EXPECT_EQ(parse_error("a: &a [1, 2, 3]\nb: *a\nc: *a\nd: *a\n", small),
            "in.yaml:4: aliases expand to more than 10 values (is this a YAML bomb?)");
}

TEST(ParseDocuments, AnAliasToItselfIsAnError) {
  EXPECT_FALSE(parse_error("a: &a [*a]\n").empty());
}

TEST(ParseDocuments, CapsNesting) {
  ParseOptions options;
  options.max_depth = 4;
  EXPECT_EQ(parse_ok("a: {b: {c: [1]}}\n", options).size(), 1u);  // 4 levels
  EXPECT_EQ(parse_error("a: {b: {c: [[1]]}}\n", options),
            "in.yaml:1: nesting deeper than 4 levels");
  // block style, default cap of 128
  std::string deep;
  for (int i = 0; i < 200; ++i)
    deep += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
  EXPECT_EQ(parse_error(deep), "in.yaml:129: nesting deeper than 128 levels");
  EXPECT_EQ(parse_error(std::string(100000, '[') + std::string(100000, ']')),
            "in.yaml:1: nesting deeper than 128 levels");
}

TEST(ParseDocuments, AnUnclosedFlowListIsASyntaxErrorNotAComplexKey) {
  for (const char* text : {"args: [a, [b\nx: 1\n", "[[[", "args: [[a, b]\n"}) {
    std::string message = parse_error(text);
    EXPECT_NE(message.find("invalid YAML"), std::string::npos) << text << " -> " << message;
  }
}

TEST(ParseDocuments, RejectsMapsAndListsAsKeys) {
  EXPECT_EQ(parse_error("? [a, b]\n: c\n"),
            "in.yaml:1: a map or list used as a map key is not supported");
  EXPECT_EQ(parse_error("x: 1\n? {a: 1}\n: c\n"),
            "in.yaml:2: a map or list used as a map key is not supported");
}

TEST(ParseDocuments, RejectsInvalidUtf8) {
  EXPECT_EQ(parse_error("a: 1\nb: \"caf\xc3\"\n"), "in.yaml:2: text is not valid UTF-8");
  EXPECT_EQ(parse_error("a: 1\nb: x\xff\n"), "in.yaml:2: text is not valid UTF-8");
  EXPECT_EQ(parse_error("a: 1\n\xc0\xaf: x\n"), "in.yaml:2: text is not valid UTF-8");
  EXPECT_EQ(parse_ok("name: caf\xc3\xa9 \xf0\x9f\x9a\x80\n")[0].value["name"],
            "caf\xc3\xa9 \xf0\x9f\x9a\x80");
}

TEST(ParseDocuments, AStrayFlowIndicatorIsAnErrorNotAHang) {
  // Found by tests/fuzz/yaml_load: yaml-cpp reported empty documents at "," for ever, so
  // `kubectl mesh apply -f` hung on a file holding `,"pa`.
  EXPECT_EQ(parse_error(",\"pa"), "in.yaml:1: invalid YAML: unexpected \",\"");
  EXPECT_EQ(parse_error("a: 1\n---\n,\n"), "in.yaml:3: invalid YAML: unexpected \",\"");
  EXPECT_EQ(parse_error("- a\n,"), "in.yaml:2: invalid YAML: unexpected \",\"");
  auto single = parse_single(",", "in.yaml");
  ASSERT_FALSE(single.ok());
  EXPECT_EQ(single.error().message, "in.yaml:1: invalid YAML: unexpected \",\"");
}

TEST(ParseDocuments, AQuotedStringCutOffByTheEndIsAnError) {
  // Found by tests/badinput: yaml-cpp read `name: "abc` and a line break as "abc " (it
  // reports "illegal EOF in scalar" only without the line break), so a truncated file applied.
  const std::string message = "a quoted string is not closed before the end of the text";
  EXPECT_EQ(parse_error("a: 1\nname: \"abc\n"), "in.yaml:2: " + message);
  EXPECT_EQ(parse_error("name: 'abc\n  def\n\n"), "in.yaml:1: " + message);
  EXPECT_EQ(parse_error("name: 'it''s\n"), "in.yaml:1: " + message);
  EXPECT_EQ(parse_error("name: \"ends in \\\"\n"), "in.yaml:1: " + message);
  // Closed ones, with escaped quotes inside and across lines, are fine.
  auto docs = parse_ok("a: \"say \\\"hi\\\"\"\nb: 'it''s'\nc: \"two\n  lines\"\nd: ''\n");
  EXPECT_EQ(docs[0].value["a"], "say \"hi\"");
  EXPECT_EQ(docs[0].value["b"], "it's");
  EXPECT_EQ(docs[0].value["c"], "two lines");
  EXPECT_EQ(docs[0].value["d"], "");
}

TEST(ParseDocuments, RejectsNulBytesNamingTheLine) {
  // A binary file given by mistake: yaml-cpp alone said "unknown escape character".
  EXPECT_EQ(parse_error(std::string("a: 1\nb: x\0y\n", 12)),
            "in.yaml:2: contains a NUL byte: not a YAML text file");
}

TEST(ParseDocuments, RejectsTabsInIndentation) {
  std::string message = parse_error("a:\n\tb: 1\n");
  EXPECT_EQ(message.rfind("in.yaml:2:", 0), 0u) << message;
  message = parse_error("a:\n  b: 1\n\tc: 2\n");
  EXPECT_EQ(message.rfind("in.yaml:3:", 0), 0u) << message;
  // a tab after the indentation is only a separator
  EXPECT_EQ(parse_ok("a:\t1\nb: [1,\t2]\n")[0].value, Json::parse(R"({"a":1,"b":[1,2]})"));
}

// ---- parse_single ----

TEST(ParseSingle, WantsExactlyOneDocument) {
  auto one = parse_single("a: 1\n", "config");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->value, Json::parse(R"({"a":1})"));

  auto empty = parse_single("# nothing\n", "config");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->value.is_null());

  auto two = parse_single("a: 1\n---\nb: 2\n", "config");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().message, "config: expected one YAML document, found 2");
}

}  // namespace
}  // namespace kmesh::yaml
