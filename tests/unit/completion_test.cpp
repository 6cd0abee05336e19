// completion: Cobra's __complete protocol on the real command tree (built as run() builds it),
// with the cluster's names from a fake; and through run(), as kubectl and the scripts call it.

#include "cli/completion.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/app.hpp"
#include "cli/deadline.hpp"
#include "tests/unit/test_files.hpp"

namespace kmesh::cli {
namespace {

using Words = std::vector<std::string>;

/// Fixed names, and what the engine asked for.
class FakeCluster : public ClusterNames {
 public:
  std::vector<std::string> namespaces(const kube::Overrides& typed) override {
    calls.push_back("namespaces");
    last = typed;
    return {"bookstore", "default", "istio-system", "kube-system"};
  }
  std::vector<std::string> services(const kube::Overrides& typed) override {
    calls.push_back("services");
    last = typed;
    return {"details", "productpage", "ratings", "reviews"};
  }
  std::vector<std::string> kubeconfig_names(const kube::Overrides& typed,
                                            const std::string& kind) override {
    calls.push_back(kind);
    last = typed;
    return {"kind-" + kind, "prod-" + kind};
  }

  std::vector<std::string> calls;
  kube::Overrides last;
};

kube::Environment empty_env() {
  kube::Environment env;
  env.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.service_account_dir = "/nonexistent/serviceaccount";
  return env;
}

class CompletionTest : public ::testing::Test {
 protected:
  CompletionTest() : ctx_({in_, out_, err_}, empty_env()), app_(make_app(ctx_, result_)) {}

  Completions run(const Words& words) { return complete(*app_, words, cluster_); }

  std::vector<std::string> values(const Words& words) {
    std::vector<std::string> out;
    for (const auto& c : run(words).candidates)
      out.push_back(c.value);
    return out;
  }

  std::string description(const Words& words, const std::string& value) {
    for (const auto& c : run(words).candidates)
      if (c.value == value) return c.description;
    return "<no candidate " + value + ">";
  }

  /// Every command path ("route set", ...) of the tree.
  std::vector<Words> command_paths() {
    std::vector<Words> paths;
    std::function<void(const CLI::App&, Words)> visit = [&](const CLI::App& app, Words path) {
      for (const CLI::App* sub : app.get_subcommands({})) {
        Words p = path;
        p.push_back(sub->get_name());
        paths.push_back(p);
        visit(*sub, p);
      }
    };
    visit(*app_, {});
    return paths;
  }

