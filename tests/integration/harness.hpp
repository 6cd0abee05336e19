#pragma once
// What integration tests share: the local control plane started by the CTest fixture
// (tests/cluster/cluster.sh up), kubectl-mesh run in-process against it, and the real
// kubectl of the server's release to check results independently.

#include <string>
#include <vector>

#include "lib/yaml/document.hpp"

namespace kmesh::testing {

/// Output and exit status of one command.
struct Output {
  int code = -1;
  std::string out, err;
};

/// The directory of the shared control plane (KMESH_TEST_CLUSTER).
std::string cluster_dir();
/// tests/cluster/cluster.sh, to start control planes of a test's own.
std::string cluster_script();
/// DIR/admin.kubeconfig, DIR/restricted.kubeconfig or DIR/cluster-admin.kubeconfig.
std::string kubeconfig(const std::string& who = "admin", const std::string& dir = "");

/// Runs `kubectl mesh ARGS` in-process with the given stdin.
Output mesh(const std::vector<std::string>& args, const std::string& stdin_text = "");
/// Runs the control plane's own kubectl as a separate process, as admin.
Output kubectl(const std::vector<std::string>& args, const std::string& kubeconfig_path = "");
/// `kubectl get ... -o json`, parsed; null when it failed.
Json kubectl_json(const std::vector<std::string>& args);
/// Runs a program (argv, no shell) and captures its output.
Output run_program(const std::vector<std::string>& argv, int timeout_seconds = 120);

/// A fresh temporary directory, removed when the test binary exits.
std::string temp_dir();
/// Writes text to a file (mode 0600) and returns its path.
std::string write_file(const std::string& dir, const std::string& name, const std::string& text);
/// Starts a control plane of its own in a temporary directory for one test suite
/// (CTest runs such suites one at a time) and stops it afterwards.
class OwnControlPlane {
 public:
  explicit OwnControlPlane(const std::vector<std::string>& apiserver_flags = {});
  ~OwnControlPlane();
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  const std::string& dir() const { return dir_; }
  std::string kubeconfig(const std::string& who = "admin") const {
    return dir_ + "/" + who + ".kubeconfig";
  }

 private:
  std::string dir_, error_;
  bool ok_ = false;
};

/// A TCP port on 127.0.0.1 that refuses connections while this object lives: bound but never
/// listening, so no other program can take it meanwhile. For "the server is unreachable".
/// TEXT with every FROM replaced by TO.
std::string replace_all(std::string text, const std::string& from, const std::string& to);

class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  /// https://127.0.0.1:PORT
  std::string server() const;
  /// A kubeconfig (in a temporary directory) whose only cluster, "c", is this port, with a
  /// bearer token user.
  std::string kubeconfig() const;
  /// Checks the one-line error a command gets from it: "error: WHAT: cannot connect to
  /// SERVER (kubeconfig cluster "c"): <libcurl's words>; is the cluster running ...".
  void expect_cannot_connect(const Output& o, const std::string& what) const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// Waits (up to 30 s) until the controller manager made the namespace's "default"
/// ServiceAccount: Pods created before it are refused by the ServiceAccount admission.
bool wait_for_default_service_account(const std::string& ns,
                                      const std::string& kubeconfig_path = "");

/// A namespace name unique to this test run.
std::string unique_name(const std::string& prefix);

}  // namespace kmesh::testing
