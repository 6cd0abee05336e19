// kubectl mesh analyze on files, run in-process: output formats, the exit status (3 on
// findings, the same whatever -o is), --fail-on, --suppress, -v and usage errors.

#include <gtest/gtest.h>

#include <sstream>

#include "cli/app.hpp"
#include "tests/analyze/corpus.hpp"

namespace kmesh::cli {
namespace {

namespace corpus = kmesh::testing::analyze_corpus;

struct Outcome {
  int code;
  std::string out, err;
};

Outcome analyze(std::vector<std::string> args, const std::string& stdin_text = "") {
  args.insert(args.begin(), {"kubectl-mesh", "analyze"});
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  kube::Environment env;
  env.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.service_account_dir = "/nonexistent";
  int code = run(static_cast<int>(argv.size()), argv.data(), Streams{in, out, err}, env);
  return {code, out.str(), err.str()};
}

std::string case_path(const std::string& subdir, const std::string& name) {
  return corpus::dir() + "/" + subdir + "/" + name + ".yaml";
}

TEST(AnalyzeCommand, ErrorsExitThreeWhateverTheOutputFormat) {
  std::string file = case_path("corpus", "KM0101-subset-missing");
  for (const std::string format : {"table", "json", "yaml", ""}) {
    std::vector<std::string> args = {"-f", file};
    if (!format.empty()) args.insert(args.end(), {"-o", format});
    Outcome o = analyze(args);
    EXPECT_EQ(o.code, 3) << format << "\n" << o.out << o.err;
    EXPECT_NE(o.out.find("KM0101"), std::string::npos) << format;
    EXPECT_NE(o.err.find("analyze found 1 error"), std::string::npos) << o.err;
  }
  Outcome json = analyze({"-f", file, "-o", "json"});
  Json report = Json::parse(json.out);
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["code"], "KM0101");
  EXPECT_EQ(report["findings"][0]["severity"], "Error");
  EXPECT_EQ(report["findings"][0]["kind"], "VirtualService");
  EXPECT_EQ(report["findings"][0]["namespace"], "corpus");
  EXPECT_EQ(report["findings"][0]["file"], file);
  EXPECT_EQ(report["findings"][0]["line"], 25);
  EXPECT_EQ(report["summary"]["errors"], 1);
}

TEST(AnalyzeCommand, WarningsFailOnlyWithFailOnWarning) {
  std::string file = case_path("corpus", "KM0105-weights-90");
  for (const std::string format : {"table", "json"}) {
    Outcome plain = analyze({"-f", file, "-o", format});
    EXPECT_EQ(plain.code, 0) << plain.out << plain.err;
    EXPECT_NE(plain.out.find("KM0105"), std::string::npos);
    Outcome strict = analyze({"-f", file, "-o", format, "--fail-on", "warning"});
    EXPECT_EQ(strict.code, 3) << format;
  }
  // Info never fails.
  EXPECT_EQ(
      analyze({"-f", case_path("corpus", "KM0304-port-unnamed"), "--fail-on", "warning"}).code, 0);
}

TEST(AnalyzeCommand, CleanInputSaysSoAndSuppressedFindingsDoNotCount) {
  Outcome clean = analyze({"-f", case_path("clean", "weights-sum-100")});
  EXPECT_EQ(clean.code, 0);
  EXPECT_NE(clean.out.find("No findings"), std::string::npos) << clean.out;
  Outcome silenced = analyze({"-f", case_path("corpus", "KM0101-subset-missing"), "--suppress",
                              "KM0101=VirtualService/corpus/reviews", "-o", "json"});
  EXPECT_EQ(silenced.code, 0) << silenced.err;
  EXPECT_EQ(Json::parse(silenced.out)["summary"]["suppressed"], 1);
}

TEST(AnalyzeCommand, ReadsStdinAndListsUnresolvedReferencesWithVerbosity) {
  std::string text = corpus::read_text(case_path("corpus", "KM0102-destination-unknown"));
  Outcome quiet = analyze({"-f", "-"}, text);
  EXPECT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("ratings"), std::string::npos) << quiet.err;
  Outcome verbose = analyze({"-f", "-", "-v", "1"}, text);
  EXPECT_EQ(verbose.code, 0);
  EXPECT_NE(verbose.err.find("Unresolved"), std::string::npos) << verbose.err;
  EXPECT_NE(verbose.err.find("ratings.corpus.svc.cluster.local"), std::string::npos) << verbose.err;
  EXPECT_NE(verbose.err.find("-:"), std::string::npos) << "stdin objects are located as -:LINE";
}

TEST(AnalyzeCommand, BadFlagsAreUsageErrors) {
  std::string file = case_path("clean", "weights-sum-100");
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"-f", file, "-o", "dot"},
                                             {"-f", file, "--fail-on", "info"},
                                             {"-f", file, "-A"},
                                             {"-f", file, "--suppress", "KM0101"},
                                             {"-f", "/nonexistent/file.yaml"}}) {
    Outcome o = analyze(args);
    EXPECT_EQ(o.code, 2) << args.back() << "\n" << o.err;
  }
}

}  // namespace
}  // namespace kmesh::cli
