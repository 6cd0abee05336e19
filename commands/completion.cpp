// kubectl mesh completion SHELL: the script that completes the standalone kubectl-mesh.

#include "cli/completion_scripts.hpp"
#include "cli/flags.hpp"
#include "commands/commands.hpp"
#include "lib/core/strings.hpp"

namespace kmesh::commands {
namespace {

struct CompletionOptions {
  std::string shell;
};

Status run_completion(const CompletionOptions& opts, cli::Context& ctx) {
  std::string script = cli::completion_script(opts.shell);
  if (script.empty())
    return usage_error("no completion for shell \"" + opts.shell +
                       "\"; shells: " + join(cli::completion_shells(), ", "));
  ctx.io.out << script;
  return {};
}

}  // namespace

void register_completion(CLI::App& root, cli::Context& ctx, Status& result) {
  auto opts = std::make_shared<CompletionOptions>();
  auto* cmd = root.add_subcommand(
      "completion",
      "Print a shell completion script for kubectl-mesh (bash, zsh or fish); kubectl 1.26+"
      " completes `kubectl mesh` through kubectl_complete-mesh on PATH without one");
  cmd->add_option("SHELL", opts->shell, "bash, zsh or fish")->required();
  cli::set_examples(*cmd,
                    "  source <(kubectl-mesh completion bash)\n"
                    "  source <(kubectl-mesh completion zsh)\n"
                    "  kubectl-mesh completion fish | source\n"
                    "  kubectl-mesh completion bash > ~/.local/share/bash-completion/completions/"
                    "kubectl-mesh\n");
  bind(cmd, ctx, result, opts, run_completion);
}

}  // namespace kmesh::commands
