#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <optional>

#include "cli/cluster_names.hpp"
#include "cli/completion.hpp"
#include "cli/deadline.hpp"
#include "cli/flags.hpp"
#include "commands/commands.hpp"
#include "lib/core/log.hpp"
#include "lib/core/strings.hpp"

namespace kmesh::cli {
namespace {

// kubectl users type -v=6; CLI11 takes "=" only on long flags.
std::vector<std::string> normalize_args(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 3 &&
        (a.rfind("-v=", 0) == 0 || a.rfind("-n=", 0) == 0 || a.rfind("-o=", 0) == 0 ||
         a.rfind("-f=", 0) == 0 || a.rfind("-l=", 0) == 0)) {
      args.push_back(a.substr(0, 2));
      args.push_back(a.substr(3));
    } else {
      args.push_back(a);
    }
  }
  // CLI11 wants them reversed.
  return {args.rbegin(), args.rend()};
}

std::string command_path_of(const CLI::App& app) {
  std::string path;
  const CLI::App* cur = &app;
  while (true) {
    auto subs = cur->get_subcommands();
    if (subs.empty()) break;
    cur = subs.front();
    path += (path.empty() ? "" : " ") + cur->get_name();
  }
  return path;
}

// CLI11 reports a mistyped command as "A subcommand is required"; say what kubectl says.
std::string parse_error_text(const CLI::App& app, const CLI::ParseError& e,
                             const std::string& path) {
  if (!path.empty()) return e.what();
  for (const auto& arg : app.remaining()) {
    if (arg.empty() || arg[0] == '-') continue;
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({}))
      names.push_back(sub->get_name());
    std::string text = "unknown command \"" + arg + "\" for \"kubectl mesh\"";
    auto near = nearest(arg, names);
    if (!near.empty()) text += "; did you mean \"" + join(near, "\" or \"") + "\"?";
    return text;
  }
  return e.what();
}

int exit_code_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return kExitUsage;
    case ErrorKind::kFindings:
      return kExitFindings;
    default:
      return kExitCluster;
  }
}

struct CompletionRequest {
  std::vector<std::string> words;
  bool descriptions = true;
};

// kubectl runs `kubectl_complete-mesh WORD... PARTIAL`, the scripts `kubectl-mesh __complete
// WORD... PARTIAL`: the same request.
std::optional<CompletionRequest> completion_request(int argc, const char* const* argv) {
  std::string self = argc > 0 ? argv[0] : "";
  self = self.substr(self.rfind('/') + 1);
  int first = 1;
  bool descriptions = true;
  if (self != kCompletionHelperName) {
    std::string verb = argc > 1 ? argv[1] : "";
    if (verb != "__complete" && verb != "__completeNoDesc") return std::nullopt;
    first = 2;
    descriptions = verb == "__complete";
  }
  CompletionRequest request{{argv + std::min(first, argc), argv + argc}, descriptions};
  if (request.words.empty()) request.words.emplace_back();
  return request;
}

int run_completion(const CompletionRequest& request, Streams streams, kube::Environment env,
                   kube::ClientOptions client_options) {
  // kubectl passes the helper's stderr to the terminal: nothing may be written there.
  std::ostream discard(nullptr);
  log::configure(0, &discard);
  Context ctx(streams, env, client_options);
  Status never_set;  // nothing is parsed, so no command runs
  auto app = make_app(ctx, never_set);
  LiveClusterNames cluster(std::move(env), std::move(client_options));
  Completions completions = complete(*app, request.words, cluster);
  cancel_exit_deadline();
  print_completions(streams.out, completions, request.descriptions);
  return kExitOk;
}

}  // namespace

std::unique_ptr<CLI::App> make_app(Context& ctx, Status& result) {
  auto app = std::make_unique<CLI::App>(
      "kubectl mesh: install Istio, run Fenix's Bookstore on it, and manage its"
      " sidecars and traffic policies.",
      "kubectl mesh");
  app->require_subcommand(1);
  app->fallthrough();
  app->set_version_flag("--version", std::string(KMESH_VERSION));
  add_global_flags(*app, ctx.flags);
  commands::register_all(*app, ctx, result);
  return app;
}

bool is_completion_request(int argc, const char* const* argv) {
  return completion_request(argc, argv).has_value();
}

int run(int argc, const char* const* argv, Streams streams, kube::Environment env,
        kube::ClientOptions client_options) {
  // Commands point the process-wide logger at this run's stderr, which need not outlive the
  // run (tests make many runs in one process): point it back on every way out.
  struct LogReset {
    ~LogReset() { log::configure(0, nullptr); }
  } log_reset;
  if (auto request = completion_request(argc, argv))
    return run_completion(*request, streams, std::move(env), std::move(client_options));
  Context ctx(streams, std::move(env), std::move(client_options));
  Status result;
  auto app_ptr = make_app(ctx, result);
  CLI::App& app = *app_ptr;

  auto args = normalize_args(argc, argv);
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, streams.out, streams.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, streams.out, streams.err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, streams.out, streams.err);
  } catch (const CLI::ParseError& e) {
    std::string path = command_path_of(app);
    streams.err << "error: " << parse_error_text(app, e, path) << "\nSee 'kubectl mesh"
                << (path.empty() ? "" : " " + path) << " --help'.\n";
    return kExitUsage;
  }
  if (result.ok()) return kExitOk;
  const Error& error = result.error();
  streams.err << "error: " << error.message << '\n';
  if (error.kind == ErrorKind::kUsage)
    streams.err << "See 'kubectl mesh " << ctx.command_path << " --help'.\n";
  return exit_code_of(error.kind);
}

}  // namespace kmesh::cli