  std::istringstream in_;
  std::ostringstream out_, err_;
  Context ctx_;
  Status result_;
  std::unique_ptr<CLI::App> app_;
  FakeCluster cluster_;
};

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST_F(CompletionTest, RootOffersEveryCommandWithItsDescription) {
  Completions c = run({""});
  EXPECT_EQ(c.directive, kCompNoFiles);
  auto names = values({""});
  for (const char* name : {"install", "bookstore", "inject", "route", "retry", "breaker", "policy",
                           "analyze", "version", "completion"})
    EXPECT_TRUE(has(names, name)) << name;
  EXPECT_FALSE(has(names, "__complete"));
  for (const auto& cand : c.candidates)
    EXPECT_FALSE(cand.description.empty()) << cand.value;
  EXPECT_TRUE(cluster_.calls.empty()) << "commands need no cluster";
}

TEST_F(CompletionTest, CommandsFilteredByWhatIsTyped) {
  EXPECT_EQ(values({"ins"}), (std::vector<std::string>{"install"}));
  auto in = values({"in"});
  EXPECT_TRUE(has(in, "install") && has(in, "inject")) << in.size();
  EXPECT_TRUE(values({"zzz"}).empty());
}

TEST_F(CompletionTest, SubcommandsOfAGroup) {
  auto route = values({"route", ""});
  std::set<std::string> got(route.begin(), route.end());
  EXPECT_EQ(got, (std::set<std::string>{"set", "match", "mirror", "show", "clear"}));
  EXPECT_EQ(values({"-n", "demo", "route", "s"}), (std::vector<std::string>{"set", "show"}));
}

TEST_F(CompletionTest, FlagNamesWithTheirHelp) {
  EXPECT_EQ(values({"install", "--pro"}), (std::vector<std::string>{"--profile"}));
  EXPECT_EQ(description({"install", "--pro"}, "--profile"), "minimal, default or demo");
  EXPECT_EQ(run({"install", "--pro"}).directive, kCompNoFiles);
}

TEST_F(CompletionTest, FlagNamesIncludeShortFormsAndTheGlobalFlags) {
  auto flags = values({"version", "-"});
  for (const char* f : {"-o", "--output", "--client", "--kubeconfig", "--context", "-n",
                        "--namespace", "--request-timeout", "-h", "--help"})
    EXPECT_TRUE(has(flags, f)) << f;
  EXPECT_FALSE(has(flags, "--profile")) << "install's flag is not version's";
}

TEST_F(CompletionTest, FlagsAlreadyGivenAreNotOfferedAgainUnlessRepeatable) {
  EXPECT_TRUE(values({"install", "--profile", "demo", "--pro"}).empty());
  EXPECT_TRUE(values({"install", "--profile=demo", "--pro"}).empty());
  EXPECT_EQ(values({"install", "--set", "a=b", "--se"}), (std::vector<std::string>{"--set"}));
  EXPECT_FALSE(has(values({"-n", "x", "install", "--names"}), "--namespace"));
}

struct ValueCase {
  const char* name;
  Words words;
  std::vector<std::string> expected;
};

void PrintTo(const ValueCase& c, std::ostream* os) {
  *os << c.name;
}

class CompletionValues : public CompletionTest, public ::testing::WithParamInterface<ValueCase> {};

TEST_P(CompletionValues, AreTheOnesTheCommandAccepts) {
  EXPECT_EQ(values(GetParam().words), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CompletionValues,
    ::testing::Values(
        ValueCase{"InstallProfiles", {"install", "--profile", ""}, {"minimal", "default", "demo"}},
        ValueCase{"InstallProfilesEquals", {"install", "--profile=de"}, {"default", "demo"}},
        ValueCase{"ManifestProfiles", {"manifest", "generate", "--profile", "m"}, {"minimal"}},
        ValueCase{"BookstoreProfiles", {"bookstore", "apply", "--profile", ""}, {"mesh", "dev"}},
        ValueCase{"BookstoreRenderProfile", {"bookstore", "render", "--profile=d"}, {"dev"}},
        ValueCase{"VersionOutput", {"version", "-o", ""}, {"yaml", "json"}},
        ValueCase{"VersionOutputEquals", {"version", "-o=j"}, {"json"}},
        ValueCase{"VersionOutputLong", {"version", "--output", ""}, {"yaml", "json"}},
        ValueCase{"ApplyOutput", {"apply", "-o", ""}, {"yaml", "json", "name"}},
        ValueCase{"AnalyzeOutput", {"analyze", "-o", ""}, {"table", "json", "yaml"}},
        ValueCase{"GraphOutput", {"graph", "-o", ""}, {"dot", "mermaid", "svg", "html"}},
        ValueCase{"RouteSetOutput", {"route", "set", "-o", ""}, {"yaml", "json", "name"}},
        ValueCase{"DryRun", {"apply", "--dry-run", ""}, {"none", "client", "server"}},
        ValueCase{"DryRunEquals", {"inject", "enable", "--dry-run=s"}, {"server"}},
        ValueCase{"Shells", {"completion", ""}, {"bash", "zsh", "fish"}},
        ValueCase{"Canary", {"bookstore", "apply", "--canary", "a"}, {"account", "authentication"}},
        ValueCase{"FailOn", {"analyze", "--fail-on", ""}, {"error", "warning"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(CompletionTest, OutputFormatsCarryTheirNotes) {
  EXPECT_EQ(description({"graph", "-o", ""}, "svg"), "needs Graphviz");
  EXPECT_EQ(description({"analyze", "-o", ""}, "table"), "default");
}

TEST_F(CompletionTest, EveryOutputFlagOffersOnlyFormatsThatExist) {
  const std::set<std::string> known = {"yaml", "json",    "name", "table",
                                       "dot",  "mermaid", "svg",  "html"};
  int with_output = 0;
  for (Words path : command_paths()) {
    auto flags = values([&] {
      Words w = path;
      w.push_back("--out");
      return w;
    }());
    if (!has(flags, "--output")) continue;
    ++with_output;
    path.insert(path.end(), {"-o", ""});
    auto formats = values(path);
    EXPECT_FALSE(formats.empty()) << path[0];
    for (const auto& f : formats)
      EXPECT_TRUE(known.count(f)) << f << " offered by " << path[0];
  }
  EXPECT_GT(with_output, 15) << "the sweep found the commands with -o";
}

TEST_F(CompletionTest, EveryCommandOffersItsFlagsAndHelp) {
  for (Words path : command_paths()) {
    path.push_back("--h");
    EXPECT_TRUE(has(values(path), "--help")) << path[0] << " " << path.size();
  }
}

TEST_F(CompletionTest, NamespacesComeFromTheClusterTheTypedFlagsName) {
  EXPECT_EQ(values({"-n", "ist"}), (std::vector<std::string>{"istio-system"}));
  EXPECT_EQ(values({"--kubeconfig", "/k", "--context", "kind", "install", "-n", ""}).size(), 4u);
  EXPECT_EQ(cluster_.last.kubeconfig, "/k");
  EXPECT_EQ(cluster_.last.context, "kind");
  EXPECT_EQ(values({"inject", "enable", "book"}), (std::vector<std::string>{"bookstore"}));
  EXPECT_EQ(values({"inject", "status", "default", "kube"}),
            (std::vector<std::string>{"kube-system"}))
      << "NAMESPACE takes several";
  EXPECT_EQ(values({"--namespace=i"}), (std::vector<std::string>{"istio-system"}));
}

TEST_F(CompletionTest, ServicesOfTheTypedNamespace) {
  EXPECT_EQ(values({"route", "set", "-n", "bookstore", "re"}),
            (std::vector<std::string>{"reviews"}));
  EXPECT_EQ(cluster_.last.namespace_, "bookstore");
  EXPECT_EQ(values({"-n=shop", "retry", "set", ""}).size(), 4u);
  EXPECT_EQ(cluster_.last.namespace_, "shop");
  EXPECT_EQ(values({"breaker", "clear", "-nshop2", "r"}),
            (std::vector<std::string>{"ratings", "reviews"}));
  EXPECT_EQ(cluster_.last.namespace_, "shop2");
  EXPECT_EQ(values({"policy", "show", ""}).size(), 4u);
}

TEST_F(CompletionTest, NothingAfterTheLastPositionalAndNoClusterCall) {
  Completions c = run({"route", "set", "reviews", ""});
  EXPECT_TRUE(c.candidates.empty());
  EXPECT_EQ(c.directive, kCompNoFiles);
  EXPECT_TRUE(cluster_.calls.empty());
}

TEST_F(CompletionTest, KubeconfigNames) {
  EXPECT_EQ(values({"--context", ""}), (std::vector<std::string>{"kind-context", "prod-context"}));
  EXPECT_EQ(values({"install", "--user", "p"}), (std::vector<std::string>{"prod-user"}));
  EXPECT_EQ(cluster_.calls, (std::vector<std::string>{"context", "user"}));
}

TEST_F(CompletionTest, PathsAreLeftToTheShell) {
  Completions files = run({"apply", "-f", ""});
  EXPECT_TRUE(files.candidates.empty());
  EXPECT_EQ(files.directive, kCompDefault);
  EXPECT_EQ(run({"--kubeconfig", ""}).directive, kCompDefault);
  EXPECT_EQ(run({"bookstore", "render", "--templates", ""}).directive, kCompDirs);
  EXPECT_EQ(run({"kustomize", ""}).directive, kCompDirs);
}

TEST_F(CompletionTest, FreeTextValuesOfferNothing) {
  for (const Words& w : {Words{"install", "--revision", ""}, Words{"install", "--timeout", ""},
                         Words{"timeout", "set", "reviews", ""}}) {
    Completions c = run(w);
    EXPECT_TRUE(c.candidates.empty()) << w[1];
    EXPECT_EQ(c.directive, kCompNoFiles) << w[1];
  }
  EXPECT_TRUE(cluster_.calls.empty());
}

TEST_F(CompletionTest, BooleanFlagsTakeNoValue) {
  // --wait is a flag: the next word is a flag or argument again, not its value.
  EXPECT_EQ(values({"install", "--wait", "--pro"}), (std::vector<std::string>{"--profile"}));
  EXPECT_EQ(values({"inject", "enable", "--restart", "book"}),
            (std::vector<std::string>{"bookstore"}));
}

TEST_F(CompletionTest, HelpEndsCompletion) {
  EXPECT_TRUE(run({"install", "--help", "--"}).candidates.empty());
  EXPECT_TRUE(run({"install", "-h", ""}).candidates.empty());
}

TEST_F(CompletionTest, UnknownFlagIsAnError) {
  EXPECT_EQ(run({"install", "--nope="}).directive, kCompError);
}

TEST_F(CompletionTest, AfterDoubleDashEverythingIsAnArgument) {
  EXPECT_EQ(values({"route", "set", "--", "r"}), (std::vector<std::string>{"ratings", "reviews"}));
  EXPECT_TRUE(values({"route", "set", "--", "--pro"}).empty());
}

// ---- through run(), as kubectl and the scripts call it ----

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run_as(const std::string& argv0, Words args, kube::Environment env = empty_env()) {
  args.insert(args.begin(), argv0);
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::istringstream in;
  std::ostringstream out, err;
  int code = cli::run(static_cast<int>(argv.size()), argv.data(), {in, out, err}, std::move(env));
  return {code, out.str(), err.str()};
}

TEST(CompleteRequest, PrintsCandidatesThenTheDirective) {
  Outcome o = run_as("kubectl-mesh", {"__complete", "install", "--profile", ""});
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, "minimal\ndefault\ndemo\n:4\n");
  EXPECT_EQ(o.err, "");
}

TEST(CompleteRequest, DescriptionsAfterATabUnlessNoDesc) {
  EXPECT_EQ(run_as("kubectl-mesh", {"__complete", "install", "--pro"}).out,
            "--profile\tminimal, default or demo\n:4\n");
  EXPECT_EQ(run_as("kubectl-mesh", {"__completeNoDesc", "install", "--pro"}).out,
            "--profile\n:4\n");
}

TEST(CompleteRequest, TheHelperNameIsTheSameRequest) {
  Words args = {"install", "--profile", "d"};
  Outcome helper = run_as("/somewhere/bin/kubectl_complete-mesh", args);
  args.insert(args.begin(), "__complete");
  Outcome direct = run_as("/usr/bin/kubectl-mesh", args);
  EXPECT_EQ(helper.out, "default\ndemo\n:4\n");
  EXPECT_EQ(helper.out, direct.out);
  EXPECT_EQ(helper.code, 0);
  EXPECT_EQ(run_as("kubectl_complete-mesh", {}).out,
            run_as("kubectl-mesh", {"__complete", ""}).out);
}

TEST(CompleteRequest, ACommandNamedLikeTheVerbElsewhereIsNotARequest) {
  Outcome o = run_as("kubectl-mesh", {"version", "__complete"});
  EXPECT_EQ(o.code, 2) << o.out;
}

TEST(CompleteRequest, NoClusterMeansOnlyTheDirectiveAndNoNoise) {
  Outcome o = run_as("kubectl-mesh", {"__complete", "-n", ""});
  EXPECT_EQ(o.out, ":4\n");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.code, 0);
}

TEST(CompleteRequest, AnUnreachableServerIsSilentToo) {
  kmesh::testing::TempDir dir;
  // insecure-skip-tls-verify makes the client warn on connect: the warning must not show.
  std::string kubeconfig = dir.write("config",
                                     "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                                     "clusters:\n- name: c\n  cluster:\n"
                                     "    server: https://127.0.0.1:1\n"
                                     "    insecure-skip-tls-verify: true\n"
                                     "users:\n- name: u\n  user:\n    token: secret-token-xyz\n"
                                     "contexts:\n- name: c\n  context: {cluster: c, user: u}\n");
  Outcome o =
      run_as("kubectl-mesh", {"__complete", "--kubeconfig", kubeconfig, "route", "set", ""});
  EXPECT_EQ(o.out, ":4\n");
  EXPECT_EQ(o.err, "");
  Outcome ctx = run_as("kubectl-mesh", {"__complete", "--kubeconfig", kubeconfig, "--context", ""});
  EXPECT_EQ(ctx.out, "c\n:4\n");
}

// ---- kubectl mesh completion SHELL ----

TEST(CompletionCommand, PrintsAScriptThatAsksTheBinaryForEachShell) {
  for (const char* shell : {"bash", "zsh", "fish"}) {
    Outcome o = run_as("kubectl-mesh", {"completion", shell});
    EXPECT_EQ(o.code, 0) << shell << o.err;
    EXPECT_NE(o.out.find("kubectl-mesh __complete"), std::string::npos) << shell;
    EXPECT_NE(o.out.find("kubectl-mesh completion " + std::string(shell)), std::string::npos)
        << shell << ": says how to load it";
  }
}

TEST(CompletionCommand, AnUnknownShellIsBadUsage) {
  Outcome o = run_as("kubectl-mesh", {"completion", "tcsh"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err,
            "error: no completion for shell \"tcsh\"; shells: bash, zsh, fish\n"
            "See 'kubectl mesh completion --help'.\n");
}

// ---- the last resort: completion never keeps a shell waiting ----

TEST(CompletionDeadline, EndsAProcessThatWaitsTooLongWithStatusZero) {
  EXPECT_EXIT(
      {
        arm_exit_deadline(1, ":4\n");
        std::this_thread::sleep_for(std::chrono::seconds(20));
        std::exit(7);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(CompletionDeadline, CancelledItLetsTheProcessFinish) {
  EXPECT_EXIT(
      {
        arm_exit_deadline(1, ":4\n");
        cancel_exit_deadline();
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        std::exit(7);
      },
      ::testing::ExitedWithCode(7), "");
}

}  // namespace
}  // namespace kmesh::cli
