// Hostile and malformed inputs (tests/badinput/cases.tsv) given to the real kubectl-mesh
// binary, a separate process: it must exit with the expected status and one clear message,
// never die of a signal, stay within a memory bound and a time bound, and leave the cluster
// as it was.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "lib/core/process.hpp"
#include "lib/core/strings.hpp"
#include "tests/badinput/cases.hpp"
#include "tests/integration/harness.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define KMESH_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMESH_TEST_ASAN 1
#endif
#endif

namespace kmesh::testing {
namespace {

constexpr const char* kNamespace = "badinput";  // where objects without a namespace would go
constexpr long kMemoryLimitMiB = 2048;
constexpr auto kTimeLimit = std::chrono::seconds(90);  // only catches hangs, even under ASan

std::string badinput_dir() {
  return std::string(KMESH_SOURCE_DIR) + "/tests/badinput";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Inputs too big to commit, written on demand.
std::string generate(const std::string& name) {
  std::string dir = temp_dir();
  if (name == "huge-scalar.yaml") {
    // 4 MiB in one value: above the API server's request limit, so the server refuses it.
    return write_file(dir, name,
                      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: badinput-huge\ndata:\n"
                      "  big: " +
                          std::string(4 << 20, 'x') + "\n");
  }
  if (name == "huge-key.yaml") {
    // A 1 MiB key: the error naming the object must not print it whole.
    return write_file(dir, name,
                      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: badinput-key\n  " +
                          std::string(1 << 20, 'k') + ": 1\n  " + std::string(1 << 20, 'k') +
                          ": 2\n");
  }
  return dir + "/unknown-generator-" + name;
}

struct ChildRun {
  bool exited = false;
  int code = -1;
  int signal = 0;
  bool timed_out = false;
  std::string out, err;
};

// fork and exec (not posix_spawn) so the child can take its resource limit first.
ChildRun run_binary(const std::vector<std::string>& args,
                    const std::vector<std::string>& env_extra) {
  std::string dir = temp_dir();
  std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  std::vector<std::string> argv{KMESH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<std::string> set = env_extra;
#ifdef KMESH_TEST_ASAN
  // ASan reserves terabytes of address space, so RLIMIT_AS would kill it at once; its own
  // RSS limit bounds the memory instead.
  const char* asan = std::getenv("ASAN_OPTIONS");
  set.push_back(std::string("ASAN_OPTIONS=") + (asan ? std::string(asan) + ":" : "") +
                "hard_rss_limit_mb=" + std::to_string(kMemoryLimitMiB));
#endif
  // The case's variables replace ours of the same name (getenv would see the first of two).
  std::vector<std::string> env;
  for (auto& entry : current_environment()) {
    bool replaced = false;
    for (const auto& s : set)
      replaced |= entry.substr(0, entry.find('=') + 1) == s.substr(0, s.find('=') + 1);
    if (!replaced) env.push_back(std::move(entry));
  }
  env.insert(env.end(), set.begin(), set.end());
  std::vector<char*> cenv;
  for (auto& e : env)
    cenv.push_back(e.data());
  cenv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid == 0) {
#ifndef KMESH_TEST_ASAN
    rlimit limit{static_cast<rlim_t>(kMemoryLimitMiB) << 20, static_cast<rlim_t>(kMemoryLimitMiB)
                                                                 << 20};
    ::setrlimit(RLIMIT_AS, &limit);
#endif
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(cargv[0], cargv.data(), cenv.data());
    ::_exit(127);
  }
  ChildRun run;
  auto deadline = std::chrono::steady_clock::now() + kTimeLimit;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      run.timed_out = true;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.exited = WIFEXITED(status);
  run.code = run.exited ? WEXITSTATUS(status) : -1;
  run.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  run.out = slurp(out_path);
  run.err = slurp(err_path);
  return run;
}

// What a case could have written: namespaces named badinput*, and the objects of the test
// namespace. Other tests run at the same time, so the rest of the cluster is not compared.
std::set<std::string> snapshot() {
  Output r = kubectl({"get", "namespaces,configmaps,secrets,services,deployments", "-A",
                      "--no-headers", "-o",
                      "custom-columns=NS:.metadata.namespace,KIND:.kind,NAME:.metadata.name,"
                      "RV:.metadata.resourceVersion"});
  std::set<std::string> seen;
  if (r.code != 0) {
    seen.insert("kubectl failed: " + r.err);
    return seen;
  }
  for (const auto& line : split(r.out, '\n')) {
    std::string_view l = trim(line);
    if (starts_with(l, std::string(kNamespace) + " ") || l.find(" badinput") != l.npos)
      seen.insert(std::string(l));
  }
  return seen;
}

struct Prepared {
  std::vector<std::string> args, env;
};

Prepared prepare(const BadInputCase& c, const std::string& file) {
  Prepared p;
  auto words = split(c.command, ' ');
  auto has_word = [&](std::string_view prefix) {
    for (const auto& w : words)
      if (starts_with(w, prefix)) return true;
    return false;
  };
  bool own_kubeconfig = has_word("--kubeconfig") || has_word("KUBECONFIG=");
  bool own_namespace = has_word("--namespace") || std::count(words.begin(), words.end(), "-n") > 0;
  if (!own_kubeconfig) p.args = {"--kubeconfig", kubeconfig()};
  if (!own_namespace) {
    p.args.push_back("-n");
    p.args.push_back(kNamespace);
  }
  bool leading = true;
  for (const auto& word : words) {
    if (word.empty()) continue;
    std::string w = replace_all(replace_all(word, "{file}", file), "{dir}", badinput_dir());
    if (leading && w.find('=') != std::string::npos && w[0] != '-') {
      p.env.push_back(w);
      continue;
    }
    leading = false;
    p.args.push_back(w);
  }
  return p;
}

std::string case_name(const BadInputCase& c) {
  std::string name;
  for (char ch : c.path + "_" + c.command.substr(0, c.command.find(' ')))
    name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return name + "_" + std::to_string(c.line);
}

class BadInput : public ::testing::TestWithParam<BadInputCase> {
 protected:
  static void SetUpTestSuite() {
    Output r = kubectl({"create", "namespace", kNamespace});
    ASSERT_TRUE(r.code == 0 || r.err.find("AlreadyExists") != std::string::npos) << r.err;
    // The controller manager adds this ConfigMap to a new namespace: wait for it, so that it
    // does not appear between a case's two snapshots.
    for (int i = 0; i < 150; ++i) {
      if (kubectl({"get", "configmap", "kube-root-ca.crt", "-n", kNamespace}).code == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    FAIL() << "namespace " << kNamespace << " never got its kube-root-ca.crt ConfigMap";
  }
};

TEST_P(BadInput, FailsCleanlyAndChangesNothing) {
  const BadInputCase& c = GetParam();
  ASSERT_GE(c.exit_code, 0) << "tests/badinput/cases.tsv:" << c.line << " is malformed";
  std::string file = starts_with(c.path, "generated:") ? generate(c.path.substr(10))
                     : starts_with(c.path, "missing:") ? badinput_dir() + "/" + c.path.substr(8)
                                                       : badinput_dir() + "/" + c.path;
  Prepared p = prepare(c, file);
  std::string shown = "cases.tsv:" + std::to_string(c.line) + ": kubectl-mesh " + join(p.args, " ");

  std::set<std::string> before = snapshot();
  ChildRun run = run_binary(p.args, p.env);
  std::set<std::string> after = snapshot();

  ASSERT_FALSE(run.timed_out) << shown << ": still running after " << kTimeLimit.count() << "s";
  ASSERT_TRUE(run.exited) << shown << ": killed by signal " << run.signal << "\n" << run.err;
  EXPECT_EQ(run.code, c.exit_code) << shown << "\n" << run.err;
  std::string expected = replace_all(c.expected_stderr, "{file}", file);
  EXPECT_NE(run.err.find(expected), std::string::npos)
      << shown << ": stderr lacks \"" << expected << "\":\n"
      << run.err.substr(0, 2000);
  // An exec plugin's own stderr comes first, as with kubectl; ours starts a line.
  EXPECT_TRUE(starts_with(run.err, "error: ") || run.err.find("\nerror: ") != std::string::npos)
      << shown << "\n"
      << run.err.substr(0, 2000);
  // One clear message, not a dump of the input.
  EXPECT_LT(run.err.size(), 4096u) << shown << "\n" << run.err.substr(0, 2000);
  EXPECT_EQ(run.err.find("Sanitizer"), std::string::npos) << shown << "\n" << run.err;
  EXPECT_EQ(run.err.find("runtime error:"), std::string::npos) << shown << "\n" << run.err;
  EXPECT_EQ(before, after) << shown << ": the cluster changed";
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInput,
                         ::testing::ValuesIn(load_bad_input_cases(std::string(KMESH_SOURCE_DIR) +
                                                                  "/tests/badinput/cases.tsv")),
                         [](const auto& info) { return case_name(info.param); });

}  // namespace
}  // namespace kmesh::testing
