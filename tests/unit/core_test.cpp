// lib/core: time and durations, base64, string helpers, running programs.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/base64.hpp"
#include "lib/core/files.hpp"
#include "lib/core/process.hpp"
#include "lib/core/strings.hpp"
#include "lib/core/time.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

long long epoch_seconds(SystemTime t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

// ---- RFC 3339 ----

struct Rfc3339Case {
  const char* text;
  std::optional<long long> epoch;  // nothing: must be rejected
};

class ParseRfc3339 : public ::testing::TestWithParam<Rfc3339Case> {};

TEST_P(ParseRfc3339, GivesTheInstantOrRejects) {
  const auto& c = GetParam();
  auto t = parse_rfc3339(c.text);
  if (!c.epoch) {
    EXPECT_FALSE(t.has_value()) << c.text << " parsed as " << format_rfc3339(*t);
    return;
  }
  ASSERT_TRUE(t.has_value()) << c.text;
  EXPECT_EQ(epoch_seconds(*t), *c.epoch) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseRfc3339,
    ::testing::Values(
        Rfc3339Case{"1970-01-01T00:00:00Z", 0}, Rfc3339Case{"2000-01-01T00:00:00Z", 946684800},
        Rfc3339Case{"2026-11-25T22:06:33Z", 1795644393},
        Rfc3339Case{"2026-11-25T22:06:33.123456789Z", 1795644393},
        Rfc3339Case{"2026-11-25t22:06:33z", 1795644393},
        Rfc3339Case{"2026-11-25T23:06:33+01:00", 1795644393},
        Rfc3339Case{"2026-11-25T16:36:33-05:30", 1795644393},
        Rfc3339Case{"2024-02-29T00:00:00Z", 1709164800}, Rfc3339Case{"", std::nullopt},
        Rfc3339Case{"2026-11-25", std::nullopt}, Rfc3339Case{"2026-11-25T22:06:33", std::nullopt},
        Rfc3339Case{"2026-11-25T22:06:33+0100", std::nullopt},
        Rfc3339Case{"2026-11-25T22:06:33Z trailing", std::nullopt},
        Rfc3339Case{"2026-11-25T22:06:33.Z", std::nullopt},
        Rfc3339Case{"2026-13-01T00:00:00Z", std::nullopt},
        Rfc3339Case{"2026-02-30T00:00:00Z", std::nullopt},
        Rfc3339Case{"2025-02-29T00:00:00Z", std::nullopt},
        Rfc3339Case{"2026-04-31T00:00:00Z", std::nullopt},
        Rfc3339Case{"2026-11-25T24:00:00Z", std::nullopt}, Rfc3339Case{"tomorrow", std::nullopt}));

TEST(FormatRfc3339, PrintsUtcWithZ) {
  EXPECT_EQ(format_rfc3339(std::chrono::system_clock::from_time_t(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(std::chrono::system_clock::from_time_t(1795644393)),
            "2026-11-25T22:06:33Z");
  auto parsed = parse_rfc3339("2026-11-25T23:06:33+01:00");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(format_rfc3339(*parsed), "2026-11-25T22:06:33Z");
}

// ---- durations ----

struct DurationCase {
  const char* text;
  bool bare_seconds;
  std::optional<long long> ms;
};

class ParseDuration : public ::testing::TestWithParam<DurationCase> {};

TEST_P(ParseDuration, AcceptsGoDurationsAndRejectsTheRest) {
  const auto& c = GetParam();
  auto d = parse_duration(c.text, c.bare_seconds);
  if (!c.ms) {
    EXPECT_FALSE(d.has_value()) << "\"" << c.text << "\" parsed as " << d->count() << "ms";
    return;
  }
  ASSERT_TRUE(d.has_value()) << c.text;
  EXPECT_EQ(d->count(), *c.ms) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseDuration,
    ::testing::Values(
        DurationCase{"30s", true, 30000}, DurationCase{"1m30s", true, 90000},
        DurationCase{"250ms", true, 250}, DurationCase{"1h", true, 3600000},
        DurationCase{"1.5s", true, 1500}, DurationCase{".5s", true, 500},
        DurationCase{"1h2m3s4ms", true, 3723004}, DurationCase{"1500us", true, 2},
        DurationCase{"1500\u00b5s", true, 2}, DurationCase{"2000000ns", true, 2},
        // kubectl's --request-timeout takes a bare number as seconds
        DurationCase{"30", true, 30000}, DurationCase{"0", true, 0},
        DurationCase{"30", false, std::nullopt}, DurationCase{"", true, std::nullopt},
        DurationCase{"abc", true, std::nullopt}, DurationCase{"s", true, std::nullopt},
        DurationCase{"10x", true, std::nullopt}, DurationCase{"1h30", true, std::nullopt},
        DurationCase{"-1s", true, std::nullopt}, DurationCase{"1..5s", true, std::nullopt},
        DurationCase{"1.5.5s", true, std::nullopt}, DurationCase{".s", true, std::nullopt},
        DurationCase{"1e3s", true, std::nullopt}, DurationCase{"1 s", true, std::nullopt},
        DurationCase{"9999999999", true, std::nullopt},
        DurationCase{"99999999999h", true, std::nullopt}));

struct FormatDurationCase {
  long long ms;
  const char* text;
};

class FormatDuration : public ::testing::TestWithParam<FormatDurationCase> {};

TEST_P(FormatDuration, ShortestForm) {
  EXPECT_EQ(format_duration(milliseconds(GetParam().ms)), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormatDuration,
    ::testing::Values(FormatDurationCase{0, "0s"}, FormatDurationCase{1, "1ms"},
                      FormatDurationCase{500, "500ms"}, FormatDurationCase{1000, "1s"},
                      FormatDurationCase{1500, "1.5s"}, FormatDurationCase{1250, "1.25s"},
                      FormatDurationCase{30000, "30s"}, FormatDurationCase{90000, "1m30s"},
                      FormatDurationCase{61500, "1m1.5s"}, FormatDurationCase{3600000, "1h"},
                      FormatDurationCase{3661000, "1h1m1s"}));

TEST(FormatDuration, ParsesBackToTheSameValue) {
  for (long long ms : {1LL, 999LL, 1001LL, 59999LL, 61500LL, 3723004LL, 86400000LL}) {
    auto back = parse_duration(format_duration(milliseconds(ms)));
    ASSERT_TRUE(back) << format_duration(milliseconds(ms));
    EXPECT_EQ(back->count(), ms) << format_duration(milliseconds(ms));
  }
}

// kubectl's AGE column (k8s.io/apimachinery/pkg/util/duration.HumanDuration).
struct AgeCase {
  long long seconds;
  const char* text;
};

class HumanAge : public ::testing::TestWithParam<AgeCase> {};

TEST_P(HumanAge, ReadsAsKubectlAge) {
  EXPECT_EQ(human_age(seconds(GetParam().seconds)), GetParam().text) << GetParam().seconds;
}

INSTANTIATE_TEST_SUITE_P(
    Table, HumanAge,
    ::testing::Values(AgeCase{-1, "0s"}, AgeCase{0, "0s"}, AgeCase{59, "59s"}, AgeCase{119, "119s"},
                      AgeCase{120, "2m"}, AgeCase{330, "5m30s"}, AgeCase{600, "10m"},
                      AgeCase{2 * 3600 + 30 * 60, "150m"}, AgeCase{3 * 3600, "3h"},
                      AgeCase{5 * 3600 + 20 * 60, "5h20m"}, AgeCase{8 * 3600 + 20 * 60, "8h"},
                      AgeCase{47 * 3600, "47h"}, AgeCase{48 * 3600, "2d"},
                      AgeCase{3 * 86400 + 5 * 3600, "3d5h"}, AgeCase{30 * 86400, "30d"},
                      AgeCase{3 * 365 * 86400 + 10 * 86400, "3y10d"},
                      AgeCase{9 * 365 * 86400, "9y"}));

// ---- base64 ----

struct Base64Case {
  std::string bytes;
  const char* standard;
  const char* url;
};

class Base64 : public ::testing::TestWithParam<Base64Case> {};

TEST_P(Base64, EncodesAndDecodesBack) {
  const auto& c = GetParam();
  EXPECT_EQ(base64_encode(c.bytes), c.standard);
  EXPECT_EQ(base64url_encode(c.bytes), c.url);
  EXPECT_EQ(base64_decode(c.standard), std::optional<std::string>(c.bytes));
  EXPECT_EQ(base64url_decode(c.url), std::optional<std::string>(c.bytes));
}

INSTANTIATE_TEST_SUITE_P(
    Table, Base64,
    ::testing::Values(Base64Case{"", "", ""}, Base64Case{"f", "Zg==", "Zg"},
                      Base64Case{"fo", "Zm8=", "Zm8"}, Base64Case{"foo", "Zm9v", "Zm9v"},
                      Base64Case{"foob", "Zm9vYg==", "Zm9vYg"},
                      Base64Case{"fooba", "Zm9vYmE=", "Zm9vYmE"},
                      Base64Case{"foobar", "Zm9vYmFy", "Zm9vYmFy"},
                      Base64Case{std::string("\xff\xfe\x00\x01", 4), "//4AAQ==", "__4AAQ"},
                      Base64Case{"\xfb\xff", "+/8=", "-_8"}));

struct DecodeCase {
  const char* text;
  std::optional<std::string> bytes;
};

class Base64Decode : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(Base64Decode, StandardAlphabet) {
  EXPECT_EQ(base64_decode(GetParam().text), GetParam().bytes) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Base64Decode,
    ::testing::Values(DecodeCase{"Zm9vYg", "foob"},              // padding is optional
                      DecodeCase{"Zm9v\nYmFy\n", "foobar"},      // line-wrapped PEM-style data
                      DecodeCase{" Zm9v YmFy\r\n", "foobar"},    //
                      DecodeCase{"Zm9v!", std::nullopt},         // not in the alphabet
                      DecodeCase{"Zm9v_-", std::nullopt},        // URL alphabet
                      DecodeCase{"Zg==Zg==", std::nullopt},      // data after padding
                      DecodeCase{"Zm9vY", std::nullopt},         // a lone trailing character
                      DecodeCase{"-----BEGIN", std::nullopt}));  // PEM pasted as -data

TEST(Base64Url, RejectsTheStandardAlphabet) {
  EXPECT_EQ(base64url_decode("//4AAQ"), std::nullopt);
  EXPECT_EQ(base64url_decode("+/8"), std::nullopt);
}

// ---- strings ----

TEST(Split, KeepsEmptyFields) {
  EXPECT_EQ(split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(split("a:", ':'), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(split("/a/b:/c", ':'), (std::vector<std::string>{"/a/b", "/c"}));
}

TEST(Join, PutsTheSeparatorBetween) {
  EXPECT_EQ(join({}, ", "), "");
  EXPECT_EQ(join({"a"}, ", "), "a");
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
}

TEST(Trim, RemovesAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(trim("  token\n"), "token");
  EXPECT_EQ(trim("\t a b \r\n"), "a b");
  EXPECT_EQ(trim(" \n\t"), "");
  EXPECT_EQ(trim(""), "");
}

TEST(StartsEndsWith, Basics) {
  EXPECT_TRUE(starts_with("https://x", "https://"));
  EXPECT_FALSE(starts_with("http", "https://"));
  EXPECT_TRUE(ends_with("a.yaml", ".yaml"));
  EXPECT_FALSE(ends_with("yaml", ".yaml"));
  EXPECT_EQ(to_lower("VirtualService"), "virtualservice");
}

struct DistanceCase {
  const char* a;
  const char* b;
  size_t distance;
};

class EditDistance : public ::testing::TestWithParam<DistanceCase> {};

TEST_P(EditDistance, IsLevenshtein) {
  const auto& c = GetParam();
  EXPECT_EQ(edit_distance(c.a, c.b), c.distance) << c.a << " / " << c.b;
  EXPECT_EQ(edit_distance(c.b, c.a), c.distance) << "symmetric: " << c.b << " / " << c.a;
}

INSTANTIATE_TEST_SUITE_P(
    Table, EditDistance,
    ::testing::Values(DistanceCase{"", "", 0}, DistanceCase{"abc", "", 3},
                      DistanceCase{"apply", "apply", 0}, DistanceCase{"apply", "aply", 1},
                      DistanceCase{"apply", "appyl", 2}, DistanceCase{"kitten", "sitting", 3},
                      DistanceCase{"flaw", "lawn", 2}, DistanceCase{"version", "verison", 2},
                      DistanceCase{"abc", "xyz", 3}));

struct NearestCase {
  const char* word;
  std::vector<std::string> expected;
};

class Nearest : public ::testing::TestWithParam<NearestCase> {};

TEST_P(Nearest, SuggestsCloseCandidatesClosestFirst) {
  const std::vector<std::string> commands = {"apply",   "version",   "analyze", "inject",
                                             "install", "uninstall", "status"};
  EXPECT_EQ(nearest(GetParam().word, commands), GetParam().expected) << GetParam().word;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Nearest,
    ::testing::Values(NearestCase{"aply", {"apply"}}, NearestCase{"verison", {"version"}},
                      NearestCase{"APPLY", {"apply"}},
                      NearestCase{"instal", {"install", "uninstall"}},
                      NearestCase{"stat", {"status"}},  // a prefix is near whatever its length
                      NearestCase{"xyzzy", {}}));

TEST(Nearest, RespectsTheLimit) {
  std::vector<std::string> candidates = {"aa", "ab", "ac", "ad", "ae"};
  EXPECT_EQ(nearest("a", candidates, 2).size(), 2u);
}

TEST(ReadFile, ReadsBytesOrSaysWhy) {
  auto missing = read_file("/nonexistent/kmesh/file");
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.error, "No such file or directory");
}

TEST(ReadFile, AMaximumStopsEndlessFiles) {
  auto zeros = read_file("/dev/zero", 1u << 20);
  EXPECT_FALSE(zeros.ok);
  EXPECT_EQ(zeros.error, "larger than 1 MiB");
  kmesh::testing::TempDir dir;
  std::string exact = dir.write("exact", std::string(1u << 20, 'x'));
  auto fits = read_file(exact, 1u << 20);
  ASSERT_TRUE(fits.ok) << fits.error;
  EXPECT_EQ(fits.text.size(), 1u << 20);
}

// ---- writing files with a mode ----

using kmesh::testing::TempDir;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// Sets the umask for one scope: the tool may be started under any.
struct Umask {
  explicit Umask(mode_t mask) : old(::umask(mask)) {}
  ~Umask() { ::umask(old); }
  mode_t old;
};

TEST(WriteFileWithMode, GivesExactlyTheModeEvenUnderUmaskZero) {
  Umask open_umask(0);
  TempDir dir;
  ASSERT_TRUE(write_file_with_mode(dir.at("secret.yaml"), "s", kPrivateFileMode).ok());
  ASSERT_TRUE(write_file_with_mode(dir.at("public.yaml"), "p", kPublicFileMode).ok());
  EXPECT_EQ(mode_of(dir.at("secret.yaml")), 0600u);
  EXPECT_EQ(mode_of(dir.at("public.yaml")), 0644u);
  EXPECT_EQ(read_file(dir.at("public.yaml")).text, "p");
}

TEST(WriteFileWithMode, TightensAndTruncatesAFileThatExists) {
  TempDir dir;
  std::string path = dir.write("old.yaml", "a much longer text than the new one");
  ASSERT_EQ(::chmod(path.c_str(), 0666), 0);
  ASSERT_TRUE(write_file_with_mode(path, "new", kPrivateFileMode).ok());
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(read_file(path).text, "new");
}

TEST(WriteFileWithMode, AnErrorNamesThePath) {
  auto r = write_file_with_mode("/nonexistent/kmesh/out.yaml", "x", kPublicFileMode);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error().message,
            "cannot write /nonexistent/kmesh/out.yaml: No such file or directory");
}

// ---- processes ----

ProcessSpec spec_of(std::vector<std::string> argv, milliseconds timeout = milliseconds(10000)) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.timeout = timeout;
  return spec;
}

TEST(RunProcess, CapturesStandardOutputAndExitCode) {
  auto r = run_process(spec_of({"/bin/echo", "hello", "world"}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, "hello world\n");
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_FALSE(r->timed_out);
}

TEST(RunProcess, PassesArgumentsWithoutAShell) {
  auto r = run_process(spec_of({"/bin/echo", "$HOME", "`id`", "a;b", "*"}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, "$HOME `id` a;b *\n");
}

TEST(RunProcess, LooksUpTheProgramOnPath) {
  auto r = run_process(spec_of({"echo", "found"}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, "found\n");
}

TEST(RunProcess, GivesTheChildExactlyItsEnvironment) {
  ProcessSpec spec = spec_of({"/usr/bin/env"});
  spec.env = {"A=1", "B=two words"};
  auto r = run_process(spec);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, "A=1\nB=two words\n");
}

TEST(RunProcess, ReportsANonZeroExitCode) {
  auto r = run_process(spec_of({"/bin/false"}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 1);
  EXPECT_FALSE(r->timed_out);
}

TEST(RunProcess, StdinIsEmptyUnlessInherited) {
  auto r = run_process(spec_of({"/bin/cat"}, milliseconds(5000)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->timed_out) << "cat waited on our stdin";
  EXPECT_EQ(r->out, "");
}

TEST(RunProcess, KillsAProgramThatOutlivesTheTimeout) {
  auto start = std::chrono::steady_clock::now();
  auto r = run_process(spec_of({"/bin/sleep", "10"}, milliseconds(200)));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_LT(took, seconds(5));
}

TEST(RunProcess, KillsAProgramThatClosedItsOutputButKeepsRunning) {
  auto start = std::chrono::steady_clock::now();
  auto r = run_process(
      spec_of({"/bin/sh", "-c", "echo early; exec >&-; /bin/sleep 10"}, milliseconds(300)));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->out, "early\n");
  EXPECT_LT(took, seconds(5));
}

TEST(RunProcess, AQuickProgramDoesNotTimeOut) {
  auto r = run_process(spec_of({"/bin/sleep", "0.1"}, milliseconds(5000)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->exit_code, 0);
}

TEST(RunProcess, StopsAProgramThatPrintsWithoutEnd) {
  auto r = run_process(spec_of({"/usr/bin/yes"}, milliseconds(20000)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error().message, "\"/usr/bin/yes\" printed more than 16 MiB");
}

TEST(RunProcess, AMissingProgramIsAUsageErrorNamingIt) {
  auto r = run_process(spec_of({"/nonexistent/kubelogin", "get-token"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error().message, "cannot run \"/nonexistent/kubelogin\": No such file or directory");
}

TEST(RunProcess, NothingToRunIsAUsageError) {
  auto r = run_process(spec_of({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
}

// ---- Result ----

Result<int> half(int n) {
  if (n % 2) return usage_error(std::to_string(n) + " is odd");
  return n / 2;
}

Result<int> quarter(int n) {
  KMESH_ASSIGN_OR_RETURN(int h, half(n));
  KMESH_ASSIGN_OR_RETURN(int q, half(h));
  return q;
}

TEST(ResultMacros, PropagateTheFirstError) {
  EXPECT_EQ(*quarter(8), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "3 is odd");
  EXPECT_EQ(std::move(r).error().wrap("quartering 6").message, "quartering 6: 3 is odd");
}

}  // namespace
}  // namespace kmesh
