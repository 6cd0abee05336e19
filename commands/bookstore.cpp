// kubectl mesh bookstore render|apply|delete|status: Fenix's Bookstore with or without
// sidecars, from the kustomize templates compiled into the binary.

#include <sys/stat.h>

#include <limits>

#include "cli/confirm.hpp"
#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/core/files.hpp"
#include "lib/core/time.hpp"
#include "lib/kube/objects.hpp"
#include "lib/kustomize/kustomize.hpp"
#include "lib/mesh/bookstore_ops.hpp"
#include "lib/mesh/readiness.hpp"

namespace kmesh::commands {
namespace {

// --replicas not given (any int a user can type is checked as given).
constexpr int kUnset = std::numeric_limits<int>::min();

struct BookstoreFlags {
  mesh::BookstoreOptions render;
  int replicas = kUnset;
  std::string output;
  std::string output_dir;
  std::string dry_run = "none";
  bool restart = false;
  bool wait = false;
  std::string timeout = "5m";
  bool yes = false;
};

void add_render_flags(CLI::App& cmd, BookstoreFlags& f) {
  cmd.add_option("--profile", f.render.profile,
                 "mesh (sidecars, mTLS, JWT) or dev (no sidecars, JDWP debug agent)")
      ->capture_default_str();
  cmd.add_option("--image-tag", f.render.image_tag, "Tag of the five bookstore images");
  cmd.add_option("--replicas", f.replicas, "Replicas of each Deployment");
  cmd.add_option("--canary", f.render.canary,
                 "SERVICE or SERVICE=TAG: add a version v2 Deployment and subset");
  cmd.add_option("--templates", f.render.templates_dir,
                 "A copy of kustomize-templates/ to render instead of the built-in one");
  cmd.add_option("--jwks-from", f.render.jwks_files,
                 "PEM keys or certificates whose public keys the RequestAuthentication trusts "
                 "instead of upstream's"
                 " (repeatable: several keys for rotation)");
  cmd.add_option(
      "--jwt-issuer", f.render.jwt_issuer,
      "The token issuer (iss) the RequestAuthentication accepts instead of icyfenix@gmail.com");
}

// -n moves the whole shop; without -n the shop keeps its own namespace (not the context's).
mesh::BookstoreOptions options_of(const BookstoreFlags& f, const cli::Context& ctx) {
  mesh::BookstoreOptions o = f.render;
  o.ns = ctx.flags.kube.namespace_;
  if (f.replicas != kUnset) o.replicas = f.replicas;
  return o;
}

Status write_output_dir(const std::string& dir, const std::vector<Json>& objects,
                        std::ostream& out) {
  ::mkdir(dir.c_str(), 0755);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return usage_error("--output-dir " + dir + ": not a directory");
  for (const auto& o : objects) {
    std::string path = dir + "/" + mesh::object_file_name(o);
    // A Secret (from a --templates secretGenerator) is for its owner's eyes only.
    mode_t mode = kube::kind_of(o) == "Secret" ? kPrivateFileMode : kPublicFileMode;
    auto written = write_file_with_mode(path, kustomize::to_yaml({o}), mode);
    if (!written.ok()) return std::move(written).error().wrap("--output-dir");
    out << path << '\n';
  }
  return {};
}

Status run_render(const BookstoreFlags& f, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto format,
                         cli::parse_format(f.output, {cli::Format::kYaml, cli::Format::kJson}));
  KMESH_ASSIGN_OR_RETURN(auto objects, mesh::render_bookstore(options_of(f, ctx)));
  if (!f.output_dir.empty()) return write_output_dir(f.output_dir, objects, ctx.io.out);
  if (format == cli::Format::kJson)
    cli::print_objects(ctx.io.out, objects, format);
  else
    ctx.io.out << kustomize::to_yaml(objects);
  return {};
}

Status run_apply(const BookstoreFlags& f, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto dry_run, kube::parse_dry_run(f.dry_run));
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(f.output, {cli::Format::kYaml, cli::Format::kJson, cli::Format::kName}));
  auto timeout = parse_duration(f.timeout);
  if (!timeout || timeout->count() <= 0)
    return usage_error("--timeout=\"" + f.timeout + "\" must be a positive duration");
  auto options = options_of(f, ctx);
  KMESH_ASSIGN_OR_RETURN(auto objects, mesh::render_bookstore(options));
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  std::string ns = mesh::bookstore_namespace(options);
  KMESH_ASSIGN_OR_RETURN(
      auto report, mesh::apply_bookstore(*client, *discovery, objects, ns, dry_run, f.restart));
  if (!report.label_note.empty()) ctx.io.err << report.label_note << '\n';
  std::string suffix = dry_run == kube::DryRun::kClient   ? " (dry run)"
                       : dry_run == kube::DryRun::kServer ? " (server dry run)"
                                                          : "";
  std::vector<Json> printed;
  for (const auto& item : report.applied.items) {
    if (!item.error.empty()) ctx.io.err << "error: " << item.error << '\n';
    if (item.outcome != kube::Outcome::kApplied && item.outcome != kube::Outcome::kUnchanged)
      continue;
    if (format == cli::Format::kYaml || format == cli::Format::kJson)
      printed.push_back(item.live);
    else if (format == cli::Format::kName)
      ctx.io.out << item.display << '\n';
    else
      ctx.io.out << item.display
                 << (item.outcome == kube::Outcome::kUnchanged ? " unchanged"
                                                               : " serverside-applied")
                 << suffix << '\n';
  }
  if (!printed.empty()) cli::print_objects(ctx.io.out, printed, format);
  if (!report.applied.ok())
    return cluster_error("bookstore apply: " + report.applied.summary() +
                         "; running it again converges");
  for (const auto& p : report.pruned)
    (format == cli::Format::kDefault ? ctx.io.out : ctx.io.err) << p << " pruned" << suffix << '\n';
  for (const auto& r : report.restarted)
    ctx.io.err << r << " restarted\n";
  if (f.wait && dry_run == kube::DryRun::kNone) {
    std::vector<std::pair<std::string, std::string>> deployments;
    for (const auto& o : objects)
      if (o.value("kind", "") == "Deployment")
        deployments.emplace_back(ns, o["metadata"]["name"].get<std::string>());
    Progress progress = ctx.progress();
    KMESH_TRY(mesh::wait_for_deployments(*client, *discovery, deployments, *timeout,
                                         {progress.line_reporter(), progress.status_reporter()}));
  }
  return {};
}

