#include "commands/commands.hpp"

namespace kmesh::commands {

std::string command_path(const CLI::App* cmd) {
  std::string path;
  for (const CLI::App* c = cmd; c && c->get_parent(); c = c->get_parent())
    path = c->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

void register_all(CLI::App& root, cli::Context& ctx, Status& result) {
  register_version(root, ctx, result);
  register_apply(root, ctx, result);
  register_kustomize(root, ctx, result);
  register_install(root, ctx, result);
  register_uninstall(root, ctx, result);
  register_tag(root, ctx, result);
  register_policy(root, ctx, result);
  register_inject(root, ctx, result);
  register_bookstore(root, ctx, result);
  register_analyze(root, ctx, result);
  register_graph(root, ctx, result);
  register_status(root, ctx, result);
  register_jwks(root, ctx, result);
  register_completion(root, ctx, result);
}

}  // namespace kmesh::commands
