#pragma once
// What the traffic policy commands (route, retry, timeout, breaker, fault, policy) share:
// their flag groups and the one runner that performs an edit and prints its outcome.

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "cli/context.hpp"
#include "lib/core/result.hpp"
#include "lib/mesh/policy/editor.hpp"

namespace kmesh::commands::policy_cli {

/// --dry-run, --diff and -o, on every command that writes.
struct WriteFlags {
  std::string dry_run = "none";
  bool diff = false;
  std::string output;
};

/// --gateway, --route and --route-index, on commands that edit one route.
struct RouteFlags {
  std::string gateway;
  std::optional<std::string> route, route_index;
};

void add_write_flags(CLI::App& cmd, WriteFlags& flags);
void add_gateway_flag(CLI::App& cmd, RouteFlags& flags);
void add_route_flags(CLI::App& cmd, RouteFlags& flags);
/// A flag whose absence matters: the value is set only when the flag is given.
CLI::Option* add_optional(CLI::App& cmd, const std::string& name, std::optional<std::string>& value,
                          const std::string& help);

/// The route --route / --route-index pick (neither: the default route).
Result<mesh::policy::RouteSelector> route_selector(const RouteFlags& flags);
/// Checks --subset-label as a Kubernetes label key.
Status check_label_key(const std::string& key);

/// The Service named on the command line, in -n's namespace (or the context's).
Result<mesh::policy::ServiceRef> service_ref(cli::Context& ctx, const std::string& name);

/// Checks the write flags, performs the edit and prints what was (or would be) written:
/// kubectl-style lines, -o yaml|json|name, the objects of a dry run, or a diff.
Status run_edit(cli::Context& ctx, const WriteFlags& flags, mesh::policy::EditRequest request);

/// Reads the Services, VirtualServices and DestinationRules of -n's namespace (of all
/// namespaces with `all_namespaces`). With a Service name, sets `only` to it after
/// checking that it exists (a usage error otherwise).
Result<mesh::policy::PolicyObjects> read_objects(cli::Context& ctx, const std::string& service,
                                                 bool all_namespaces,
                                                 std::optional<mesh::policy::ServiceRef>& only);

/// An edit of one route that needs only the route itself (retries, timeout, fault).
using RouteOnlyEdit = std::function<Result<Json>(Json route)>;

/// The edit of the route --route/--route-index/--gateway pick in SERVICE's VirtualService:
/// checks every flag, performs it and prints the outcome (run_edit). `create` is false for
/// the clear commands, which never create a VirtualService.
Status run_route_edit(cli::Context& ctx, const std::string& service, const RouteFlags& route,
                      const WriteFlags& write, RouteOnlyEdit edit, bool create);

/// Parses the write flags alone (so commands can fail on them before anything else).
Status check_write_flags(const WriteFlags& flags);

}  // namespace kmesh::commands::policy_cli
