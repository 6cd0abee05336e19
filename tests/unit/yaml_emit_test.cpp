// lib/yaml/emit: kubectl-style output, and a round trip (emit, then parse) that gives the
// same data back for values that trip naive emitters.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/yaml/emit.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::yaml {
namespace {

struct GoldenCase {
  const char* name;
  Json value;
  std::string yaml;
};

class EmitGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(EmitGolden, PrintsAsKubectlDoes) {
  EXPECT_EQ(emit(GetParam().value), GetParam().yaml);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EmitGolden,
    ::testing::Values(
        GoldenCase{"ConfigMap", Json::parse(R"({"apiVersion": "v1", "kind": "ConfigMap",
                                   "metadata": {"name": "flags", "labels": {"app": "web"}},
                                   "data": {"enabled": "on", "port": "080", "level": "info",
                                            "script": "echo a\necho b\n"}})"),
                   "apiVersion: v1\n"
                   "data:\n"
                   "  enabled: \"on\"\n"
                   "  level: info\n"
                   "  port: \"080\"\n"
                   "  script: |\n"
                   "    echo a\n"
                   "    echo b\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  labels:\n"
                   "    app: web\n"
                   "  name: flags\n"},
        GoldenCase{"ListsStartAtTheKeyColumn",
                   Json::parse(R"({"spec": {"containers": [{"name": "app", "args": ["x", "y"]}],
                                            "ports": [80, 443]}})"),
                   "spec:\n"
                   "  containers:\n"
                   "  - args:\n"
                   "    - x\n"
                   "    - \"y\"\n"
                   "    name: app\n"
                   "  ports:\n"
                   "  - 80\n"
                   "  - 443\n"},
        GoldenCase{"NestedLists", Json::parse(R"([[1, 2], [3], [[4]]])"),
                   "- - 1\n"
                   "  - 2\n"
                   "- - 3\n"
                   "- - - 4\n"},
        GoldenCase{"EmptyValues",
                   Json::parse(R"({"a": {}, "b": [], "c": null, "d": "", "e": [{}, []]})"),
                   "a: {}\n"
                   "b: []\n"
                   "c: null\n"
                   "d: \"\"\n"
                   "e:\n"
                   "- {}\n"
                   "- []\n"},
        GoldenCase{"Numbers",
                   Json::parse(R"({"i": -3, "f": 0.25, "whole": 8.0, "big": 1e21, "b": false})"),
                   "b: false\n"
                   "big: 1e+21\n"
                   "f: 0.25\n"
                   "i: -3\n"
                   "whole: 8\n"},
        GoldenCase{
            "MultiLineStrings",
            Json::parse(
                R"({"strip": "a\nb", "clip": "a\nb\n", "keep": "a\n\n", "inner": "a\n\nb"})"),
            "clip: |\n"
            "  a\n"
            "  b\n"
            "inner: |-\n"
            "  a\n"
            "\n"
            "  b\n"
            "keep: |+\n"
            "  a\n"
            "\n"
            "strip: |-\n"
            "  a\n"
            "  b\n"},
        GoldenCase{
            "StringsALiteralBlockCannotCarry",
            Json::parse(R"({"lead": " x\ny", "trail": "x \ny", "ctrl": "a\tb\nc", "nl": "\n"})"),
            "ctrl: \"a\\tb\\nc\"\n"
            "lead: \" x\\ny\"\n"
            "nl: \"\\n\"\n"
            "trail: \"x \\ny\"\n"},
        GoldenCase{"QuotedKeys",
                   Json::parse(R"({"on": 1, "080": 2, "a: b": 3, "": 4, "plain": 5})"),
                   "\"\": 4\n"
                   "\"080\": 2\n"
                   "\"a: b\": 3\n"
                   "\"on\": 1\n"
                   "plain: 5\n"},
        GoldenCase{"Escapes", Json("say \"hi\" \\ \x01"), "\"say \\\"hi\\\" \\\\ \\x01\"\n"},
        GoldenCase{"TopLevelScalar", Json("nginx"), "nginx\n"},
        GoldenCase{"TopLevelBlock", Json("a\nb"), "|-\n  a\n  b\n"}),
    [](const auto& info) { return info.param.name; });

TEST(EmitAll, SeparatesDocumentsWithDashes) {
  EXPECT_EQ(emit_all({Json::parse(R"({"a": 1})"), Json::parse(R"({"b": [2]})")}),
            "a: 1\n---\nb:\n- 2\n");
  EXPECT_EQ(emit_all({}), "");
}

TEST(EmitScalar, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(emit_scalar(Json("reviews")), "reviews");
  EXPECT_EQ(emit_scalar(Json("on")), "\"on\"");
  EXPECT_EQ(emit_scalar(Json(90)), "90");
  EXPECT_EQ(emit_scalar(Json(nullptr)), "null");
  EXPECT_EQ(emit_scalar(Json::object()), "{}");
}

TEST(FormatNumber, PrintsAsGoEncodingJson) {
  EXPECT_EQ(format_number(Json(8.0)), "8");
  EXPECT_EQ(format_number(Json(-2.0)), "-2");
  EXPECT_EQ(format_number(Json(0.5)), "0.5");
  EXPECT_EQ(format_number(Json(1e20)), "100000000000000000000");
  EXPECT_EQ(format_number(Json(42)), "42");
  EXPECT_EQ(format_number(Json(18446744073709551615ULL)), "18446744073709551615");
}

