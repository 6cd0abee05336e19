// kubectl mesh route set|match|mirror|show|clear: weighted routing across subsets,
// matched routes, mirroring, as fields of the Service's VirtualService.

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "commands/policy_commands.hpp"
#include "commands/policy_common.hpp"
#include "lib/mesh/policy/durations.hpp"

namespace kmesh::commands {
namespace {

namespace mp = mesh::policy;
using policy_cli::RouteFlags;
using policy_cli::WriteFlags;

struct RouteSetOptions {
  std::string service, weights, subset_label = "version";
  RouteFlags route;
  WriteFlags write;
};

Status run_route_set(const RouteSetOptions& o, cli::Context& ctx) {
  KMESH_TRY(policy_cli::check_write_flags(o.write));
  KMESH_ASSIGN_OR_RETURN(auto selector, policy_cli::route_selector(o.route));
  KMESH_TRY(policy_cli::check_label_key(o.subset_label));
  KMESH_ASSIGN_OR_RETURN(auto service, policy_cli::service_ref(ctx, o.service));
  KMESH_ASSIGN_OR_RETURN(auto weights, mp::parse_weights(o.weights, service));
  mp::EditRequest request;
  request.service = service;
  request.gateway = o.route.gateway;
  request.subset_label = o.subset_label;
  for (const auto& w : weights)
    request.subsets.push_back(w.subset);
  request.vs_edit = mp::on_route(selector,
                                 [weights](Json route, const mp::Destination& dest,
                                           const mp::RouteScope& scope) -> Result<Json> {
                                   return mp::set_weights(std::move(route), weights, dest,
                                                          scope.service, scope.service.ns);
                                 });
  return policy_cli::run_edit(ctx, o.write, std::move(request));
}

struct RouteMatchOptions {
  std::string service, subset_label = "version";
  mp::MatchFlags match;
  RouteFlags route;
  WriteFlags write;
};

Status run_route_match(const RouteMatchOptions& o, cli::Context& ctx) {
  KMESH_TRY(policy_cli::check_write_flags(o.write));
  KMESH_ASSIGN_OR_RETURN(auto rule, mp::parse_match(o.match));
  KMESH_TRY(policy_cli::check_label_key(o.subset_label));
  KMESH_ASSIGN_OR_RETURN(auto service, policy_cli::service_ref(ctx, o.service));
  mp::EditRequest request;
  request.service = service;
  request.gateway = o.route.gateway;
  request.subset_label = o.subset_label;
  request.subsets = {rule.subset};
  request.vs_edit = [rule](Json spec, const mp::RouteScope& scope) -> Result<Json> {
    auto dest = mp::service_destination(spec, scope.service);
    return mp::set_match_route(std::move(spec), rule, dest, scope.service);
  };
  return policy_cli::run_edit(ctx, o.write, std::move(request));
}

struct RouteMirrorOptions {
  std::string service, to, subset_label = "version";
  std::optional<std::string> percent;
  RouteFlags route;
  WriteFlags write;
};

Status run_route_mirror(const RouteMirrorOptions& o, cli::Context& ctx) {
  KMESH_TRY(policy_cli::check_write_flags(o.write));
  KMESH_ASSIGN_OR_RETURN(auto selector, policy_cli::route_selector(o.route));
  KMESH_TRY(mp::check_subset_name("--to", o.to));
  std::optional<double> percent;
  if (o.percent) {
    KMESH_ASSIGN_OR_RETURN(percent, mp::parse_percent("--percent", *o.percent));
  }
  KMESH_TRY(policy_cli::check_label_key(o.subset_label));
  KMESH_ASSIGN_OR_RETURN(auto service, policy_cli::service_ref(ctx, o.service));
  mp::EditRequest request;
  request.service = service;
  request.gateway = o.route.gateway;
  request.subset_label = o.subset_label;
  request.subsets = {o.to};
  request.vs_edit = mp::on_route(selector,
                                 [to = o.to, percent](Json route, const mp::Destination& dest,
                                                      const mp::RouteScope&) -> Result<Json> {
                                   return mp::set_mirror(std::move(route), dest, to, percent);
                                 });
  return policy_cli::run_edit(ctx, o.write, std::move(request));
}

struct RouteClearOptions {
  std::string service;
  RouteFlags route;
  WriteFlags write;
};

Status run_route_clear(const RouteClearOptions& o, cli::Context& ctx) {
  KMESH_TRY(policy_cli::check_write_flags(o.write));
  KMESH_ASSIGN_OR_RETURN(auto selector, policy_cli::route_selector(o.route));
  KMESH_ASSIGN_OR_RETURN(auto service, policy_cli::service_ref(ctx, o.service));
  mp::EditRequest request;
  request.service = service;
  request.gateway = o.route.gateway;
  request.create = false;
  request.vs_edit = mp::on_route(
      selector,
      [](Json route, const mp::Destination& dest, const mp::RouteScope& scope) -> Result<Json> {
        return mp::clear_routing(std::move(route), dest, scope.service, scope.service.ns);
      });
  return policy_cli::run_edit(ctx, o.write, std::move(request));
}

struct RouteShowOptions {
  std::string service, output;
};

Status run_route_show(const RouteShowOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(o.output, {cli::Format::kTable, cli::Format::kYaml, cli::Format::kJson}));
  std::optional<mp::ServiceRef> only;
  KMESH_ASSIGN_OR_RETURN(auto objects, policy_cli::read_objects(ctx, o.service, false, only));
  Json view = mp::service_policy(*only, objects);
  for (const auto& w : view["warnings"])
    ctx.io.err << "Warning: " << w.get<std::string>() << '\n';
  if (format == cli::Format::kYaml || format == cli::Format::kJson) {
    cli::print_value(ctx.io.out,
                     {{"namespace", view["namespace"]},
                      {"service", view["service"]},
                      {"routes", view["routes"]}},
                     format);
    return {};
  }
  if (view["routes"].empty()) {
    ctx.io.out << "no VirtualService routes " << only->display()
               << ": its traffic goes straight to the Service\n";
    return {};
  }
  // The route columns of policy show: ROUTE, MATCH, DESTINATIONS, TIMEOUT, RETRIES, FAULT, MIRROR.
  auto rows = mp::policy_rows({{"services", Json::array({view})}});
  auto headers = mp::policy_headers();
  auto cut = [](std::vector<std::string> row) {
    return std::vector<std::string>(row.begin() + 1, row.end() - 1);
  };
  std::vector<std::vector<std::string>> cut_rows;
  for (auto& r : rows)
    cut_rows.push_back(cut(r));
  cli::print_table(ctx.io.out, cut(headers), cut_rows);
  return {};
}

void add_service(CLI::App& cmd, std::string& service) {
  cmd.add_option("SERVICE", service, "The Kubernetes Service (in -n's namespace)")->required();
}

}  // namespace

