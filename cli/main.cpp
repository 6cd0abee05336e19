// kubectl-mesh: found by kubectl as a plugin, so users type `kubectl mesh ...`.

#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/app.hpp"
#include "cli/cluster_names.hpp"
#include "cli/deadline.hpp"
#include "lib/core/interrupt.hpp"

namespace {

// Whether stderr is a terminal that understands a carriage return and "erase line" (not
// TERM=dumb, as Emacs shells set), and its width in columns.
bool stderr_can_rewrite_lines(int* columns) {
  if (::isatty(STDERR_FILENO) != 1) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  struct winsize size {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) *columns = size.ws_col;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Credentials live in this process's memory: never let them reach a core dump.
  struct rlimit no_core {
    0, 0
  };
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::signal(SIGPIPE, SIG_IGN);
  kmesh::install_interrupt_handlers();
  std::ios::sync_with_stdio(false);
  // A shell waits for completions on every <TAB>: past the request timeout (2 s unless
  // KUBECTL_MESH_COMPLETION_TIMEOUT says otherwise) and 2 s more, none.
  if (kmesh::cli::is_completion_request(argc, argv)) {
    auto timeout =
        std::chrono::duration_cast<std::chrono::seconds>(kmesh::cli::completion_request_timeout());
    kmesh::cli::arm_exit_deadline(static_cast<unsigned>(timeout.count()) + 2, ":4\n");
  }
  kmesh::cli::Streams streams{std::cin, std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1,
                              ::isatty(STDIN_FILENO) == 1};
  streams.err_is_terminal = stderr_can_rewrite_lines(&streams.err_columns);
  int code = kmesh::cli::run(argc, argv, streams, kmesh::kube::Environment::process());
  std::cout.flush();
  return code;
}