// ---- round trip ----

// Strings that a YAML reader takes for something else, or that break the line structure.
const std::vector<std::string>& tricky_strings() {
  static const std::vector<std::string> corpus = {"on",
                                                  "off",
                                                  "y",
                                                  "n",
                                                  "yes",
                                                  "No",
                                                  "true",
                                                  "False",
                                                  "null",
                                                  "Null",
                                                  "~",
                                                  "",
                                                  "080",
                                                  "0777",
                                                  "0x1F",
                                                  "0o17",
                                                  "0b101",
                                                  "1_000",
                                                  "+1",
                                                  "-0b101",
                                                  "1e3",
                                                  ".5",
                                                  "1.",
                                                  ".inf",
                                                  "-.inf",
                                                  ".nan",
                                                  "18446744073709551615",
                                                  "99999999999999999999",
                                                  "2001-12-14",
                                                  "1:20",
                                                  " lead",
                                                  "trail ",
                                                  " ",
                                                  "a: b",
                                                  "key:",
                                                  ":",
                                                  "#x",
                                                  "a #x",
                                                  "a#x",
                                                  "- dash",
                                                  "-",
                                                  "--",
                                                  "---",
                                                  "...",
                                                  "... more",
                                                  "? q",
                                                  "?",
                                                  "[a, b]",
                                                  "{a: b}",
                                                  "*ref",
                                                  "&anchor",
                                                  "!tag",
                                                  "!!str",
                                                  "|",
                                                  ">",
                                                  "'single'",
                                                  "\"double\"",
                                                  "it's",
                                                  "say \"hi\"",
                                                  "%x",
                                                  "@x",
                                                  "`x",
                                                  ",x",
                                                  "=",
                                                  "<<",
                                                  "\\backslash",
                                                  "tab\there",
                                                  "\ttab",
                                                  "a\x01b",
                                                  "del\x7f",
                                                  "caf\xc3\xa9 \xf0\x9f\x9a\x80",
                                                  "multi\nline",
                                                  "multi\nline\n",
                                                  "multi\nline\n\n\n",
                                                  "\nleading newline",
                                                  "\n",
                                                  "\n\n",
                                                  "line\n  indented\nback",
                                                  "trailing space \nx",
                                                  "x\n trailing space last ",
                                                  "crlf\r\nline",
                                                  "text\n---\nmore\n",
                                                  "text\n...\nmore",
                                                  "# comment\nnot really",
                                                  "k: v\nk2: v2\n",
                                                  "a\n\n\nb"};
  return corpus;
}

Json round_trip(const Json& value, Typing typing) {
  ParseOptions options;
  options.typing = typing;
  options.keep_empty = true;
  std::string text = emit(value);
  auto docs = parse_documents(text, "emitted", options);
  EXPECT_TRUE(docs.ok()) << docs.error().message << "\n" << text;
  if (!docs.ok()) return Json();
  EXPECT_EQ(docs->size(), 1u) << text;
  return docs->empty() ? Json() : docs->front().value;
}

void expect_round_trip(const Json& value) {
  for (Typing typing : {Typing::kYaml11, Typing::kYaml12}) {
    Json back = round_trip(value, typing);
    EXPECT_EQ(back, value) << "emitted:\n"
                           << emit(value) << "read back: " << back.dump()
                           << "\nexpected:  " << value.dump();
  }
}

TEST(RoundTrip, TrickyStringsAsMapValues) {
  for (const auto& s : tricky_strings())
    expect_round_trip(Json{{"value", s}});
}

TEST(RoundTrip, TrickyStringsAsMapKeys) {
  for (const auto& s : tricky_strings())
    expect_round_trip(Json{{s, "value"}});
}

TEST(RoundTrip, TrickyStringsAsListItems) {
  for (const auto& s : tricky_strings())
    expect_round_trip(Json::array({s, Json::array({s}), Json{{"k", s}}}));
}

TEST(RoundTrip, TrickyStringsAsWholeDocuments) {
  for (const auto& s : tricky_strings())
    if (!s.empty()) expect_round_trip(Json(s));  // an empty document is null, by design
}

TEST(RoundTrip, NumbersBooleansAndNull) {
  expect_round_trip(
      Json::parse(R"({"values": [0, -1, 42, 1.5, -0.25, 0.1, 1e-7, 1e300, 123456789.125,
                                                9223372036854775807, -9223372036854775808,
                                                18446744073709551615, true, false, null]})"));
}

TEST(RoundTrip, NestedStructures) {
  expect_round_trip(Json::parse(R"({
    "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
    "metadata": {"name": "reviews", "namespace": "bookstore",
                 "annotations": {"note": "a: b", "yes": "no"}},
    "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"},
                                                        "weight": 90},
                                                       {"destination": {"host": "reviews", "subset": "v2"},
                                                        "weight": 10}],
                                             "retries": {"attempts": 3, "perTryTimeout": "2s",
                                                         "retryOn": "5xx,reset"}}]},
    "deep": [[[{"a": [[], {}, [1, [2]]]}]], {"x": {"y": {"z": "on"}}}],
    "script": "#!/bin/sh\nset -e\necho \"on\"\n"})"));
}

}  // namespace
}  // namespace kmesh::yaml
