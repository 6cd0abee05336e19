// Progress of long operations on stderr, through the real binary: with stderr on a
// pseudo-terminal a wait rewrites one status line; without one (a CI log) each state is one
// plain line with no control characters; stdout holds only the command's data either way.

#include <gtest/gtest.h>

#include "lib/core/strings.hpp"
#include "tests/integration/harness.hpp"

namespace kmesh::testing {
namespace {

// Runs ARGV with stderr on a pseudo-terminal 100 columns wide (TERM=xterm), stdin empty and
// stdout a pipe; Output.err is what the terminal received (the pty turns "\n" into "\r\n").
constexpr const char* kWithTerminalStderr = R"(
import fcntl, os, pty, struct, subprocess, sys, termios
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                     stderr=slave, env=dict(os.environ, TERM="xterm"))
os.close(slave)
seen = []
while True:
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    seen.append(data)
out = p.stdout.read()
code = p.wait()
sys.stdout.buffer.write(out)
sys.stderr.buffer.write(b"".join(seen))
sys.exit(code)
)";

std::vector<std::string> binary_args(std::vector<std::string> args) {
  args.insert(args.begin(), {KMESH_BINARY, "--kubeconfig", kubeconfig()});
  return args;
}

Output run_with_terminal(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"python3", "-c", kWithTerminalStderr};
  for (auto& a : binary_args(args))
    argv.push_back(a);
  return run_program(argv, 120);
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

// The columns a line of terminal output takes: code points, without the erase-line sequence.
size_t columns_of(const std::string& line) {
  size_t n = 0;
  for (unsigned char c : replace_all(line, "\x1b[K", ""))
    n += (c & 0xC0) != 0x80;
  return n;
}

constexpr const char* kWaitStatus = "0/5 Deployments Available; waiting for ";

// No kubelet here: the bookstore's Deployments never become Available, so --wait runs to its
// timeout, polling once a second.
TEST(Progress, AWaitOnATerminalRewritesOneStatusLine) {
  std::string ns = unique_name("progress-tty");
  Output r = run_with_terminal({"-n", ns, "bookstore", "apply", "--wait", "--timeout", "3s"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_GE(count(r.err, std::string("\r\x1b[K") + kWaitStatus), 2u)
      << "the status is rewritten at each poll:\n"
      << r.err;
  EXPECT_NE(r.err.find("(0s)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\r\x1b[Kerror: timed out after 3s waiting for Deployments"),
            std::string::npos)
      << "the status line is erased before the error:\n"
      << r.err;
  for (const auto& line : split(replace_all(r.err, "\r", "\n"), '\n'))
    if (line.find(kWaitStatus) != std::string::npos)
      EXPECT_LT(columns_of(line), 100u) << "a status line wider than the terminal: " << line;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "stdout is data only:\n" << r.out;
  EXPECT_NE(r.out.find("deployment.apps/bookstore-servicemesh-domain-payment serverside-applied"),
            std::string::npos)
      << r.out;
  kubectl({"delete", "namespace", ns, "--wait=false"});
}

TEST(Progress, AWaitWithoutATerminalLogsEachStateOnceInPlainLines) {
  std::string ns = unique_name("progress-log");
  Output r =
      run_program(binary_args({"-n", ns, "bookstore", "apply", "--wait", "--timeout", "3s"}));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(count(r.err, kWaitStatus), 1u) << "one line per state, not per poll:\n" << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  kubectl({"delete", "namespace", ns, "--wait=false"});
}

TEST(Progress, BulkInjectionCountsNamespacesInBatches) {
  std::string label = unique_name("bulk");
  std::string manifest;
  for (int i = 0; i < 130; ++i)
    manifest += "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + label + "-" +
                std::to_string(i) + "\n  labels: {progress-test: " + label + "}\n";
  Output created = mesh({"--kubeconfig", kubeconfig(), "apply", "-f", "-"}, manifest);
  ASSERT_EQ(created.code, 0) << created.err;
  Output r = run_program(binary_args({"inject", "enable", "-l", "progress-test=" + label}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("labelled 128/130 namespaces\nlabelled 130/130 namespaces\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count(r.out, "\n"), 130u) << "one line per namespace on stdout:\n" << r.out;
  Output on_tty = run_with_terminal({"inject", "disable", "-l", "progress-test=" + label});
  EXPECT_EQ(on_tty.code, 0) << on_tty.err;
  EXPECT_NE(on_tty.err.find("\r\x1b[Klabelled 128/130 namespaces ("), std::string::npos)
      << on_tty.err;
  kubectl({"delete", "namespace", "-l", "progress-test=" + label, "--wait=false"});
}

}  // namespace
}  // namespace kmesh::testing
