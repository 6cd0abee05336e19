// kubectl mesh kustomize DIR: renders a kustomization with the built-in engine, as a
// drop-in for `kubectl kustomize DIR` (same objects, order and YAML format).

#include "lib/kustomize/kustomize.hpp"

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace kmesh::commands {
namespace {

struct KustomizeOptions {
  std::string dir;
  std::string output;
  bool embedded = false;
};

Status run_kustomize(const KustomizeOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto format,
                         cli::parse_format(opts.output, {cli::Format::kYaml, cli::Format::kJson}));
  std::unique_ptr<kustomize::FileSource> files;
  if (opts.embedded)
    files = std::make_unique<kustomize::EmbeddedFileSource>();
  else
    files = std::make_unique<kustomize::DiskFileSource>();
  KMESH_ASSIGN_OR_RETURN(auto objects, kustomize::build(opts.dir, *files));
  if (format == cli::Format::kJson)
    cli::print_objects(ctx.io.out, objects, format);
  else
    ctx.io.out << kustomize::to_yaml(objects);
  return {};
}

}  // namespace

void register_kustomize(CLI::App& root, cli::Context& ctx, Status& result) {
  auto opts = std::make_shared<KustomizeOptions>();
  auto* cmd = root.add_subcommand(
      "kustomize",
      "Render a kustomization directory (like kubectl kustomize, with no external tool)");
  cmd->add_option("dir", opts->dir, "Directory holding kustomization.yaml")->default_val(".");
  cmd->add_flag("--embedded", opts->embedded,
                "Read DIR from the templates compiled into this binary "
                "(e.g. kustomize-templates/bookstore/overlays/mesh)");
  cli::add_output_flag(*cmd, opts->output, "yaml (default, YAML documents), json (a v1 List)");
  cli::set_examples(
      *cmd,
      "  kubectl mesh kustomize kustomize-templates/bookstore/overlays/mesh\n"
      "  kubectl mesh kustomize --embedded kustomize-templates/bookstore/overlays/dev\n"
      "  kubectl mesh kustomize . -o json\n");
  bind(cmd, ctx, result, opts, run_kustomize);
}

}  // namespace kmesh::commands