Status run_delete(const BookstoreFlags& f, cli::Context& ctx) {
  auto options = options_of(f, ctx);
  KMESH_TRY(mesh::validate_bookstore_options(options));
  std::string ns = mesh::bookstore_namespace(options);
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  KMESH_ASSIGN_OR_RETURN(auto refs, mesh::bookstore_objects(*client, *discovery, ns));
  auto ns_info = discovery->find_kind("v1", "Namespace");
  KMESH_ASSIGN_OR_RETURN(auto live_ns, kube::get_object(*client, *ns_info, "", ns));
  bool ours = live_ns && kube::label_of(*live_ns, mesh::kBookstoreLabel) == "bookstore";
  if (ours) refs.push_back({*ns_info, "", ns});
  if (refs.empty()) {
    ctx.io.out << "nothing to delete: no bookstore objects in namespace " << ns << '\n';
    return {};
  }
  bool dry = f.dry_run != "none";
  if (!dry)
    KMESH_TRY(cli::confirm(ctx, f.yes,
                           "Delete the bookstore (" + std::to_string(refs.size()) +
                               " objects) from namespace " + ns + "?"));
  KMESH_TRY(kube::delete_objects(*client, refs, dry, std::chrono::minutes(2)));
  for (const auto& r : refs)
    ctx.io.out << r.display() << " deleted" << (dry ? " (server dry run)" : "") << '\n';
  return {};
}