void register_route(CLI::App& root, cli::Context& ctx, Status& result) {
  auto* route = root.add_subcommand(
      "route", "Traffic routing of a Service: weights across subsets, matches, mirroring");
  route->require_subcommand(1);

  auto set = std::make_shared<RouteSetOptions>();
  auto* set_cmd =
      route->add_subcommand("set", "Split the traffic of a route across subsets by weight");
  add_service(*set_cmd, set->service);
  set_cmd
      ->add_option("--weights", set->weights, "SUBSET=WEIGHT pairs, whole numbers summing to 100")
      ->required();
  set_cmd
      ->add_option("--subset-label", set->subset_label,
                   "Label a missing subset selects (LABEL=SUBSET); some Pod template must carry it")
      ->capture_default_str();
  policy_cli::add_route_flags(*set_cmd, set->route);
  policy_cli::add_write_flags(*set_cmd, set->write);
  cli::set_examples(*set_cmd,
                    "  kubectl mesh route set reviews -n bookstore --weights v1=90,v2=10\n"
                    "  kubectl mesh route set reviews --weights v1=50,v2=50 --diff\n"
                    "  kubectl mesh route set account -n bookstore-servicemesh --gateway "
                    "bookstore-gateway --route-index 0 --weights v1=100\n");
  bind(set_cmd, ctx, result, set, run_route_set);

  auto match = std::make_shared<RouteMatchOptions>();
  auto* match_cmd =
      route->add_subcommand("match", "Send requests matching a header or URI prefix to a subset");
  add_service(*match_cmd, match->service);
  match_cmd->add_option("--header", match->match.headers,
                        "NAME=VALUE: an exact header match (repeatable; all must match)");
  policy_cli::add_optional(*match_cmd, "--uri-prefix", match->match.uri_prefix,
                           "A URI prefix to match, such as /api");
  match_cmd->add_option("--to", match->match.to, "The subset matching requests go to")->required();
  policy_cli::add_optional(*match_cmd, "--name", match->match.name,
                           "Name of the route (running again with the same name updates it)");
  match_cmd->add_option("--subset-label", match->subset_label, "Label a missing subset selects")
      ->capture_default_str();
  policy_cli::add_gateway_flag(*match_cmd, match->route);
  policy_cli::add_write_flags(*match_cmd, match->write);
  cli::set_examples(*match_cmd,
                    "  kubectl mesh route match reviews -n bookstore --header end-user=jason --to "
                    "v2 --name jason\n"
                    "  kubectl mesh route match reviews --uri-prefix /beta --to v2\n");
  bind(match_cmd, ctx, result, match, run_route_match);

  auto mirror = std::make_shared<RouteMirrorOptions>();
  auto* mirror_cmd = route->add_subcommand(
      "mirror", "Copy a route's traffic to a subset (responses are discarded)");
  add_service(*mirror_cmd, mirror->service);
  mirror_cmd->add_option("--to", mirror->to, "The subset that receives the copies")->required();
  policy_cli::add_optional(*mirror_cmd, "--percent", mirror->percent,
                           "Share of requests copied, 0 to 100 (Istio's default: 100)");
  mirror_cmd->add_option("--subset-label", mirror->subset_label, "Label a missing subset selects")
      ->capture_default_str();
  policy_cli::add_route_flags(*mirror_cmd, mirror->route);
  policy_cli::add_write_flags(*mirror_cmd, mirror->write);
  cli::set_examples(*mirror_cmd,
                    "  kubectl mesh route mirror reviews -n bookstore --to v2 --percent 10\n");
  bind(mirror_cmd, ctx, result, mirror, run_route_mirror);

  auto show = std::make_shared<RouteShowOptions>();
  auto* show_cmd = route->add_subcommand("show", "List the routes that carry a Service's traffic");
  add_service(*show_cmd, show->service);
  cli::add_output_flag(*show_cmd, show->output, "table, yaml, json");
  cli::set_examples(*show_cmd, "  kubectl mesh route show reviews -n bookstore\n");
  bind(show_cmd, ctx, result, show, run_route_show);

  auto clear = std::make_shared<RouteClearOptions>();
  auto* clear_cmd = route->add_subcommand(
      "clear", "Send a route's traffic to the Service again: no subsets, weights or mirror");
  add_service(*clear_cmd, clear->service);
  policy_cli::add_route_flags(*clear_cmd, clear->route);
  policy_cli::add_write_flags(*clear_cmd, clear->write);
  cli::set_examples(*clear_cmd, "  kubectl mesh route clear reviews -n bookstore\n");
  bind(clear_cmd, ctx, result, clear, run_route_clear);
}

}  // namespace kmesh::commands
