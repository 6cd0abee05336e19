#include "tests/integration/harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/app.hpp"
#include "lib/core/process.hpp"

namespace kmesh::testing {
namespace {

// The environment may override the paths CMake compiled in (to aim at another cluster).
std::string setting(const char* name, const char* built_in) {
  const char* v = std::getenv(name);
  return v && *v ? v : built_in;
}

}  // namespace

std::string cluster_dir() {
  return setting("KMESH_TEST_CLUSTER", KMESH_TEST_CLUSTER);
}

std::string cluster_script() {
  return setting("KMESH_CLUSTER_SH", KMESH_CLUSTER_SH);
}

std::string kubeconfig(const std::string& who, const std::string& dir) {
  return (dir.empty() ? cluster_dir() : dir) + "/" + who + ".kubeconfig";
}

Output mesh(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<const char*> argv{"kubectl-mesh"};
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  cli::Streams streams{in, out, err, false, false};
  Output r;
  r.code =
      cli::run(static_cast<int>(argv.size()), argv.data(), streams, kube::Environment::process());
  r.out = out.str();
  r.err = err.str();
  return r;
}

Output run_program(const std::vector<std::string>& argv, int timeout_seconds) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.env = current_environment();
  spec.timeout = std::chrono::seconds(timeout_seconds);
  // Standard error is folded into the output file so a failing check can show it.
  std::string errfile = temp_dir() + "/stderr";
  spec.argv = {"/bin/sh", "-c", "exec \"$@\" 2>\"$0\"", errfile};
  spec.argv.insert(spec.argv.end(), argv.begin(), argv.end());
  Output r;
  auto result = run_process(spec);
  if (!result.ok()) {
    r.err = result.error().message;
    return r;
  }
  r.code = result->timed_out ? -2 : result->exit_code;
  r.out = result->out;
  std::ifstream in(errfile);
  std::stringstream buf;
  buf << in.rdbuf();
  r.err = buf.str();
  return r;
}

Output kubectl(const std::vector<std::string>& args, const std::string& kubeconfig_path) {
  std::vector<std::string> argv{setting("KMESH_CP_BIN", KMESH_CP_BIN), "kubectl", "--kubeconfig",
                                kubeconfig_path.empty() ? kubeconfig() : kubeconfig_path};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}

Json kubectl_json(const std::vector<std::string>& args) {
  std::vector<std::string> full = args;
  full.push_back("-o");
  full.push_back("json");
  Output r = kubectl(full);
  if (r.code != 0) return nullptr;
  return Json::parse(r.out, nullptr, false);
}

std::vector<std::string>& created_dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

void remove_created_dirs() {
  for (const auto& d : created_dirs())
    std::filesystem::remove_all(d);
}

std::string temp_dir() {
  // The list exists before the handler is registered, so it outlives the handler's run.
  static const bool registered = (created_dirs(), std::atexit(remove_created_dirs) == 0);
  (void)registered;
  std::string tmpl = "/tmp/kmesh-test-XXXXXX";
  char* made = ::mkdtemp(tmpl.data());
  if (!made) std::abort();
  created_dirs().push_back(made);
  return made;
}

std::string write_file(const std::string& dir, const std::string& name, const std::string& text) {
  std::string path = dir + "/" + name;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0) {
    ssize_t written = ::write(fd, text.data(), text.size());
    (void)written;
    ::close(fd);
  }
  return path;
}

OwnControlPlane::OwnControlPlane(const std::vector<std::string>& apiserver_flags) {
  dir_ = temp_dir() + "/cp";
  std::vector<std::string> argv{cluster_script(), "up", dir_};
  if (!apiserver_flags.empty()) {
    argv.push_back("--");
    argv.insert(argv.end(), apiserver_flags.begin(), apiserver_flags.end());
  }
  Output up = run_program(argv);
  ok_ = up.code == 0;
  error_ = up.err;
}

OwnControlPlane::~OwnControlPlane() {
  run_program({cluster_script(), "down", dir_});
}

RefusingPort::RefusingPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // any free port
  socklen_t len = sizeof addr;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    std::abort();  // no test can go on without a port
  port_ = ntohs(addr.sin_port);
}

RefusingPort::~RefusingPort() {
  ::close(fd_);
}

std::string RefusingPort::server() const {
  return "https://127.0.0.1:" + std::to_string(port_);
}

std::string RefusingPort::kubeconfig() const {
  return write_file(
      temp_dir(), "config",
      "current-context: c\nclusters:\n- name: c\n  cluster:\n    server: " + server() +
          "\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n"
          "  context: {cluster: c, user: u}\n");
}

bool wait_for_default_service_account(const std::string& ns, const std::string& kubeconfig_path) {
  for (int i = 0; i < 150; ++i) {
    if (kubectl({"get", "serviceaccount", "default", "-n", ns}, kubeconfig_path).code == 0)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

void RefusingPort::expect_cannot_connect(const Output& o, const std::string& what) const {
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_EQ(o.out, "");
  // Between the two: libcurl's words for the refused connection.
  std::string prefix =
      "error: " + what + ": cannot connect to " + server() + " (kubeconfig cluster \"c\"): ";
  std::string suffix = "; is the cluster running and the kubeconfig current?\n";
  EXPECT_EQ(o.err.rfind(prefix, 0), 0u) << o.err;
  EXPECT_TRUE(o.err.size() > prefix.size() + suffix.size() &&
              o.err.compare(o.err.size() - suffix.size(), suffix.size(), suffix) == 0)
      << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

}  // namespace kmesh::testing
