// cli: the whole command line run in-process on string streams, with an environment that
// holds no kubeconfig, so nothing can reach a real cluster.

#include <gtest/gtest.h>

#include <initializer_list>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "lib/core/log.hpp"
#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::cli {
namespace {

using kmesh::testing::TempDir;
using kmesh::testing::testdata;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

/// An environment with only the given variables: no KUBECONFIG, no HOME by default.
kube::Environment env_of(std::map<std::string, std::string> vars = {}) {
  kube::Environment env;
  env.getenv = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  env.service_account_dir = "/nonexistent/serviceaccount";
  return env;
}

Outcome run_cli(std::vector<std::string> args, kube::Environment env = env_of(),
                const std::string& stdin_text = "") {
  args.insert(args.begin(), "kubectl-mesh");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  Streams streams{in, out, err};
  int code = run(static_cast<int>(argv.size()), argv.data(), streams, std::move(env));
  return {code, out.str(), err.str()};
}

std::string show(const Outcome& o) {
  return "exit " + std::to_string(o.code) + "\nstdout:\n" + o.out + "stderr:\n" + o.err;
}

// ---- usage errors: exit 2, a message, and where to look ----

struct UsageCase {
  const char* name;
  std::vector<std::string> args;
  std::string error;  // the first line of stderr, without "error: "
  std::string help;   // the command named in "See 'kubectl mesh ... --help'."
};

class UsageErrors : public ::testing::TestWithParam<UsageCase> {};

TEST_P(UsageErrors, ExitTwoWithTheErrorAndAPointerToHelp) {
  const auto& c = GetParam();
  Outcome o = run_cli(c.args);
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_EQ(o.out, "") << show(o);
  std::string first_line = o.err.substr(0, o.err.find('\n'));
  EXPECT_EQ(first_line, "error: " + c.error) << show(o);
  EXPECT_NE(o.err.find("See 'kubectl mesh" + (c.help.empty() ? "" : " " + c.help) + " --help'."),
            std::string::npos)
      << show(o);
}

const std::string kGood = testdata("objects/app.yaml");

INSTANTIATE_TEST_SUITE_P(
    Table, UsageErrors,
    ::testing::Values(
        UsageCase{"UnknownFlag",
                  {"version", "--frobnicate"},
                  "The following argument was not expected: --frobnicate",
                  "version"},
        UsageCase{"UnknownCommand",
                  {"frobnicate"},
                  "unknown command \"frobnicate\" for \"kubectl mesh\"",
                  ""},
        UsageCase{"MistypedCommand",
                  {"-n", "demo", "verison", "--client"},
                  "unknown command \"verison\" for \"kubectl mesh\"; did you mean \"version\"?",
                  ""},
        UsageCase{"NoCommand", {}, "A subcommand is required", ""},
        UsageCase{"UnsupportedOutput",
                  {"version", "--client", "-o", "xml"},
                  "-o \"xml\" is not supported here; allowed formats: yaml, json",
                  "version"},
        UsageCase{"UnsupportedOutputEquals",
                  {"version", "--client", "-o=table"},
                  "-o \"table\" is not supported here; allowed formats: yaml, json",
                  "version"},
        UsageCase{"ApplyUnsupportedOutput",
                  {"apply", "-f", kGood, "-o", "wide"},
                  "-o \"wide\" is not supported here; allowed formats: yaml, json, name",
                  "apply"},
        UsageCase{"RequestTimeoutZero",
                  {"version", "--request-timeout", "0"},
                  "--request-timeout=\"0\" must be a positive duration such as 30s or 2m (there is"
                  " no \"no timeout\": nothing may hang)",
                  "version"},
        UsageCase{"RequestTimeoutWords",
                  {"version", "--request-timeout=abc"},
                  "--request-timeout=\"abc\" must be a positive duration such as 30s or 2m (there"
                  " is no \"no timeout\": nothing may hang)",
                  "version"},
        UsageCase{"RequestTimeoutOnApply",
                  {"apply", "-f", kGood, "--request-timeout", "0s"},
                  "--request-timeout=\"0s\" must be a positive duration such as 30s or 2m (there"
                  " is no \"no timeout\": nothing may hang)",
                  "apply"},
        UsageCase{"DryRunBogus",
                  {"apply", "-f", kGood, "--dry-run=bogus"},
                  "--dry-run=\"bogus\" is not one of none, client, server",
                  "apply"},
        UsageCase{"ApplyWithoutFiles", {"apply"}, "--filename is required", "apply"},
        UsageCase{"ApplyMissingFile",
                  {"apply", "-f", "missing.yaml"},
                  "the path \"missing.yaml\" does not exist",
                  "apply"},
        UsageCase{"EmptyFieldManager",
                  {"apply", "-f", kGood, "--field-manager", ""},
                  "--field-manager must not be empty",
                  "apply"},
        UsageCase{"FieldManagerWithoutValue",
                  {"apply", "-f", kGood, "--field-manager="},
                  "--field-manager: 1 required TEXT missing",
                  "apply"},
        UsageCase{"VerbosityNotANumber",
                  {"version", "--client", "-v", "high"},
                  "Could not convert: --v = high",
                  "version"}),
    [](const auto& info) { return info.param.name; });

TEST(Apply, MalformedYamlNamesFileAndLineAndChangesNothing) {
  std::string path = testdata("objects/malformed.yaml");
  Outcome o = run_cli({"apply", "-f", path});
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_EQ(o.err.rfind("error: " + path + ":7:", 0), 0u) << show(o);
  EXPECT_NE(o.err.find("See 'kubectl mesh apply --help'."), std::string::npos) << show(o);
}

TEST(Apply, AnObjectWithoutANameNamesFileAndLine) {
  TempDir dir;
  std::string path = dir.write("bad.yaml",
                               "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
                               "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
  Outcome o = run_cli({"apply", "-f", path});
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
            "error: " + path + ":4: ConfigMap has no metadata.name")
      << show(o);
}

TEST(Apply, ReadsStdin) {
  Outcome o = run_cli({"apply", "-f", "-"}, env_of(), "kind: [\n");
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_EQ(o.err.rfind("error: -:", 0), 0u) << show(o);
}

TEST(Apply, NothingToApplyIsAnErrorAsInKubectl) {
  // Found by tests/badinput: an empty file (or one of only "---") applied nothing, exit 0.
  for (const char* text : {"", "---\n", "# only a comment\n---\n---\n"}) {
    Outcome o = run_cli({"apply", "-f", "-"}, env_of(), text);
    EXPECT_EQ(o.code, 2) << show(o);
    EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
              "error: no objects passed to apply: - held no YAML documents")
        << show(o);
  }
}

