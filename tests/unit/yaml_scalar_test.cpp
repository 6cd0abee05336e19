// lib/yaml/scalar: how plain scalars are typed (as yaml.v2 and yaml.v3 type them), which
// strings must be quoted on output, and UTF-8 validation.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "lib/yaml/scalar.hpp"

namespace kmesh::yaml {
namespace {

// The value Kubernetes (yaml.v2, YAML 1.1) and kustomize (yaml.v3, YAML 1.2) see for an
// unquoted scalar, written as JSON.
struct TypingCase {
  const char* text;
  const char* yaml11;
  const char* yaml12;
};

class ResolvePlain : public ::testing::TestWithParam<TypingCase> {};

TEST_P(ResolvePlain, TypesAsGoYamlDoes) {
  const auto& c = GetParam();
  EXPECT_EQ(resolve_plain(c.text, Typing::kYaml11), Json::parse(c.yaml11))
      << "YAML 1.1: '" << c.text << "'";
  EXPECT_EQ(resolve_plain(c.text, Typing::kYaml12), Json::parse(c.yaml12))
      << "YAML 1.2: '" << c.text << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Booleans, ResolvePlain,
    ::testing::Values(TypingCase{"y", "true", R"("y")"}, TypingCase{"Y", "true", R"("Y")"},
                      TypingCase{"yes", "true", R"("yes")"}, TypingCase{"Yes", "true", R"("Yes")"},
                      TypingCase{"YES", "true", R"("YES")"}, TypingCase{"on", "true", R"("on")"},
                      TypingCase{"On", "true", R"("On")"}, TypingCase{"ON", "true", R"("ON")"},
                      TypingCase{"off", "false", R"("off")"}, TypingCase{"n", "false", R"("n")"},
                      TypingCase{"N", "false", R"("N")"}, TypingCase{"no", "false", R"("no")"},
                      TypingCase{"NO", "false", R"("NO")"}, TypingCase{"true", "true", "true"},
                      TypingCase{"True", "true", "true"}, TypingCase{"FALSE", "false", "false"},
                      // not in either list
                      TypingCase{"yEs", R"("yEs")", R"("yEs")"},
                      TypingCase{"tRUE", R"("tRUE")", R"("tRUE")"},
                      TypingCase{"t", R"("t")", R"("t")"}, TypingCase{"oN", R"("oN")", R"("oN")"}));

INSTANTIATE_TEST_SUITE_P(
    Nulls, ResolvePlain,
    ::testing::Values(TypingCase{"~", "null", "null"}, TypingCase{"null", "null", "null"},
                      TypingCase{"Null", "null", "null"}, TypingCase{"NULL", "null", "null"},
                      TypingCase{"", "null", "null"}, TypingCase{"nULL", R"("nULL")", R"("nULL")"},
                      TypingCase{"none", R"("none")", R"("none")"}));

INSTANTIATE_TEST_SUITE_P(
    Numbers, ResolvePlain,
    ::testing::Values(
        TypingCase{"0", "0", "0"}, TypingCase{"42", "42", "42"}, TypingCase{"-17", "-17", "-17"},
        TypingCase{"+1", "1", "1"}, TypingCase{"080", "80", "80"},  // not octal: the float 80
        TypingCase{"0777", "511", "511"}, TypingCase{"0o17", "15", "15"},
        TypingCase{"0x1F", "31", "31"}, TypingCase{"0X1f", "31", "31"},
        TypingCase{"0b101", "5", "5"}, TypingCase{"-0b101", "-5", "-5"},
        TypingCase{"1_000", "1000", "1000"}, TypingCase{"1__0", "10", "10"},
        TypingCase{"1e3", "1000", "1000"}, TypingCase{"1E3", "1000", "1000"},
        TypingCase{"1.0", "1", "1"}, TypingCase{"1.", "1", "1"},
        TypingCase{"1.e5", "100000", "100000"}, TypingCase{".5", "0.5", "0.5"},
        TypingCase{"+.5", "0.5", "0.5"}, TypingCase{"-.5", "-0.5", "-0.5"},
        TypingCase{"0.1e-2", "0.001", "0.001"}, TypingCase{"-0", "0", "0"},
        TypingCase{"9223372036854775807", "9223372036854775807", "9223372036854775807"},
        TypingCase{"-9223372036854775808", "-9223372036854775808", "-9223372036854775808"},
        // beyond int64, yaml.v2 and v3 read an unsigned 64-bit integer
        TypingCase{"9223372036854775808", "9223372036854775808", "9223372036854775808"},
        TypingCase{"18446744073709551615", "18446744073709551615", "18446744073709551615"},
        TypingCase{"0xFFFFFFFFFFFFFFFF", "18446744073709551615", "18446744073709551615"},
        // beyond uint64: a float
        TypingCase{"99999999999999999999", "1e20", "1e20"}));

INSTANTIATE_TEST_SUITE_P(
    Strings, ResolvePlain,
    ::testing::Values(
        TypingCase{"2001-12-14", R"("2001-12-14")", R"("2001-12-14")"},
        TypingCase{"2001-12-14T21:59:43.10-05:00", R"("2001-12-14T21:59:43.10-05:00")",
                   R"("2001-12-14T21:59:43.10-05:00")"},
        TypingCase{"1:20", R"("1:20")", R"("1:20")"},  // no base 60
        TypingCase{"0x", R"("0x")", R"("0x")"}, TypingCase{"0b2", R"("0b2")", R"("0b2")"},
        TypingCase{"089x", R"("089x")", R"("089x")"}, TypingCase{"_1", R"("_1")", R"("_1")"},
        TypingCase{"+", R"("+")", R"("+")"}, TypingCase{"-", R"("-")", R"("-")"},
        TypingCase{".", R"(".")", R"(".")"},
        TypingCase{"1e400", R"("1e400")", R"("1e400")"},  // out of range
        TypingCase{"1.2.3", R"("1.2.3")", R"("1.2.3")"}, TypingCase{"v1", R"("v1")", R"("v1")"},
        TypingCase{"inf", R"("inf")", R"("inf")"}, TypingCase{"nan", R"("nan")", R"("nan")"},
        TypingCase{"<<", R"("<<")", R"("<<")"}));

TEST(ResolvePlain, SpecialFloats) {
  for (Typing typing : {Typing::kYaml11, Typing::kYaml12}) {
    for (const char* text : {".inf", ".Inf", ".INF", "+.inf"}) {
      Json v = resolve_plain(text, typing);
      ASSERT_TRUE(v.is_number_float()) << text;
      EXPECT_TRUE(std::isinf(v.get<double>()) && v.get<double>() > 0) << text;
    }
    Json neg = resolve_plain("-.inf", typing);
    ASSERT_TRUE(neg.is_number_float());
    EXPECT_TRUE(std::isinf(neg.get<double>()) && neg.get<double>() < 0);
    for (const char* text : {".nan", ".NaN", ".NAN"}) {
      Json v = resolve_plain(text, typing);
      ASSERT_TRUE(v.is_number_float()) << text;
      EXPECT_TRUE(std::isnan(v.get<double>())) << text;
    }
  }
}

TEST(ResolvePlain, WholeFloatsBecomeIntegersAsTheApiServerReceivesThem) {
  // kubectl sends float64(80) as 80: the API server sees an integer.
  EXPECT_TRUE(resolve_plain("080", Typing::kYaml11).is_number_integer());
  EXPECT_TRUE(resolve_plain("1e3", Typing::kYaml11).is_number_integer());
  EXPECT_TRUE(resolve_plain("0.5", Typing::kYaml11).is_number_float());
}

// ---- quoting ----

struct QuoteCase {
  const char* text;
  bool quote;
};

class NeedsQuotes : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(NeedsQuotes, QuotesWhatAYaml11ReaderWouldMistype) {
  EXPECT_EQ(needs_quotes(GetParam().text), GetParam().quote) << "'" << GetParam().text << "'";
}

INSTANTIATE_TEST_SUITE_P(
    MustQuote, NeedsQuotes,
    ::testing::Values(QuoteCase{"", true}, QuoteCase{"on", true}, QuoteCase{"y", true},
                      QuoteCase{"No", true}, QuoteCase{"true", true}, QuoteCase{"null", true},
                      QuoteCase{"~", true}, QuoteCase{"080", true}, QuoteCase{"0x1F", true},
                      QuoteCase{"1_000", true}, QuoteCase{"1e3", true}, QuoteCase{".5", true},
                      QuoteCase{".inf", true}, QuoteCase{"18446744073709551615", true},
                      QuoteCase{"<<", true}, QuoteCase{"=", true}, QuoteCase{" lead", true},
                      QuoteCase{"trail ", true}, QuoteCase{"a: b", true}, QuoteCase{"key:", true},
                      QuoteCase{"#x", true}, QuoteCase{"a #x", true}, QuoteCase{"- item", true},
                      QuoteCase{"-", true}, QuoteCase{"? q", true}, QuoteCase{"[a]", true},
                      QuoteCase{"{a}", true}, QuoteCase{"*ref", true}, QuoteCase{"&anchor", true},
                      QuoteCase{"!tag", true}, QuoteCase{"|", true}, QuoteCase{">", true},
                      QuoteCase{"'single'", true}, QuoteCase{"\"double\"", true},
                      QuoteCase{"%x", true}, QuoteCase{"@x", true}, QuoteCase{"`x", true},
                      QuoteCase{"a\tb", true}, QuoteCase{"a\nb", true}, QuoteCase{"a\x7f", true},
                      QuoteCase{",x", true}));

INSTANTIATE_TEST_SUITE_P(
    Plain, NeedsQuotes,
    ::testing::Values(QuoteCase{"nginx", false}, QuoteCase{"docker.io/istio/pilot:1.31.0", false},
                      QuoteCase{"a:b", false}, QuoteCase{"a#b", false}, QuoteCase{"x-y", false},
                      QuoteCase{"v1", false}, QuoteCase{"1.2.3", false},
                      QuoteCase{"networking.istio.io/v1", false}, QuoteCase{"hello world", false},
                      QuoteCase{"caf\xc3\xa9", false}, QuoteCase{"yEs", false},
                      QuoteCase{"0x", false}, QuoteCase{"_1", false}));

// ---- UTF-8 ----

struct Utf8Case {
  std::string text;
  bool valid;
};

class ValidUtf8 : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(ValidUtf8, AcceptsOnlyWellFormedUtf8) {
  EXPECT_EQ(is_valid_utf8(GetParam().text), GetParam().valid);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidUtf8,
    ::testing::Values(Utf8Case{"", true}, Utf8Case{"ascii", true},
                      Utf8Case{"caf\xc3\xa9", true},                     // é
                      Utf8Case{"\xe2\x82\xac", true},                    // €
                      Utf8Case{"\xf0\x9f\x9a\x80", true},                // 🚀
                      Utf8Case{"\xf4\x8f\xbf\xbf", true},                // U+10FFFF
                      Utf8Case{"\xff", false}, Utf8Case{"\xc3", false},  // truncated
                      Utf8Case{"caf\xc3", false}, Utf8Case{"\xe2\x82", false},
                      Utf8Case{"\xc3\x28", false},                // bad continuation
                      Utf8Case{"\x80", false},                    // lone continuation
                      Utf8Case{"\xc0\xaf", false},                // overlong '/'
                      Utf8Case{"\xe0\x80\xaf", false},            // overlong
                      Utf8Case{"\xed\xa0\x80", false},            // surrogate U+D800
                      Utf8Case{"\xf4\x90\x80\x80", false},        // past U+10FFFF
                      Utf8Case{"\xf8\x88\x80\x80\x80", false}));  // 5-byte form

}  // namespace
}  // namespace kmesh::yaml
