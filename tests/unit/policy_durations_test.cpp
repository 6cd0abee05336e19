// lib/mesh/policy/durations: the values policy flags take, checked before anything is sent.

#include <gtest/gtest.h>

#include <random>

#include "lib/mesh/policy/durations.hpp"

namespace kmesh::mesh::policy {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(IstioDuration, AcceptsWhatIstioAccepts) {
  struct Case {
    const char* text;
    nanoseconds want;
  };
  const Case cases[] = {
      {"1ms", milliseconds(1)},
      {"250ms", milliseconds(250)},
      {"2s", milliseconds(2000)},
      {"1m", milliseconds(60000)},
      {"1h", milliseconds(3600000)},
      {"1m30s", milliseconds(90000)},
      {"1h0m0s", milliseconds(3600000)},
      {"1.5s", milliseconds(1500)},
      {"0.001s", milliseconds(1)},
      {"0.25m", milliseconds(15000)},
      {"10s500ms", milliseconds(10500)},
      {"007s", milliseconds(7000)},
      {"1.0000000009s", nanoseconds(1000000000)},  // digits past nanoseconds count for nothing
  };
  for (const auto& c : cases) {
    auto got = parse_istio_duration(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(IstioDuration, RejectsWithTheReason) {
  const std::string form = "expected a duration with a unit such as 250ms, 2s or 1m";
  struct Case {
    const char* text;
    std::string message;
  };
  const Case cases[] = {
      {"", form},
      {"2", form},
      {"2sec", form},
      {"-1s", form},
      {"+1s", form},
      {" 2s", form},
      {"2s ", form},
      {"1d", form},
      {"1us", form},
      {"2S", form},
      {"s", form},
      {"1.s", form},
      {".5s", form},
      {"1..5s", form},
      {"1s2", form},
      {"1e3ms", form},
      {"0s", "expected a duration of at least 1ms"},
      {"0.5ms", "expected a duration of at least 1ms"},
      {"0ms0s", "expected a duration of at least 1ms"},
      {"2562048h", "expected a duration shorter than 2562047h"},
      {"99999999999999999999999s", "expected a duration shorter than 2562047h"},
      {"2562047h2562047h", "expected a duration shorter than 2562047h"},
  };
  for (const auto& c : cases) {
    auto got = parse_istio_duration(c.text);
    ASSERT_FALSE(got.ok()) << "\"" << c.text << "\" was accepted";
    EXPECT_EQ(got.error().kind, ErrorKind::kUsage);
    EXPECT_EQ(got.error().message, c.message) << c.text;
  }
}

TEST(IstioDuration, FlagErrorNamesTheFlagAndTheForm) {
  auto st = check_duration("--per-try-timeout", "2");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "--per-try-timeout \"2\" : expected a duration with a unit such as 250ms, 2s or 1m");
  EXPECT_TRUE(check_duration("--timeout", "10s").ok());
}

// Random text over the characters durations are made of: never a crash, and whatever is
// accepted is at least 1ms and consists only of valid terms (the fuzz target in
// tests/fuzz does the same with libFuzzer).
TEST(IstioDuration, RandomInputIsRejectedOrValid) {
  std::mt19937 rng(20240611);
  const std::string alphabet = "0123456789.hmsu -+e";
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    size_t len = rng() % 12;
    for (size_t k = 0; k < len; ++k)
      text += alphabet[rng() % alphabet.size()];
    auto got = parse_istio_duration(text);
    if (!got.ok()) continue;
    ++accepted;
    EXPECT_GE(*got, kMinDuration) << text;
    EXPECT_EQ(text.find_first_of(" -+eu"), std::string::npos) << text;
  }
  EXPECT_GT(accepted, 100) << "the generator should produce some valid durations";
}

TEST(PolicyValues, Counts) {
  EXPECT_EQ(*parse_count("--attempts", "0"), 0);
  EXPECT_EQ(*parse_count("--attempts", "2147483647"), 2147483647);
  for (const char* bad : {"", "-1", "1.5", "3x", "2147483648", "99999999999", " 3"}) {
    auto got = parse_count("--attempts", bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.error().message, "--attempts \"" + std::string(bad) +
                                       "\" : expected a whole number from 0 to 2147483647");
  }
}

TEST(PolicyValues, Percentages) {
  EXPECT_EQ(*parse_percent("--percent", "0"), 0.0);
  EXPECT_EQ(*parse_percent("--percent", "100"), 100.0);
  EXPECT_DOUBLE_EQ(*parse_percent("--percent", "0.5"), 0.5);
  EXPECT_DOUBLE_EQ(*parse_percent("--percent", "12.25"), 12.25);
  for (const char* bad : {"", "101", "100.5", "-1", "1e2", ".5", "5.", "50%", "1.2.3", "nan"}) {
    auto got = parse_percent("--delay-percent", bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.error().message,
              "--delay-percent \"" + std::string(bad) + "\" : expected a percentage from 0 to 100");
  }
  EXPECT_EQ(*parse_whole_percent("--max-ejection-percent", "100"), 100);
  EXPECT_FALSE(parse_whole_percent("--max-ejection-percent", "101").ok());
  EXPECT_FALSE(parse_whole_percent("--max-ejection-percent", "0.5").ok());
}

TEST(PolicyValues, HttpStatus) {
  EXPECT_EQ(*parse_http_status("--abort", "503"), 503);
  EXPECT_EQ(*parse_http_status("--abort", "200"), 200);
  EXPECT_EQ(*parse_http_status("--abort", "599"), 599);
  for (const char* bad : {"199", "600", "0503", "50", "abc", ""}) {
    auto got = parse_http_status("--abort", bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.error().message, "--abort \"" + std::string(bad) +
                                       "\" : expected an HTTP status code from 200 to 599");
  }
}

TEST(PolicyValues, RetryOn) {
  EXPECT_EQ(*parse_retry_on("--retry-on", "5xx"), "5xx");
  EXPECT_EQ(*parse_retry_on("--retry-on", "5xx, reset,503,5xx"), "5xx,reset,503");
  EXPECT_EQ(
      *parse_retry_on(
          "--retry-on",
          "gateway-error,reset-before-request,connect-failure,envoy-ratelimited,retriable-4xx,"
          "refused-stream,retriable-status-codes,retriable-headers,http3-post-connect-failure,"
          "cancelled,deadline-exceeded,internal,resource-exhausted,unavailable"),
      "gateway-error,reset-before-request,connect-failure,envoy-ratelimited,retriable-4xx,refused-"
      "stream,"
      "retriable-status-codes,retriable-headers,http3-post-connect-failure,cancelled,deadline-"
      "exceeded,"
      "internal,resource-exhausted,unavailable");
  auto typo = parse_retry_on("--retry-on", "5xx,conect-failure");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find(
                "--retry-on \"5xx,conect-failure\" : \"conect-failure\" is not a retry condition"
                " (did you mean connect-failure?)"),
            std::string::npos)
      << typo.error().message;
  for (const char* bad : {"", "5xx,", "600", "50", "5XX", "timeout"})
    EXPECT_FALSE(parse_retry_on("--retry-on", bad).ok()) << bad;
}

}  // namespace
}  // namespace kmesh::mesh::policy
