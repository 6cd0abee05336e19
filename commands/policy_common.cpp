#include "commands/policy_common.hpp"

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "lib/core/strings.hpp"
#include "lib/mesh/policy/diff.hpp"
#include "lib/mesh/policy/durations.hpp"
#include "lib/yaml/emit.hpp"

namespace kmesh::commands::policy_cli {
namespace {

using mesh::policy::ObjectOutcome;

const std::vector<cli::Format> kWriteFormats = {cli::Format::kYaml, cli::Format::kJson,
                                                cli::Format::kName};

Json for_print(const Json& object) {
  if (object.is_null()) return object;
  Json copy = object;
  if (copy.contains("metadata")) copy["metadata"].erase("managedFields");
  return copy;
}

std::string yaml_text(const Json& object) {
  return object.is_null() ? std::string() : yaml::emit(mesh::policy::strip_server_fields(object));
}

std::string suffix(kube::DryRun dry_run) {
  switch (dry_run) {
    case kube::DryRun::kClient:
      return " (dry run)";
    case kube::DryRun::kServer:
      return " (server dry run)";
    default:
      return "";
  }
}

std::string word(ObjectOutcome::Kind kind) {
  switch (kind) {
    case ObjectOutcome::Kind::kCreated:
      return "created";
    case ObjectOutcome::Kind::kConfigured:
      return "configured";
    default:
      return "unchanged";
  }
}

void print_diff(cli::Context& ctx, const ObjectOutcome& o, bool server) {
  const Json& after = server ? o.stored : o.after;
  std::string before_name = o.before.is_null() ? "/dev/null" : "live/" + o.display;
  std::string text = mesh::policy::unified_diff(yaml_text(o.before), yaml_text(after), before_name,
                                                "edited/" + o.display);
  ctx.io.out << text;
}

}  // namespace

void add_write_flags(CLI::App& cmd, WriteFlags& flags) {
  cli::add_dry_run_flag(cmd, flags.dry_run);
  cmd.add_flag(
      "--diff", flags.diff,
      "Print a unified diff of the live object against the edited one, and change nothing");
  cli::add_output_flag(cmd, flags.output, "yaml, json, name (what was written)");
}

void add_gateway_flag(CLI::App& cmd, RouteFlags& flags) {
  cmd.add_option("--gateway", flags.gateway,
                 "Edit the VirtualService bound to this Gateway (NAME or NAMESPACE/NAME) instead "
                 "of the mesh one");
}

void add_route_flags(CLI::App& cmd, RouteFlags& flags) {
  add_gateway_flag(cmd, flags);
  add_optional(cmd, "--route", flags.route,
               "Edit the HTTP route with this name (default: the route without a match)");
  add_optional(cmd, "--route-index", flags.route_index,
               "Edit the HTTP route at this position, from 0 (see 'kubectl mesh route show')");
}

CLI::Option* add_optional(CLI::App& cmd, const std::string& name, std::optional<std::string>& value,
                          const std::string& help) {
  return cmd.add_option_function<std::string>(
      name, [&value](const std::string& v) { value = v; }, help);
}

Result<mesh::policy::RouteSelector> route_selector(const RouteFlags& flags) {
  mesh::policy::RouteSelector sel;
  if (flags.route && flags.route_index)
    return usage_error("give --route NAME or --route-index N, not both");
  if (flags.route) {
    if (flags.route->empty())
      return usage_error("--route \"\" : expected the name of an HTTP route");
    sel.name = *flags.route;
  }
  if (flags.route_index) {
    KMESH_ASSIGN_OR_RETURN(auto index,
                           mesh::policy::parse_count("--route-index", *flags.route_index));
    sel.index = index;
  }
  return sel;
}

Status check_label_key(const std::string& key) {
  auto fail = [&] {
    return usage_error("--subset-label \"" + key +
                       "\" : expected a label key such as version or app.kubernetes.io/version");
  };
  std::string name = key.substr(key.find('/') == std::string::npos ? 0 : key.find('/') + 1);
  std::string prefix = key.size() > name.size() ? key.substr(0, key.size() - name.size() - 1) : "";
  if (name.empty() || name.size() > 63 || prefix.size() > 253) return fail();
  if (!std::isalnum(static_cast<unsigned char>(name.front())) ||
      !std::isalnum(static_cast<unsigned char>(name.back())))
    return fail();
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return fail();
  for (char c : prefix)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'))
      return fail();
  if (key.find('/') != std::string::npos && prefix.empty()) return fail();
  return {};
}

Result<mesh::policy::ServiceRef> service_ref(cli::Context& ctx, const std::string& name) {
  if (name.empty()) return usage_error("expected the name of a Service");
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  return mesh::policy::ServiceRef{name, client->default_namespace()};
}

Result<mesh::policy::PolicyObjects> read_objects(cli::Context& ctx, const std::string& service,
                                                 bool all_namespaces,
                                                 std::optional<mesh::policy::ServiceRef>& only) {
  if (!service.empty() && all_namespaces) return usage_error("give a SERVICE or -A, not both");
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  std::string ns = all_namespaces ? "" : client->default_namespace();
  KMESH_ASSIGN_OR_RETURN(auto objects, mesh::policy::read_policy_objects(*client, *discovery, ns));
  if (!service.empty()) {
    only = mesh::policy::ServiceRef{service, ns};
    bool found = false;
    for (const auto& s : objects.services)
      found = found || s["metadata"].value("name", "") == service;
    if (!found)
      return usage_error("service \"" + service + "\" not found in namespace " + ns +
                         ": the policy commands take the name of a Kubernetes Service");
  }
  return objects;
}

Status check_write_flags(const WriteFlags& flags) {
  KMESH_TRY(kube::parse_dry_run(flags.dry_run));
  KMESH_TRY(cli::parse_format(flags.output, kWriteFormats));
  return {};
}

Status run_edit(cli::Context& ctx, const WriteFlags& flags, mesh::policy::EditRequest request) {
  KMESH_ASSIGN_OR_RETURN(auto dry_run, kube::parse_dry_run(flags.dry_run));
  KMESH_ASSIGN_OR_RETURN(auto format, cli::parse_format(flags.output, kWriteFormats));
  request.dry_run = dry_run;
  request.preview = flags.diff && dry_run != kube::DryRun::kServer;
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  KMESH_ASSIGN_OR_RETURN(auto report, mesh::policy::edit_policy(*client, *discovery, request));
  for (const auto& w : report.warnings)
    ctx.io.err << "Warning: " << w << '\n';
  std::vector<Json> objects;
  for (const auto& o : report.objects) {
    if (o.kind == ObjectOutcome::Kind::kAbsent) {
      ctx.io.err << "no " << o.kind_name << " for " << request.service.display()
                 << ": nothing to clear\n";
      continue;
    }
    if (flags.diff) {
      print_diff(ctx, o, dry_run == kube::DryRun::kServer);
      continue;
    }
    // Dry runs print the objects unless told otherwise: that is what they are for.
    cli::Format shown = format == cli::Format::kDefault && dry_run != kube::DryRun::kNone
                            ? cli::Format::kYaml
                            : format;
    if (shown == cli::Format::kName)
      ctx.io.out << o.display << '\n';
    else if (shown == cli::Format::kYaml || shown == cli::Format::kJson)
      objects.push_back(for_print(dry_run == kube::DryRun::kClient ? o.after : o.stored));
    else
      ctx.io.out << o.display << ' ' << word(o.kind) << suffix(dry_run) << '\n';
  }
  if (!objects.empty())
    cli::print_objects(ctx.io.out, objects,
                       format == cli::Format::kJson ? cli::Format::kJson : cli::Format::kYaml);
  return {};
}

Status run_route_edit(cli::Context& ctx, const std::string& service_name, const RouteFlags& route,
                      const WriteFlags& write, RouteOnlyEdit edit, bool create) {
  KMESH_TRY(check_write_flags(write));
  KMESH_ASSIGN_OR_RETURN(auto selector, route_selector(route));
  KMESH_ASSIGN_OR_RETURN(auto service, service_ref(ctx, service_name));
  mesh::policy::EditRequest request;
  request.service = service;
  request.gateway = route.gateway;
  request.create = create;
  request.vs_edit = mesh::policy::on_route(
      std::move(selector),
      [edit = std::move(edit)](Json r, const mesh::policy::Destination&,
                               const mesh::policy::RouteScope&) { return edit(std::move(r)); });
  return run_edit(ctx, write, std::move(request));
}

}  // namespace kmesh::commands::policy_cli
