// kubectl mesh breaker set|clear (connection pool limits and outlier detection in the
// Service's DestinationRule) and kubectl mesh fault set|clear (delays and aborts
// injected on a route of its VirtualService).

#include "cli/flags.hpp"
#include "commands/commands.hpp"
#include "commands/policy_commands.hpp"
#include "commands/policy_common.hpp"

namespace kmesh::commands {
namespace {

namespace mp = mesh::policy;
using policy_cli::RouteFlags;
using policy_cli::WriteFlags;

struct BreakerOptions {
  std::string service;
  mp::BreakerFlags breaker;
  WriteFlags write;
};

Status run_breaker_set(const BreakerOptions& o, cli::Context& ctx) {
  KMESH_TRY(policy_cli::check_write_flags(o.write));
  KMESH_ASSIGN_OR_RETURN(auto settings, mp::parse_breaker(o.breaker));
  KMESH_ASSIGN_OR_RETURN(auto service, policy_cli::service_ref(ctx, o.service));
  mp::EditRequest request;
  request.service = service;
  request.dr_edit = [settings](Json spec, const mp::RouteScope&) {
    return mp::set_breaker(std::move(spec), settings);
  };
  return policy_cli::run_edit(ctx, o.write, std::move(request));
}

Status run_breaker_clear(const BreakerOptions& o, cli::Context& ctx) {
  KMESH_TRY(policy_cli::check_write_flags(o.write));
  if (!o.breaker.subset.empty()) KMESH_TRY(mp::check_subset_name("--subset", o.breaker.subset));
  KMESH_ASSIGN_OR_RETURN(auto service, policy_cli::service_ref(ctx, o.service));
  mp::EditRequest request;
  request.service = service;
  request.create = false;
  request.dr_edit = [subset = o.breaker.subset](Json spec, const mp::RouteScope&) {
    return mp::clear_breaker(std::move(spec), subset);
  };
  return policy_cli::run_edit(ctx, o.write, std::move(request));
}

struct FaultOptions {
  std::string service;
  mp::FaultFlags fault;
  RouteFlags route;
  WriteFlags write;
};

Status run_fault_set(const FaultOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto settings, mp::parse_fault(o.fault));
  return policy_cli::run_route_edit(
      ctx, o.service, o.route, o.write,
      [settings](Json route) { return mp::set_fault(std::move(route), settings); }, true);
}

Status run_fault_clear(const FaultOptions& o, cli::Context& ctx) {
  return policy_cli::run_route_edit(
      ctx, o.service, o.route, o.write,
      [](Json route) { return mp::clear_fault(std::move(route)); }, false);
}

void add_breaker_limits(CLI::App& cmd, mp::BreakerFlags& f) {
  const char* group = "Limits (at least one)";
  auto add = [&](const std::string& name, std::optional<std::string>& value,
                 const std::string& help) {
    policy_cli::add_optional(cmd, name, value, help)->group(group);
  };
  add("--max-connections", f.max_connections,
      "connectionPool.tcp.maxConnections: connections to the Service");
  add("--max-pending", f.max_pending,
      "connectionPool.http.http1MaxPendingRequests: requests queued for a connection");
  add("--max-requests", f.max_requests, "connectionPool.http.http2MaxRequests: requests in flight");
  add("--max-requests-per-connection", f.max_requests_per_connection,
      "connectionPool.http.maxRequestsPerConnection (1 turns keep-alive off)");
  add("--max-retries", f.max_retries, "connectionPool.http.maxRetries: retries in flight");
  add("--consecutive-5xx", f.consecutive_5xx,
      "outlierDetection.consecutive5xxErrors: errors before ejection (0 off)");
  add("--consecutive-gateway-errors", f.consecutive_gateway_errors,
      "outlierDetection.consecutiveGatewayErrors: 502, 503, 504 before ejection");
  add("--interval", f.interval,
      "outlierDetection.interval: time between ejection sweeps, such as 10s");
  add("--base-ejection-time", f.base_ejection_time,
      "outlierDetection.baseEjectionTime, such as 30s");
  add("--max-ejection-percent", f.max_ejection_percent,
      "outlierDetection.maxEjectionPercent, 0 to 100");
  add("--min-health-percent", f.min_health_percent, "outlierDetection.minHealthPercent, 0 to 100");
}

}  // namespace

