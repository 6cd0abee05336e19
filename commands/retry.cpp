// kubectl mesh retry set|clear and kubectl mesh timeout set|clear: per-route retry
// policy and request timeout in the Service's VirtualService.

#include "cli/flags.hpp"
#include "commands/commands.hpp"
#include "commands/policy_commands.hpp"
#include "commands/policy_common.hpp"
#include "lib/mesh/policy/durations.hpp"

namespace kmesh::commands {
namespace {

namespace mp = mesh::policy;
using policy_cli::RouteFlags;
using policy_cli::WriteFlags;

struct RouteEditOptions {
  std::string service;
  RouteFlags route;
  WriteFlags write;
};

Status run_route_edit(cli::Context& ctx, const RouteEditOptions& o, policy_cli::RouteOnlyEdit edit,
                      bool create) {
  return policy_cli::run_route_edit(ctx, o.service, o.route, o.write, std::move(edit), create);
}

struct RetrySetOptions : RouteEditOptions {
  mp::RetryFlags retry;
};

Status run_retry_set(const RetrySetOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto settings, mp::parse_retries(o.retry));
  return run_route_edit(
      ctx, o, [settings](Json route) { return mp::set_retries(std::move(route), settings); }, true);
}

Status run_retry_clear(const RouteEditOptions& o, cli::Context& ctx) {
  return run_route_edit(
      ctx, o, [](Json route) { return mp::clear_retries(std::move(route)); }, false);
}

struct TimeoutSetOptions : RouteEditOptions {
  std::string timeout;
};

Status run_timeout_set(const TimeoutSetOptions& o, cli::Context& ctx) {
  KMESH_TRY(mp::check_duration("DURATION", o.timeout));
  return run_route_edit(
      ctx, o, [t = o.timeout](Json route) { return mp::set_timeout(std::move(route), t); }, true);
}

Status run_timeout_clear(const RouteEditOptions& o, cli::Context& ctx) {
  return run_route_edit(
      ctx, o, [](Json route) { return mp::clear_timeout(std::move(route)); }, false);
}

void add_common(CLI::App& cmd, RouteEditOptions& o) {
  cmd.add_option("SERVICE", o.service, "The Kubernetes Service (in -n's namespace)")->required();
  policy_cli::add_route_flags(cmd, o.route);
  policy_cli::add_write_flags(cmd, o.write);
}

}  // namespace

void register_retry(CLI::App& root, cli::Context& ctx, Status& result) {
  auto* retry = root.add_subcommand("retry", "Retry policy of a Service's route");
  retry->require_subcommand(1);

  auto set = std::make_shared<RetrySetOptions>();
  auto* set_cmd =
      retry->add_subcommand("set", "Set how often and on what a route's requests are retried");
  add_common(*set_cmd, *set);
  policy_cli::add_optional(*set_cmd, "--attempts", set->retry.attempts,
                           "Retries per request (0 turns retries off)");
  policy_cli::add_optional(*set_cmd, "--per-try-timeout", set->retry.per_try_timeout,
                           "Timeout of each try, such as 2s or 250ms");
  policy_cli::add_optional(
      *set_cmd, "--retry-on", set->retry.retry_on,
      "Comma-separated conditions: 5xx, gateway-error, reset, connect-failure, retriable-4xx,"
      " refused-stream, ... or status codes such as 503");
  cli::set_examples(*set_cmd,
                    "  kubectl mesh retry set reviews -n bookstore --attempts 3 --per-try-timeout "
                    "2s --retry-on 5xx\n"
                    "  kubectl mesh retry set reviews --attempts 5 --retry-on "
                    "gateway-error,connect-failure,503 --dry-run=server\n");
  bind(set_cmd, ctx, result, set, run_retry_set);

  auto clear = std::make_shared<RouteEditOptions>();
  auto* clear_cmd = retry->add_subcommand(
      "clear",
      "Remove a route's retry policy (Istio's default then applies: 2 attempts on connect-failure,"
      " refused-stream, unavailable, cancelled, 503)");
  add_common(*clear_cmd, *clear);
  cli::set_examples(*clear_cmd, "  kubectl mesh retry clear reviews -n bookstore\n");
  bind(clear_cmd, ctx, result, clear, run_retry_clear);

  auto* timeout = root.add_subcommand("timeout", "Request timeout of a Service's route");
  timeout->require_subcommand(1);
  auto tset = std::make_shared<TimeoutSetOptions>();
  auto* tset_cmd =
      timeout->add_subcommand("set", "Fail a route's requests that take longer than DURATION");
  add_common(*tset_cmd, *tset);
  tset_cmd->add_option("DURATION", tset->timeout, "Such as 10s, 500ms or 1m30s (at least 1ms)")
      ->required();
  cli::set_examples(*tset_cmd, "  kubectl mesh timeout set reviews 10s -n bookstore\n");
  bind(tset_cmd, ctx, result, tset, run_timeout_set);

  auto tclear = std::make_shared<RouteEditOptions>();
  auto* tclear_cmd =
      timeout->add_subcommand("clear", "Remove a route's timeout (Istio's default: none)");
  add_common(*tclear_cmd, *tclear);
  cli::set_examples(*tclear_cmd, "  kubectl mesh timeout clear reviews -n bookstore\n");
  bind(tclear_cmd, ctx, result, tclear, run_timeout_clear);
}

}  // namespace kmesh::commands
