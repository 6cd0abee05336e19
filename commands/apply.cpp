// kubectl mesh apply: server-side apply of any multi-document YAML, the primitive the
// other commands build on.

#include "lib/kube/apply.hpp"

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"

namespace kmesh::commands {
namespace {

struct ApplyCommandOptions {
  std::vector<std::string> files;
  bool recursive = false;
  std::string dry_run = "none";
  std::string field_manager = "kubectl-mesh";
  bool force_conflicts = false;
  std::string output;
};

std::string suffix_for(kube::DryRun dry_run) {
  switch (dry_run) {
    case kube::DryRun::kClient:
      return " (dry run)";
    case kube::DryRun::kServer:
      return " (server dry run)";
    default:
      return "";
  }
}

void print_report(cli::Context& ctx, const kube::ApplyReport& report, cli::Format format,
                  kube::DryRun dry_run) {
  std::vector<Json> objects;
  for (const auto& item : report.items) {
    if (item.outcome == kube::Outcome::kFailed || item.outcome == kube::Outcome::kNotAttempted) {
      if (!item.error.empty()) ctx.io.err << "error: " << item.error << '\n';
      continue;
    }
    if (format == cli::Format::kName) {
      ctx.io.out << item.display << '\n';
    } else if (format == cli::Format::kYaml || format == cli::Format::kJson) {
      objects.push_back(item.live);
    } else {
      const char* what =
          item.outcome == kube::Outcome::kUnchanged ? "unchanged" : "serverside-applied";
      ctx.io.out << item.display << ' ' << what << suffix_for(dry_run) << '\n';
    }
  }
  if (!objects.empty()) cli::print_objects(ctx.io.out, objects, format);
}

Status run_apply(const ApplyCommandOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto dry_run, kube::parse_dry_run(opts.dry_run));
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(opts.output, {cli::Format::kYaml, cli::Format::kJson, cli::Format::kName}));
  if (opts.field_manager.empty()) return usage_error("--field-manager must not be empty");
  // Dry runs print objects unless told otherwise: that is what they are for.
  if (format == cli::Format::kDefault && dry_run != kube::DryRun::kNone)
    format = cli::Format::kYaml;
  KMESH_ASSIGN_OR_RETURN(auto docs, kube::load_objects(opts.files, ctx.io.in, opts.recursive));
  // As kubectl says "no objects passed to apply": an empty file or a wrong directory is a
  // mistake to report, not a success that applied nothing (found by tests/badinput).
  if (docs.empty())
    return usage_error("no objects passed to apply: " + join(opts.files, ", ") +
                       " held no YAML documents");
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());

  kube::ApplyOptions options;
  options.field_manager = opts.field_manager;
  options.force_conflicts = opts.force_conflicts;
  options.dry_run = dry_run;
  options.default_namespace = client->default_namespace();
  options.namespace_from_flag = client->config().namespace_from_flag;
  kube::Applier applier(*client, *discovery);
  KMESH_ASSIGN_OR_RETURN(auto items, applier.prepare(std::move(docs), options));
  auto report = applier.apply(std::move(items), options);
  print_report(ctx, report, format, dry_run);
  if (!report.ok()) return cluster_error(report.summary());
  return {};
}

}  // namespace

void register_apply(CLI::App& root, cli::Context& ctx, Status& result) {
  auto opts = std::make_shared<ApplyCommandOptions>();
  auto* cmd = root.add_subcommand(
      "apply",
      "Server-side apply of YAML files: CRDs and Namespaces first, custom resources once their CRD"
      " is Established, the rest in parallel");
  cmd->add_option("-f,--filename", opts->files, "File, directory or - for stdin (repeatable)")
      ->required();
  cmd->add_flag("-R,--recursive", opts->recursive, "Read directories given with -f recursively");
  cli::add_dry_run_flag(*cmd, opts->dry_run);
  cmd->add_option("--field-manager", opts->field_manager,
                  "Name of the manager owning the fields applied")
      ->capture_default_str();
  cmd->add_flag("--force-conflicts", opts->force_conflicts,
                "Take over fields that another field manager owns");
  cli::add_output_flag(*cmd, opts->output, "yaml, json, name");
  cli::set_examples(
      *cmd,
      "  kubectl mesh apply -f manifests/\n"
      "  kubectl mesh apply -f app.yaml -n staging --dry-run=server\n"
      "  cat app.yaml | kubectl mesh apply -f - --field-manager ci --force-conflicts\n");
  bind(cmd, ctx, result, opts, run_apply);
}

}  // namespace kmesh::commands