Status run_status(const BookstoreFlags& f, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(f.output, {cli::Format::kTable, cli::Format::kJson, cli::Format::kYaml}));
  auto options = options_of(f, ctx);
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  KMESH_ASSIGN_OR_RETURN(
      auto status, mesh::bookstore_status(*client, *discovery, mesh::bookstore_namespace(options)));
  if (format == cli::Format::kJson || format == cli::Format::kYaml) {
    cli::print_value(ctx.io.out, status, format);
    return {};
  }
  ctx.io.out << "Namespace " << status["namespace"].get<std::string>() << ", sidecar injection "
             << status["injection"].get<std::string>() << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : status["services"]) {
    std::string ready, sidecar, routes;
    for (const auto& d : s["deployments"]) {
      ready += (ready.empty() ? "" : " ") + d["version"].get<std::string>() + ":" +
               std::to_string(d["ready"].get<int>()) + "/" +
               std::to_string(d["desired"].get<int>());
      sidecar = d["sidecarExpected"].get<bool>() ? "expected" : "no";
    }
    for (const auto& r : s["routes"])
      routes += (routes.empty() ? "" : ", ") + r["virtualService"].get<std::string>() + "[" +
                std::to_string(r["index"].get<int>()) + "]->" + r["subset"].get<std::string>() +
                " " + std::to_string(r["weight"].get<int>()) + "%";
    std::string service = s["service"].is_null() ? "missing" : s["service"]["ports"].dump();
    rows.push_back({s["name"], ready.empty() ? "missing" : ready, sidecar.empty() ? "-" : sidecar,
                    service, routes.empty() ? "-" : routes});
  }
  cli::print_table(ctx.io.out, {"SERVICE", "READY", "SIDECAR", "SERVICE PORTS", "ROUTES"}, rows);
  ctx.io.out << "\nReach the shop: " << status["access"].get<std::string>() << '\n';
  return {};
}

}  // namespace

void register_bookstore(CLI::App& root, cli::Context& ctx, Status& result) {
  auto* bookstore = root.add_subcommand(
      "bookstore", "Fenix's Bookstore: five Spring Boot services, with or without sidecars");
  bookstore->require_subcommand(1);

  auto r = std::make_shared<BookstoreFlags>();
  auto* render = bookstore->add_subcommand(
      "render", "Print the bookstore's objects (upstream's bookstore.yml / bookstore-dev.yml)");
  add_render_flags(*render, *r);
  cli::add_output_flag(*render, r->output, "yaml, json");
  render->add_option("--output-dir", r->output_dir, "Write one file per object there, for GitOps");
  cli::set_examples(
      *render,
      "  kubectl mesh bookstore render --profile dev > bookstore-dev.yaml\n"
      "  kubectl mesh bookstore render -n shop --canary payment=1.1 --output-dir gitops/\n"
      "  kubectl mesh bookstore render --jwks-from new.pem --jwks-from old.pem --jwt-issuer "
      "auth.example.com\n");
  bind(render, ctx, result, r, run_render);

  auto a = std::make_shared<BookstoreFlags>();
  auto* apply = bookstore->add_subcommand(
      "apply", "Apply the bookstore; switching profile prunes what the new one does not have");
  add_render_flags(*apply, *a);
  cli::add_output_flag(*apply, a->output, "yaml, json, name");
  cli::add_dry_run_flag(*apply, a->dry_run);
  apply->add_flag("--restart", a->restart,
                  "Restart workloads whose Pods' sidecar state no longer matches");
  apply->add_flag("--wait", a->wait, "Wait until the Deployments are Available");
  apply->add_option("--timeout", a->timeout, "How long --wait may take")->capture_default_str();
  cli::set_examples(
      *apply,
      "  kubectl mesh bookstore apply --profile mesh\n"
      "  kubectl mesh bookstore apply --profile dev --restart\n"
      "  kubectl mesh bookstore apply --canary payment --dry-run=server\n"
      "  kubectl mesh bookstore apply --jwks-from jwt-signing.crt --jwt-issuer auth.example.com\n");
  bind(apply, ctx, result, a, run_apply);

  auto d = std::make_shared<BookstoreFlags>();
  auto* del = bookstore->add_subcommand("delete", "Delete the bookstore and its namespace");
  del->add_option("--dry-run", d->dry_run, "server: ask the server, change nothing")
      ->expected(0, 1)
      ->default_str("none");
  del->add_flag("-y,--skip-confirmation", d->yes, "Do not ask (required without a terminal)");
  cli::set_examples(*del,
                    "  kubectl mesh bookstore delete -y\n  kubectl mesh bookstore delete -n shop "
                    "--dry-run=server\n");
  bind(del, ctx, result, d, run_delete);

  auto s = std::make_shared<BookstoreFlags>();
  auto* status = bookstore->add_subcommand(
      "status", "Per service: readiness, sidecars, Service, routes; and how to reach the shop");
  cli::add_output_flag(*status, s->output, "table, json, yaml");
  cli::set_examples(
      *status,
      "  kubectl mesh bookstore status\n  kubectl mesh bookstore status -n shop -o json\n");
  bind(status, ctx, result, s, run_status);
}

}  // namespace kmesh::commands