TEST(Apply, WithoutAClusterSaysHowToPointAtOne) {
  Outcome o = run_cli({"apply", "-f", kGood});
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
            "error: no kubeconfig found (tried --kubeconfig, KUBECONFIG and ~/.kube/config) and not"
            " running in a Pod; point --kubeconfig at a cluster's kubeconfig")
      << show(o);
}

TEST(Apply, AMissingKubeconfigFlagFileIsAUsageError) {
  Outcome o = run_cli({"apply", "-f", kGood, "--kubeconfig", "/nonexistent/config"});
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
            "error: kubeconfig /nonexistent/config: No such file or directory")
      << show(o);
}

// ---- version ----

TEST(Version, ClientJson) {
  Outcome o = run_cli({"version", "--client", "-o", "json"});
  ASSERT_EQ(o.code, 0) << show(o);
  EXPECT_EQ(o.err, "");
  Json v = Json::parse(o.out);
  EXPECT_EQ(v["clientVersion"]["istioVersion"], KMESH_ISTIO_VERSION);
  EXPECT_EQ(v["clientVersion"]["version"], KMESH_VERSION);
  EXPECT_EQ(v["clientVersion"]["kubernetes"]["min"], KMESH_KUBE_MIN);
  EXPECT_FALSE(v.contains("serverVersion"));
}

TEST(Version, ClientYamlHoldsTheSameData) {
  Outcome json = run_cli({"version", "--client", "-o", "json"});
  Outcome yaml = run_cli({"version", "--client", "-o=yaml"});
  ASSERT_EQ(yaml.code, 0) << show(yaml);
  auto doc = yaml::parse_single(yaml.out, "stdout");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(doc->value, Json::parse(json.out));
}

TEST(Version, ClientText) {
  Outcome o = run_cli({"version", "--client"});
  ASSERT_EQ(o.code, 0) << show(o);
  EXPECT_NE(o.out.find(std::string("Istio Version (pinned): ") + KMESH_ISTIO_VERSION + "\n"),
            std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.rfind(std::string("Client Version: v") + KMESH_VERSION, 0), 0u) << o.out;
}

TEST(Version, GlobalFlagsInKubectlSpellings) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"version", "--client", "-n=demo"},
           {"-n", "demo", "version", "--client"},
           {"version", "--client", "-v=6"},
           {"version", "--client", "--context", "x", "--request-timeout", "1m"}}) {
    Outcome o = run_cli(args);
    EXPECT_EQ(o.code, 0) << show(o);
  }
}

TEST(Version, WithoutAClusterIsAUsageError) {
  Outcome o = run_cli({"version"});
  EXPECT_EQ(o.code, 2) << show(o);
  EXPECT_NE(o.err.find("no kubeconfig found"), std::string::npos) << show(o);
}

TEST(Help, GoesToStdoutWithExitZero) {
  Outcome o = run_cli({"--help"});
  EXPECT_EQ(o.code, 0) << show(o);
  EXPECT_NE(o.out.find("apply"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("--kubeconfig"), std::string::npos) << o.out;
  o = run_cli({"apply", "--help"});
  EXPECT_EQ(o.code, 0) << show(o);
  EXPECT_NE(o.out.find("kubectl mesh apply -f manifests/"), std::string::npos) << o.out;
}

// What needs a server (version against it, an unreachable or refusing server, bare
// --dry-run with a cluster at hand) is in tests/integration/cli_test.cpp.

TEST(Logging, RunLeavesNoLoggerPointingAtItsStreams) {
  // -v points the process-wide logger at this run's stderr, which is gone once run returns.
  {
    auto in = std::make_unique<std::istringstream>("");
    auto out = std::make_unique<std::ostringstream>();
    auto err = std::make_unique<std::ostringstream>();
    const char* argv[] = {"kubectl-mesh", "version", "--client", "-v", "6"};
    ASSERT_EQ(run(5, argv, Streams{*in, *out, *err}, env_of()), 0) << err->str();
  }
  log::warn("after the run: this line goes to the test's stderr");  // not to freed memory
  std::ostringstream sink;
  log::configure(0, &sink);
  log::warn("captured");
  log::configure(0, nullptr);
  EXPECT_EQ(sink.str(), "Warning: captured\n");
}

}  // namespace
}  // namespace kmesh::cli
