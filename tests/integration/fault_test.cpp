// Faults between kubectl-mesh and a real API server: connections cut half-way, a server
// that stops answering, and SIGINT in the middle of a bulk command. A proxy of the tests'
// own (tests/faultproxy) stands in front of the real kube-apiserver.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

extern char** environ;

namespace kmesh::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// A background process, killed when the object goes.
class Background {
 public:
  explicit Background(const std::vector<std::string>& argv,
                      const std::string& stdout_file = "/dev/null") {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, (stdout_file + ".err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Background() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// The fault proxy in front of a control plane, and a kubeconfig that goes through it.
class Proxy {
 public:
  Proxy(const OwnControlPlane& plane, const std::string& mode) {
    std::string dir = temp_dir();
    std::string admin = slurp(plane.kubeconfig());
    std::smatch m;
    std::regex_search(admin, m, std::regex("server: https://127\\.0\\.0\\.1:(\\d+)"));
    std::string port_file = dir + "/port";
    process_ = std::make_unique<Background>(
        std::vector<std::string>{KMESH_FAULT_PROXY, m[1].str(), port_file, mode});
    for (int i = 0; i < 100 && slurp(port_file).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string port = std::string(trim(slurp(port_file)));
    kubeconfig_ = write_file(
        dir, "proxied.kubeconfig",
        std::regex_replace(admin, std::regex("127\\.0\\.0\\.1:\\d+"), "127.0.0.1:" + port));
  }
  const std::string& kubeconfig() const { return kubeconfig_; }

 private:
  std::unique_ptr<Background> process_;
  std::string kubeconfig_;
};

class Faults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { plane_ = new OwnControlPlane(); }
  static void TearDownTestSuite() { delete plane_; }
  void SetUp() override { ASSERT_TRUE(plane_->ok()) << plane_->error(); }
  static Output direct(std::vector<std::string> args) {
    args.insert(args.begin(), {"--kubeconfig", plane_->kubeconfig()});
    return mesh(args);
  }
  static OwnControlPlane* plane_;
};
OwnControlPlane* Faults::plane_ = nullptr;

TEST_F(Faults, InstallCutHalfWayExitsOneSaysWhatHappenedAndAgainConverges) {
  // Cut at several depths of a fresh install (about 190 kB of objects): early, among the
  // CRDs, and in the later stages.
  for (long cut : {15'000L, 60'000L, 120'000L, 175'000L}) {
    ASSERT_EQ(direct({"uninstall", "--purge", "-y"}).code, 0);
    Proxy proxy(*plane_, "cut=" + std::to_string(cut));
    auto start = Clock::now();
    Output r =
        mesh({"--kubeconfig", proxy.kubeconfig(), "--request-timeout", "5s", "install", "-y"});
    auto took = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count();
    EXPECT_EQ(r.code, 1) << "cut at " << cut << ": " << r.out << r.err;
    EXPECT_LT(took, 60) << "cut at " << cut;
    EXPECT_TRUE(r.err.find("cannot connect") != std::string::npos ||
                r.err.find("broke") != std::string::npos ||
                r.err.find("TLS with") != std::string::npos)
        << "cut at " << cut << ": " << r.err;
    if (r.err.find("install stopped at stage") != std::string::npos) {
      EXPECT_NE(r.err.find("Running the same install again continues from here"), std::string::npos)
          << r.err;
    }

    Output again = direct({"install", "-y"});
    ASSERT_EQ(again.code, 0) << "after a cut at " << cut << ": " << again.err;
    Output verify = direct({"verify-install"});
    EXPECT_EQ(verify.code, 0) << "after a cut at " << cut << ": " << verify.out;
  }
}

TEST_F(Faults, EveryCommandFailsWithinTheRequestTimeoutWhenTheServerHangs) {
  Proxy proxy(*plane_, "hang");
  std::string file = write_file(
      temp_dir(), "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {}\n");
  std::vector<std::vector<std::string>> commands = {
      {"version"},
      {"apply", "-f", file},
      {"install", "-y"},
      {"verify-install"},
      {"uninstall", "--dry-run"},
      {"inject", "status"},
      {"inject", "enable", "default"},
      {"tag", "list"},
  };
  for (auto args : commands) {
    std::string what = join(args, " ");
    args.insert(args.begin(), {"--kubeconfig", proxy.kubeconfig(), "--request-timeout", "2s"});
    auto start = Clock::now();
    Output r = mesh(args);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    EXPECT_EQ(r.code, 1) << what << ": " << r.err;
    EXPECT_NE(r.err.find("within the request timeout"), std::string::npos) << what << ": " << r.err;
    EXPECT_LT(took, 15000) << what << " took " << took << " ms with --request-timeout 2s";
  }
}

TEST_F(Faults, SigintStopsABulkApplyAndReportsWhatWasDone) {
  std::string ns = "interrupted";
  std::string text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n";
  for (int i = 0; i < 4000; ++i)
    text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + std::to_string(i) +
            "\n  namespace: " + ns + "\ndata:\n  i: \"" + std::to_string(i) + "\"\n";
  std::string dir = temp_dir();
  std::string file = write_file(dir, "many.yaml", text);
  Background apply({KMESH_BINARY, "--kubeconfig", plane_->kubeconfig(), "apply", "-f", file},
                   dir + "/out");
  ASSERT_GT(apply.pid(), 0);
  // Wait until some of it is in the cluster, then interrupt.
  for (int i = 0; i < 200; ++i) {
    Output cms = kubectl({"get", "configmaps", "-n", ns, "--no-headers"}, plane_->kubeconfig());
    if (cms.code == 0 && split(cms.out, '\n').size() > 50) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(apply.pid(), SIGINT);
  int code = apply.wait();
  std::string out = slurp(dir + "/out"), err = slurp(dir + "/out.err");
  EXPECT_EQ(code, 1) << err;
  EXPECT_NE(err.find("not sent (interrupted)"), std::string::npos) << err.substr(0, 2000);
  EXPECT_NE(err.find("not attempted"), std::string::npos)
      << err.substr(err.size() > 500 ? err.size() - 500 : 0);
  size_t reported = 0;
  for (const auto& line : split(out, '\n'))
    reported += line.rfind("configmap/cm-", 0) == 0;
  Output cms = kubectl({"get", "configmaps", "-n", ns, "--no-headers"}, plane_->kubeconfig());
  size_t in_cluster = 0;
  for (const auto& line : split(cms.out, '\n'))
    in_cluster += line.rfind("cm-", 0) == 0;
  EXPECT_GT(reported, 0u);
  EXPECT_LT(reported, 4000u) << "the interrupt came too late to test anything";
  EXPECT_EQ(reported, in_cluster) << "what the report says must match what the cluster holds";
}

}  // namespace
}  // namespace kmesh::testing
