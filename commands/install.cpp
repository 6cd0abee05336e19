// kubectl mesh install and kubectl mesh manifest generate: Istio from the one binary.

#include "cli/confirm.hpp"
#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/core/time.hpp"
#include "lib/mesh/installer.hpp"
#include "lib/yaml/emit.hpp"

namespace kmesh::commands {
namespace {

struct PlanFlags {
  std::string profile = "default";
  std::string revision;
  std::vector<std::string> sets;
  std::vector<std::string> values_files;

  mesh::InstallRequest request() const { return {profile, revision, values_files, sets}; }
};

struct InstallCommandOptions {
  PlanFlags plan;
  std::string dry_run = "none";
  bool wait = false;
  std::string timeout = "5m";
  bool yes = false;
};

void add_plan_flags(CLI::App& cmd, PlanFlags& f) {
  cmd.add_option("--profile", f.profile, "minimal, default or demo")->capture_default_str();
  cmd.add_option("--revision", f.revision,
                 "Control plane revision; another revision installs beside the existing one");
  cmd.add_option("--set", f.sets,
                 "PATH=VALUE for one install value (repeatable); see the README for the keys");
  cmd.add_option("-f,--filename", f.values_files, "A YAML file of install values (repeatable)");
}

std::string values_help() {
  std::string text = "\nValues for --set and -f:\n";
  for (const auto& s : mesh::value_specs())
    text += "  " + s.path + " (" + s.type + "): " + s.help + "\n";
  return text;
}

std::string target_line(const kube::Client& client) {
  const auto& c = client.config();
  return "Target: context \"" + c.context_name + "\", cluster \"" + c.cluster_name + "\" (" +
         c.server + ")";
}

void print_summary(cli::Context& ctx, const mesh::InstallPlan& plan,
                   const mesh::InstallReport& report, kube::DryRun dry_run) {
  std::string what =
      "Istio " + plan.version + " (profile " + plan.profile + ", revision " + plan.revision + ")";
  if (dry_run == kube::DryRun::kServer) {
    ctx.io.out << what << ": the server accepted all " << report.items.size()
               << " objects (server dry run, nothing changed)\n";
    return;
  }
  if (report.created() + report.changed() + report.pruned.size() == 0) {
    ctx.io.out << what << " is already installed as planned: nothing changed ("
               << report.unchanged() << " objects unchanged)\n";
    return;
  }
  ctx.io.out << "Installed " << what << ": " << report.created() << " created, " << report.changed()
             << " changed, " << report.unchanged() << " unchanged, " << report.pruned.size()
             << " pruned\n";
  for (const auto& p : report.pruned)
    ctx.io.out << "  pruned " << p << '\n';
}

Status run_install(const InstallCommandOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto dry_run, kube::parse_dry_run(opts.dry_run));
  auto timeout = parse_duration(opts.timeout);
  if (!timeout || timeout->count() <= 0)
    return usage_error("--timeout=\"" + opts.timeout + "\" must be a positive duration such as 5m");
  KMESH_ASSIGN_OR_RETURN(auto plan, mesh::build_install_plan(opts.plan.request()));
  if (dry_run == kube::DryRun::kClient) {
    std::vector<Json> objects;
    for (const auto& p : plan.objects)
      objects.push_back(p.object);
    ctx.io.out << yaml::emit_all(objects);
    return {};
  }
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  ctx.io.err << target_line(*client) << '\n';
  KMESH_TRY(mesh::precheck(*client, *discovery, plan));
  if (dry_run == kube::DryRun::kNone)
    KMESH_TRY(cli::confirm(ctx, opts.yes,
                           "Install Istio " + plan.version + " (profile " + plan.profile +
                               ", revision " + plan.revision + ") into context \"" +
                               client->config().context_name + "\"?"));
  mesh::InstallOptions options;
  options.dry_run = dry_run;
  options.wait = opts.wait;
  options.timeout = *timeout;
  Progress progress = ctx.progress();
  options.progress = progress.line_reporter();
  options.status = progress.status_reporter();
  auto report = mesh::install(*client, *discovery, plan, options);
  progress.clear();
  if (!report.ok()) return report.error();
  print_summary(ctx, plan, *report, dry_run);
  return {};
}

struct GenerateOptions {
  PlanFlags plan;
  std::string output;
};

Status run_generate(const GenerateOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto format,
                         cli::parse_format(opts.output, {cli::Format::kYaml, cli::Format::kJson}));
  KMESH_ASSIGN_OR_RETURN(auto plan, mesh::build_install_plan(opts.plan.request()));
  std::vector<Json> objects;
  for (const auto& p : plan.objects)
    objects.push_back(p.object);
  if (format == cli::Format::kJson)
    cli::print_objects(ctx.io.out, objects, format);
  else
    ctx.io.out << yaml::emit_all(objects);
  return {};
}

}  // namespace

void register_install(CLI::App& root, cli::Context& ctx, Status& result) {
  auto opts = std::make_shared<InstallCommandOptions>();
  auto* cmd = root.add_subcommand(
      "install",
      "Install or upgrade Istio: CRDs, istiod, gateways and webhooks, applied in dependency order");
  add_plan_flags(*cmd, opts->plan);
  cli::add_dry_run_flag(*cmd, opts->dry_run);
  cmd->add_flag("--wait", opts->wait, "Wait until the Deployments are Available");
  cmd->add_option("--timeout", opts->timeout, "How long --wait and the install lock may take")
      ->capture_default_str();
  cmd->add_flag("-y,--skip-confirmation", opts->yes,
                "Do not ask for confirmation (required without a terminal)");
  cli::set_examples(
      *cmd,
      "  kubectl mesh install -y\n"
      "  kubectl mesh install --profile demo --set meshConfig.accessLogFile=/dev/stdout -y\n"
      "  kubectl mesh install --revision canary --profile minimal -y\n"
      "  kubectl mesh install --dry-run=client > istio.yaml\n" +
          values_help());
  bind(cmd, ctx, result, opts, run_install);

  auto gen = std::make_shared<GenerateOptions>();
  auto* manifest = root.add_subcommand("manifest", "Show what install would apply");
  manifest->require_subcommand(1);
  auto* generate =
      manifest->add_subcommand("generate", "Print the objects install would apply, as YAML");
  add_plan_flags(*generate, gen->plan);
  cli::add_output_flag(*generate, gen->output, "yaml, json");
  cli::set_examples(*generate,
                    "  kubectl mesh manifest generate --profile demo\n"
                    "  kubectl mesh manifest generate --set gateways.ingress.serviceType=NodePort "
                    "> istio.yaml\n");
  bind(generate, ctx, result, gen, run_generate);
}

}  // namespace kmesh::commands
