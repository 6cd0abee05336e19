// kubectl mesh verify-install and kubectl mesh uninstall.

#include "lib/mesh/uninstall.hpp"

#include "cli/confirm.hpp"
#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/core/time.hpp"
#include "lib/mesh/verify.hpp"

namespace kmesh::commands {
namespace {

struct VerifyOptions {
  std::string revision = "default";
  std::string output;
};

Status run_verify(const VerifyOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format, cli::parse_format(
                       opts.output, {cli::Format::kTable, cli::Format::kJson, cli::Format::kYaml}));
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  KMESH_ASSIGN_OR_RETURN(auto plan, mesh::installed_plan(*client, opts.revision));
  KMESH_ASSIGN_OR_RETURN(auto drifts, mesh::verify_install(*client, *discovery, plan));
  if (format == cli::Format::kJson || format == cli::Format::kYaml) {
    Json out = {{"revision", plan.revision},
                {"profile", plan.profile},
                {"objects", plan.objects.size()},
                {"problems", Json::array()}};
    for (const auto& d : drifts)
      out["problems"].push_back({{"status", d.status}, {"object", d.object}, {"detail", d.detail}});
    cli::print_value(ctx.io.out, out, format);
  } else if (drifts.empty()) {
    ctx.io.out << "✔ all " << plan.objects.size() << " objects of Istio " << plan.version
               << " (profile " << plan.profile << ", revision " << plan.revision
               << ") match the plan\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : drifts)
      rows.push_back({d.status, d.object, d.detail});
    cli::print_table(ctx.io.out, {"STATUS", "OBJECT", "DETAIL"}, rows);
  }
  if (!drifts.empty())
    return Error{ErrorKind::kFindings,
                 std::to_string(drifts.size()) +
                     " of the install's objects are missing, drifted"
                     " or extra; 'kubectl mesh install' with the same options repairs them"};
  return {};
}

struct UninstallOptions {
  std::string revision = "default";
  bool purge = false;
  bool dry_run = false;
  bool yes = false;
  std::string timeout = "5m";
};

Status run_uninstall(const UninstallOptions& opts, cli::Context& ctx) {
  auto timeout = parse_duration(opts.timeout);
  if (!timeout || timeout->count() <= 0)
    return usage_error("--timeout=\"" + opts.timeout + "\" must be a positive duration");
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  mesh::UninstallRequest request{opts.revision, opts.purge};
  KMESH_ASSIGN_OR_RETURN(auto plan, mesh::plan_uninstall(*client, *discovery, request));
  for (const auto& w : plan.warnings)
    ctx.io.err << "Warning: " << w << '\n';
  if (plan.objects.empty() && (!opts.purge || plan.crds.empty())) {
    ctx.io.out << "nothing to remove: no object of revision \"" << opts.revision
               << "\" carries the install labels\n";
    return {};
  }
  if (opts.dry_run) {
    for (const auto& o : plan.objects)
      ctx.io.out << o.display() << " would be deleted (dry run)\n";
    for (const auto& c : plan.crds)
      ctx.io.out << c.display()
                 << (opts.purge ? " would be deleted (dry run)"
                                : " kept (pass --purge to delete CRDs)")
                 << '\n';
    return {};
  }
  std::string question = "Remove Istio revision \"" + opts.revision + "\" (" +
                         std::to_string(plan.objects.size()) + " objects" +
                         (opts.purge ? " and " + std::to_string(plan.crds.size()) + " CRDs" : "") +
                         ") from context \"" + client->config().context_name + "\"?";
  KMESH_TRY(cli::confirm(ctx, opts.yes, question));
  KMESH_TRY(mesh::run_uninstall(*client, *discovery, plan, request, *timeout));
  ctx.io.out << "✔ removed " << plan.objects.size() << " objects of revision \"" << opts.revision
             << "\"";
  if (opts.purge)
    ctx.io.out << " and " << plan.crds.size() << " CRDs";
  else if (!plan.crds.empty())
    ctx.io.out << "; kept " << plan.crds.size() << " CRDs (--purge removes them)";
  ctx.io.out << '\n';
  return {};
}

}  // namespace

void register_uninstall(CLI::App& root, cli::Context& ctx, Status& result) {
  auto vopts = std::make_shared<VerifyOptions>();
  auto* verify = root.add_subcommand(
      "verify-install", "Compare the cluster with what install applied; exit 3 on any difference");
  verify->add_option("--revision", vopts->revision, "Revision to verify")->capture_default_str();
  cli::add_output_flag(*verify, vopts->output, "table, json, yaml");
  cli::set_examples(
      *verify,
      "  kubectl mesh verify-install\n  kubectl mesh verify-install --revision canary -o json\n");
  bind(verify, ctx, result, vopts, run_verify);

  auto uopts = std::make_shared<UninstallOptions>();
  auto* un = root.add_subcommand("uninstall",
                                 "Remove every object an install made (webhooks and revision tags "
                                 "included); CRDs only with --purge");
  un->add_option("--revision", uopts->revision, "Revision to remove")->capture_default_str();
  un->add_flag("--purge", uopts->purge,
               "Also delete the Istio CRDs, and with them every Istio resource");
  un->add_flag("--dry-run", uopts->dry_run, "List what would be deleted; change nothing");
  un->add_flag("-y,--skip-confirmation", uopts->yes, "Do not ask (required without a terminal)");
  un->add_option("--timeout", uopts->timeout, "How long to wait for the objects to go")
      ->capture_default_str();
  cli::set_examples(*un,
                    "  kubectl mesh uninstall --dry-run\n"
                    "  kubectl mesh uninstall --revision canary -y\n"
                    "  kubectl mesh uninstall --purge -y\n");
  bind(un, ctx, result, uopts, run_uninstall);
}

}  // namespace kmesh::commands
