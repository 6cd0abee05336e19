#pragma once
// What every command gets: the injected streams, the global flags, and (created on first
// use) the cluster client and discovery.

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "lib/core/progress.hpp"
#include "lib/core/result.hpp"
#include "lib/kube/client.hpp"
#include "lib/kube/discovery.hpp"
#include "lib/kube/kubeconfig.hpp"

namespace kmesh::cli {

/// The streams a command reads and writes; tests pass string streams.
struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool in_is_terminal = false;
  /// stderr is a terminal that can rewrite a line (not TERM=dumb), and its width.
  bool err_is_terminal = false;
  int err_columns = 80;
};

/// Flags every command accepts, as kubectl spells them.
struct GlobalFlags {
  kube::Overrides kube;
  std::string request_timeout = "30s";
  int verbosity = 0;
};

class Context {
 public:
  Context(Streams streams, kube::Environment env, kube::ClientOptions client_options = {});

  Streams io;
  GlobalFlags flags;
  kube::Environment env;

  /// Connects on first call (reads kubeconfig, credentials); later calls reuse it.
  Result<kube::Client*> client();
  /// Discovery for the client, loaded on first use.
  Result<kube::Discovery*> discovery();
  /// --request-timeout, validated.
  Result<std::chrono::milliseconds> request_timeout() const;
  /// The name of the command being run ("apply", "inject enable"), for messages.
  std::string command_path;
  /// Whether NO_COLOR is unset and stdout is a terminal.
  bool use_color() const;
  /// Progress of a long operation on stderr (a status line rewritten on a terminal).
  /// With -v, log lines share stderr, so the status is not rewritten in place there.
  Progress progress() {
    return Progress(io.err, io.err_is_terminal && flags.verbosity == 0, io.err_columns);
  }

 private:
  kube::ClientOptions client_options_;
  std::unique_ptr<kube::Client> client_;
  std::unique_ptr<kube::Discovery> discovery_;
};

}  // namespace kmesh::cli
