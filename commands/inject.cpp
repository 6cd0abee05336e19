// kubectl mesh inject enable|disable|status: sidecar injection per namespace, and the
// restarts that make running Pods follow it.

#include "lib/mesh/inject.hpp"

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/core/strings.hpp"
#include "lib/kube/objects.hpp"

namespace kmesh::commands {
namespace {

struct InjectOptions {
  std::vector<std::string> namespaces;
  std::string selector;
  bool all = false;
  bool include_system = false;
  std::string revision;
  bool remove_label = false;
  bool restart = false;
  std::string dry_run = "none";
  std::string output;
};

mesh::NamespaceSelection selection_of(const InjectOptions& o, const kube::Client& client) {
  return {o.namespaces, o.selector, o.all, o.include_system, client.default_namespace()};
}

Status check_selection(const InjectOptions& o) {
  int ways = !o.namespaces.empty() + !o.selector.empty() + o.all;
  if (ways > 1) return usage_error("name namespaces, or pass -l, or --all-namespaces: one of them");
  return {};
}

std::string workload_name(const mesh::WorkloadState& w) {
  std::string kind = to_lower(w.kind);
  if (w.kind != "Pod" && w.kind != "Job") kind += ".apps";
  if (w.kind == "Job") kind += ".batch";
  return kind + "/" + w.name + " in " + w.ns;
}

void print_inject_report(cli::Context& ctx, const mesh::InjectReport& report, cli::Format format,
                         const std::string& suffix) {
  for (const auto& note : report.notes)
    ctx.io.err << note << '\n';
  std::vector<Json> objects;
  for (const auto& ns : report.namespaces) {
    for (const auto& w : ns.warnings)
      ctx.io.err << "Warning: namespace " << ns.name << " " << w << '\n';
    if (format == cli::Format::kYaml || format == cli::Format::kJson)
      objects.push_back(ns.result);
    else if (format == cli::Format::kName)
      ctx.io.out << "namespace/" << ns.name << '\n';
    else if (ns.change.empty())
      ctx.io.out << "namespace/" << ns.name << " unchanged" << suffix << '\n';
    else
      ctx.io.out << "namespace/" << ns.name << " labeled " << ns.change.describe() << suffix
                 << '\n';
  }
  if (!objects.empty()) cli::print_objects(ctx.io.out, objects, format);
  auto& where = format == cli::Format::kDefault ? ctx.io.out : ctx.io.err;
  for (const auto& r : report.restarted)
    where << r << " restarted" << suffix << '\n';
  for (const auto& w : report.workloads) {
    std::string state =
        w.should_have_sidecar ? "has Pods without a sidecar" : "has Pods with a sidecar";
    if (w.restartable() && !report.restarted.empty()) continue;
    if (w.restartable())
      where << workload_name(w) << " needs a restart: it " << state << " (rerun with --restart)\n";
    else
      where << workload_name(w) << " " << state << ": recreate it by hand (a " << w.kind
            << " cannot be restarted in place)\n";
  }
}

Status run_flip(bool enable, const InjectOptions& o, cli::Context& ctx) {
  KMESH_TRY(check_selection(o));
  KMESH_ASSIGN_OR_RETURN(auto dry_run, kube::parse_dry_run(o.dry_run));
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(o.output, {cli::Format::kYaml, cli::Format::kJson, cli::Format::kName}));
  if (!enable && !o.revision.empty())
    return usage_error("--revision goes with enable; disable removes istio.io/rev anyway");
  if (enable && o.remove_label) return usage_error("--remove-label goes with disable");
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  mesh::InjectReport report;
  KMESH_ASSIGN_OR_RETURN(
      auto namespaces,
      mesh::select_namespaces(*client, *discovery, selection_of(o, *client), report.notes));
  Progress progress = ctx.progress();
  mesh::InjectRequest request{enable, o.revision, o.remove_label, o.restart, dry_run};
  request.status = progress.status_reporter();
  auto inject = mesh::run_inject(*client, *discovery, std::move(namespaces), request);
  progress.clear();
  if (!inject.ok()) return inject.error();
  auto& done = *inject;
  done.notes.insert(done.notes.begin(), report.notes.begin(), report.notes.end());
  std::string suffix = dry_run == kube::DryRun::kClient   ? " (dry run)"
                       : dry_run == kube::DryRun::kServer ? " (server dry run)"
                                                          : "";
  print_inject_report(ctx, done, format, suffix);
  return {};
}

struct StatusOptions {
  std::vector<std::string> namespaces;
  bool all = false;
  std::string output;
};

Status run_status(const StatusOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(o.output, {cli::Format::kTable, cli::Format::kJson, cli::Format::kYaml}));
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  std::vector<std::string> notes;
  mesh::NamespaceSelection sel{o.namespaces, "", o.all, true, client->default_namespace()};
  KMESH_ASSIGN_OR_RETURN(auto namespaces, mesh::select_namespaces(*client, *discovery, sel, notes));
  KMESH_ASSIGN_OR_RETURN(auto objects,
                         mesh::read_namespace_objects(*client, *discovery, namespaces));
  Json out = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& [ns, obj] : objects) {
    auto setting = mesh::namespace_setting(obj.labels);
    auto workloads = mesh::assess_workloads(ns, obj);
    int with = 0, without = 0;
    std::vector<std::string> restart;
    for (const auto& w : workloads) {
      with += w.pods_with_sidecar;
      without += w.pods_without_sidecar;
      if (w.needs_restart()) restart.push_back(to_lower(w.kind) + "/" + w.name);
    }
    out.push_back({{"namespace", ns},
                   {"injection", setting.describe()},
                   {"workloads", workloads.size()},
                   {"podsWithSidecar", with},
                   {"podsWithoutSidecar", without},
                   {"needRestart", restart},
                   {"warnings", setting.warnings}});
    rows.push_back({ns, setting.describe(), std::to_string(workloads.size()), std::to_string(with),
                    std::to_string(without), restart.empty() ? "-" : join(restart, ",")});
    for (const auto& w : setting.warnings)
      ctx.io.err << "Warning: namespace " << ns << " " << w << '\n';
  }
  if (format == cli::Format::kJson || format == cli::Format::kYaml)
    cli::print_value(ctx.io.out, out, format);
  else
    cli::print_table(
        ctx.io.out,
        {"NAMESPACE", "INJECTION", "WORKLOADS", "WITH SIDECAR", "WITHOUT", "NEED RESTART"}, rows);
  return {};
}

