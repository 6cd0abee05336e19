// kubectl mesh policy show|export: every Service's routes, weights, retries, timeouts,
// faults and breakers in one view, and the objects behind them for GitOps. Also the
// registrar of all traffic policy commands.

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "commands/policy_commands.hpp"
#include "commands/policy_common.hpp"
#include "lib/mesh/policy/show.hpp"
#include "lib/yaml/emit.hpp"

namespace kmesh::commands {
namespace {

namespace mp = mesh::policy;

struct PolicyViewOptions {
  std::string service, output;
  bool all_namespaces = false;
};

Status run_policy_show(const PolicyViewOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(o.output, {cli::Format::kTable, cli::Format::kYaml, cli::Format::kJson}));
  std::optional<mp::ServiceRef> only;
  KMESH_ASSIGN_OR_RETURN(auto objects,
                         policy_cli::read_objects(ctx, o.service, o.all_namespaces, only));
  Json view = mp::policy_view(objects, only);
  if (format == cli::Format::kYaml || format == cli::Format::kJson) {
    cli::print_value(ctx.io.out, view, format);
    return {};
  }
  for (const auto& s : view["services"])
    for (const auto& w : s["warnings"])
      ctx.io.err << "Warning: " << w.get<std::string>() << '\n';
  if (view["services"].empty()) {
    ctx.io.out << "no VirtualService or DestinationRule concerns a Service"
               << (o.all_namespaces ? std::string(" in any namespace") : "") << '\n';
    return {};
  }
  cli::print_table(ctx.io.out, mp::policy_headers(), mp::policy_rows(view));
  return {};
}

Status run_policy_export(const PolicyViewOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto format,
                         cli::parse_format(o.output, {cli::Format::kYaml, cli::Format::kJson}));
  std::optional<mp::ServiceRef> only;
  KMESH_ASSIGN_OR_RETURN(auto objects,
                         policy_cli::read_objects(ctx, o.service, o.all_namespaces, only));
  auto exported = mp::export_objects(objects, only);
  if (format == cli::Format::kJson)
    cli::print_objects(ctx.io.out, exported, format);
  else
    ctx.io.out << yaml::emit_all(exported);
  return {};
}

}  // namespace

void register_policy_view(CLI::App& root, cli::Context& ctx, Status& result) {
  auto* policy = root.add_subcommand("policy", "All traffic policy of Services at once");
  policy->require_subcommand(1);

  auto show = std::make_shared<PolicyViewOptions>();
  auto* show_cmd = policy->add_subcommand(
      "show",
      "Routes, weights, retries, timeouts, faults, mirrors and breakers per Service, in one view");
  show_cmd->add_option("SERVICE", show->service,
                       "Only this Service (default: every Service with a policy)");
  show_cmd->add_flag("-A,--all-namespaces", show->all_namespaces, "Every namespace");
  cli::add_output_flag(*show_cmd, show->output, "table, yaml, json");
  cli::set_examples(*show_cmd,
                    "  kubectl mesh policy show -n bookstore\n"
                    "  kubectl mesh policy show reviews -n bookstore -o yaml\n"
                    "  kubectl mesh policy show -A\n");
  bind(show_cmd, ctx, result, show, run_policy_show);

  auto exp = std::make_shared<PolicyViewOptions>();
  auto* export_cmd = policy->add_subcommand("export",
                                            "Print the VirtualServices and DestinationRules (all, "
                                            "or a Service's) without server-managed metadata");
  export_cmd->add_option("SERVICE", exp->service, "Only the objects of this Service");
  export_cmd->add_flag("-A,--all-namespaces", exp->all_namespaces, "Every namespace");
  cli::add_output_flag(*export_cmd, exp->output, "yaml, json");
  cli::set_examples(*export_cmd,
                    "  kubectl mesh policy export -n bookstore > bookstore-policy.yaml\n"
                    "  kubectl mesh policy export reviews -n bookstore -o json\n");
  bind(export_cmd, ctx, result, exp, run_policy_export);
}

void register_policy(CLI::App& root, cli::Context& ctx, Status& result) {
  register_route(root, ctx, result);
  register_retry(root, ctx, result);
  register_breaker(root, ctx, result);
  register_policy_view(root, ctx, result);
}

}  // namespace kmesh::commands
