// kubectl mesh analyze: finds mistakes in Istio and Kubernetes objects, in files, on the
// cluster, or in files as if applied on top of the cluster. The checks are pure functions in
// lib/mesh/analyze; this file turns flags into a World and a Report into output.

#include <chrono>

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/analyze/loader.hpp"

namespace kmesh::commands {
namespace {

namespace az = mesh::analyze;

struct AnalyzeOptions {
  std::vector<std::string> files;
  bool recursive = false;
  bool use_cluster = false;
  bool all_namespaces = false;
  std::string output;
  std::vector<std::string> suppress;
  std::string fail_on = "error";
};

// "parse: 812 ms" lines at -v 2, so a slow run shows where its time goes.
class PhaseTimer {
 public:
  void done(const std::string& phase) {
    auto now = std::chrono::steady_clock::now();
    log::at(2,
            phase + ": " +
                std::to_string(
                    std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count()) +
                " ms");
    start_ = now;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::string plural(int n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string summary(const az::Report& r) {
  return plural(r.count(az::Severity::kError), "error") + ", " +
         plural(r.count(az::Severity::kWarning), "warning") + ", " +
         std::to_string(r.count(az::Severity::kInfo)) + " info in " + plural(r.objects, "object") +
         (r.suppressed ? " (" + std::to_string(r.suppressed) + " suppressed)" : "");
}

std::string location(const std::string& source, int line) {
  return source.empty() ? "cluster" : source + ":" + std::to_string(line);
}

Json report_json(const az::Report& r) {
  Json findings = Json::array(), unresolved = Json::array();
  for (const auto& f : r.findings) {
    Json j = {{"code", f.code},        {"severity", az::severity_name(f.severity)},
              {"kind", f.object.kind}, {"namespace", f.object.ns},
              {"name", f.object.name}, {"message", f.message}};
    if (!f.source.empty()) j["file"] = f.source, j["line"] = f.line;
    findings.push_back(std::move(j));
  }
  for (const auto& u : r.unresolved) {
    Json j = {{"kind", u.object.kind},
              {"namespace", u.object.ns},
              {"name", u.object.name},
              {"reference", u.reference}};
    if (!u.source.empty()) j["file"] = u.source, j["line"] = u.line;
    unresolved.push_back(std::move(j));
  }
  Json counts = {{"objects", r.objects},
                 {"errors", r.count(az::Severity::kError)},
                 {"warnings", r.count(az::Severity::kWarning)},
                 {"info", r.count(az::Severity::kInfo)},
                 {"suppressed", r.suppressed}};
  return {{"findings", findings}, {"unresolved", unresolved}, {"summary", counts}};
}

void print_table_report(cli::Context& ctx, const az::Report& r) {
  if (r.findings.empty()) {
    ctx.io.out << "No findings: " << summary(r) << ".\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : r.findings)
      rows.push_back({az::severity_name(f.severity), f.code, f.object.display(),
                      location(f.source, f.line), f.message});
    cli::print_table(ctx.io.out, {"SEVERITY", "CODE", "OBJECT", "WHERE", "MESSAGE"}, rows);
    ctx.io.out << "\n" << summary(r) << ".\n";
  }
  if (ctx.flags.verbosity < 1 || r.unresolved.empty()) return;
  ctx.io.err << "Unresolved references (not in the input; checked only with --use-cluster):\n";
  for (const auto& u : r.unresolved)
    ctx.io.err << "  " << u.object.display() << " (" << location(u.source, u.line)
               << "): " << u.reference << '\n';
}

Status run_analyze(const AnalyzeOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(o.output, {cli::Format::kTable, cli::Format::kJson, cli::Format::kYaml}));
  if (o.fail_on != "error" && o.fail_on != "warning")
    return usage_error("--fail-on \"" + o.fail_on + "\": expected error or warning");
  az::AnalyzeOptions options;
  for (const auto& s : o.suppress) {
    KMESH_ASSIGN_OR_RETURN(auto parsed, az::parse_suppression(s));
    options.suppress.push_back(std::move(parsed));
  }
  bool cluster = o.use_cluster || o.files.empty();
  if (o.all_namespaces && !cluster)
    return usage_error("-A goes with the cluster: add --use-cluster");
  if (o.all_namespaces && !ctx.flags.kube.namespace_.empty())
    return usage_error("pass -n NAMESPACE or -A, not both");
  PhaseTimer timer;
  std::vector<Document> docs;
  if (!o.files.empty()) {
    KMESH_ASSIGN_OR_RETURN(docs, kube::load_objects(o.files, ctx.io.in, o.recursive));
    timer.done("parse " + plural(static_cast<int>(docs.size()), "object"));
  }
  az::World world;
  std::string default_ns =
      ctx.flags.kube.namespace_.empty() ? "default" : ctx.flags.kube.namespace_;
  if (cluster) {
    KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
    KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
    default_ns = client->default_namespace();
    std::vector<std::string> notes;
    KMESH_TRY(
        az::add_cluster_objects(world, *client, *discovery, {default_ns, o.all_namespaces}, notes));
    for (const auto& n : notes)
      ctx.io.err << "Note: " << n << '\n';
    timer.done("read the cluster");
  }
  az::add_documents(world, std::move(docs), default_ns);
  timer.done("build the world");
  az::Report report = az::analyze(world, options);
  timer.done("checks");
  if (format == cli::Format::kJson || format == cli::Format::kYaml)
    cli::print_value(ctx.io.out, report_json(report), format);
  else
    print_table_report(ctx, report);
  timer.done("print");
  az::Severity threshold = o.fail_on == "warning" ? az::Severity::kWarning : az::Severity::kError;
  if (!report.fails(threshold)) return {};
  return Error{ErrorKind::kFindings, "analyze found " + summary(report)};
}

}  // namespace

void register_analyze(CLI::App& root, cli::Context& ctx, Status& result) {
  auto o = std::make_shared<AnalyzeOptions>();
  auto* cmd = root.add_subcommand("analyze",
                                  "Find mistakes in Istio and Kubernetes objects: in files "
                                  "(offline), on the cluster, or files as if"
                                  " applied on top of the cluster. Exit 3 when an Error is found "
                                  "(or a Warning, with --fail-on warning)");
  cmd->add_option("-f,--filename", o->files,
                  "File, directory or - for stdin (repeatable); without -f, the cluster");
  cmd->add_flag("-R,--recursive", o->recursive, "Read directories given with -f recursively");
  cmd->add_flag("--use-cluster", o->use_cluster,
                "Also read the cluster (-n or the context's namespace, or -A), with the files "
                "applied on top");
  cmd->add_flag("-A,--all-namespaces", o->all_namespaces, "Analyze every namespace of the cluster");
  cmd->add_option("--suppress", o->suppress,
                  "Silence a finding: CODE=KIND/NAME or CODE=KIND/NAMESPACE/NAME, '*' as a "
                  "wildcard (repeatable)");
  cmd->add_option("--fail-on", o->fail_on,
                  "Lowest severity that makes the exit status 3: error or warning")
      ->capture_default_str();
  cli::add_output_flag(*cmd, o->output, "table (default), json, yaml");
  cli::set_examples(
      *cmd,
      "  kubectl mesh analyze -f tests/analyze/upstream/istio -o json\n"
      "  kubectl mesh kustomize kustomize-templates/bookstore/overlays/mesh | kubectl mesh analyze "
      "-f -\n"
      "  kubectl mesh analyze -n bookstore-servicemesh\n"
      "  kubectl mesh analyze -f new-routes.yaml --use-cluster -n bookstore-servicemesh -o json\n"
      "  kubectl mesh analyze -A --fail-on warning --suppress 'KM0304=Service/*'\n");
  bind(cmd, ctx, result, o, run_analyze);
}

}  // namespace kmesh::commands