void add_flip_flags(CLI::App& cmd, InjectOptions& o) {
  cmd.add_option("NAMESPACE", o.namespaces, "Namespaces (default: the context's)");
  cmd.add_option("-l,--selector", o.selector, "Act on the namespaces this label selector matches");
  cmd.add_flag("-A,--all-namespaces", o.all, "Act on every namespace (system namespaces skipped)");
  cmd.add_flag("--include-system", o.include_system,
               "Allow kube-system, kube-public, kube-node-lease and istio-system");
  cmd.add_flag("--restart", o.restart,
               "Restart the Deployments, StatefulSets and DaemonSets whose Pods do not match");
  cli::add_dry_run_flag(cmd, o.dry_run);
  cli::add_output_flag(cmd, o.output, "yaml, json, name");
}

}  // namespace

void register_inject(CLI::App& root, cli::Context& ctx, Status& result) {
  auto* inject =
      root.add_subcommand("inject", "Turn Envoy sidecar injection on or off per namespace");
  inject->require_subcommand(1);

  auto on = std::make_shared<InjectOptions>();
  auto* enable = inject->add_subcommand("enable",
                                        "Label namespaces istio-injection=enabled (or "
                                        "istio.io/rev=R with --revision), removing the other label,"
                                        " since Istio honours only one");
  add_flip_flags(*enable, *on);
  enable->add_option("--revision", on->revision, "Inject from this revision (or revision tag)");
  cli::set_examples(*enable,
                    "  kubectl mesh inject enable bookstore-servicemesh --restart\n"
                    "  kubectl mesh inject enable -l team=shop --revision canary\n");
  bind(enable, ctx, result, on,
       [](const InjectOptions& o, cli::Context& c) { return run_flip(true, o, c); });

  auto off = std::make_shared<InjectOptions>();
  auto* disable = inject->add_subcommand(
      "disable",
      "Label namespaces istio-injection=disabled, which blocks injection whatever a Pod says;"
      " --remove-label removes both labels instead, so Pods labelled sidecar.istio.io/inject=true"
      " are still injected");
  add_flip_flags(*disable, *off);
  disable->add_flag("--remove-label", off->remove_label,
                    "Remove the labels instead of setting disabled");
  cli::set_examples(*disable,
                    "  kubectl mesh inject disable bookstore-servicemesh --restart\n"
                    "  kubectl mesh inject disable dev --remove-label\n");
  bind(disable, ctx, result, off,
       [](const InjectOptions& o, cli::Context& c) { return run_flip(false, o, c); });

  auto st = std::make_shared<StatusOptions>();
  auto* status = inject->add_subcommand(
      "status", "Injection setting, Pods with and without sidecars, and what needs a restart");
  status->add_option("NAMESPACE", st->namespaces, "Namespaces (default: the context's)");
  status->add_flag("-A,--all-namespaces", st->all, "Every namespace");
  cli::add_output_flag(*status, st->output, "table, json, yaml");
  cli::set_examples(*status,
                    "  kubectl mesh inject status -A\n  kubectl mesh inject status "
                    "bookstore-servicemesh -o json\n");
  bind(status, ctx, result, st, run_status);
}

}  // namespace kmesh::commands