void register_breaker(CLI::App& root, cli::Context& ctx, Status& result) {
  auto* breaker = root.add_subcommand(
      "breaker", "Circuit breaking of a Service: connection limits and outlier ejection");
  breaker->require_subcommand(1);

  auto set = std::make_shared<BreakerOptions>();
  auto* set_cmd = breaker->add_subcommand(
      "set", "Set connection pool limits and outlier detection in the DestinationRule");
  set_cmd->add_option("SERVICE", set->service, "The Kubernetes Service (in -n's namespace)")
      ->required();
  add_breaker_limits(*set_cmd, set->breaker);
  set_cmd->add_option("--subset", set->breaker.subset,
                      "Set them on this subset instead of the whole Service");
  policy_cli::add_write_flags(*set_cmd, set->write);
  cli::set_examples(*set_cmd,
                    "  kubectl mesh breaker set reviews -n bookstore --max-connections 100 "
                    "--max-pending 10 --consecutive-5xx 5 --interval 10s --base-ejection-time 30s\n"
                    "  kubectl mesh breaker set reviews --subset v2 --max-requests 50 --diff\n");
  bind(set_cmd, ctx, result, set, run_breaker_set);

  auto clear = std::make_shared<BreakerOptions>();
  auto* clear_cmd = breaker->add_subcommand(
      "clear", "Remove the limits breaker set sets (other traffic policy stays)");
  clear_cmd->add_option("SERVICE", clear->service, "The Kubernetes Service (in -n's namespace)")
      ->required();
  clear_cmd->add_option("--subset", clear->breaker.subset,
                        "Clear them on this subset instead of the whole Service");
  policy_cli::add_write_flags(*clear_cmd, clear->write);
  cli::set_examples(*clear_cmd, "  kubectl mesh breaker clear reviews -n bookstore\n");
  bind(clear_cmd, ctx, result, clear, run_breaker_clear);

  auto* fault =
      root.add_subcommand("fault", "Fault injection on a Service's route: delays and aborts");
  fault->require_subcommand(1);
  auto fset = std::make_shared<FaultOptions>();
  auto* fset_cmd = fault->add_subcommand("set", "Delay or abort a share of a route's requests");
  fset_cmd->add_option("SERVICE", fset->service, "The Kubernetes Service (in -n's namespace)")
      ->required();
  policy_cli::add_optional(*fset_cmd, "--delay", fset->fault.delay, "A fixed delay, such as 5s");
  policy_cli::add_optional(*fset_cmd, "--delay-percent", fset->fault.delay_percent,
                           "Share of requests delayed, 0 to 100 (default 100)");
  policy_cli::add_optional(*fset_cmd, "--abort", fset->fault.abort,
                           "HTTP status to abort with, 200 to 599");
  policy_cli::add_optional(*fset_cmd, "--abort-percent", fset->fault.abort_percent,
                           "Share of requests aborted, 0 to 100 (default 100)");
  policy_cli::add_route_flags(*fset_cmd, fset->route);
  policy_cli::add_write_flags(*fset_cmd, fset->write);
  cli::set_examples(*fset_cmd,
                    "  kubectl mesh fault set ratings -n bookstore --delay 7s --delay-percent 10\n"
                    "  kubectl mesh fault set ratings --abort 503 --abort-percent 5\n");
  bind(fset_cmd, ctx, result, fset, run_fault_set);

  auto fclear = std::make_shared<FaultOptions>();
  auto* fclear_cmd = fault->add_subcommand("clear", "Remove a route's injected faults");
  fclear_cmd->add_option("SERVICE", fclear->service, "The Kubernetes Service (in -n's namespace)")
      ->required();
  policy_cli::add_route_flags(*fclear_cmd, fclear->route);
  policy_cli::add_write_flags(*fclear_cmd, fclear->write);
  cli::set_examples(*fclear_cmd, "  kubectl mesh fault clear ratings -n bookstore\n");
  bind(fclear_cmd, ctx, result, fclear, run_fault_clear);
}

}  // namespace kmesh::commands
