// kubectl mesh status: one screen about the mesh. lib/mesh/status reads the cluster and
// builds the view; this file picks the scope from -n/-A and prints the view.

#include "lib/mesh/status/status.hpp"

#include <sstream>

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace kmesh::commands {
namespace {

namespace ms = mesh::status;

struct StatusOptions {
  bool all_namespaces = false;
  std::string output;
};

Result<ms::Scope> scope_of(const StatusOptions& o, const cli::Context& ctx) {
  const std::string& ns = ctx.flags.kube.namespace_;
  if (o.all_namespaces && !ns.empty()) return usage_error("pass -n NAMESPACE or -A, not both");
  if (o.all_namespaces) return ms::Scope{ms::Scope::kAll, ""};
  if (!ns.empty()) return ms::Scope{ms::Scope::kNamespace, ns};
  return ms::Scope{};
}

// A table indented under its section's heading, as kubectl describe lays out events.
void print_indented_table(std::ostream& out, const ms::Table& table) {
  std::ostringstream text;
  cli::print_table(text, table.headers, table.rows);
  std::istringstream lines(text.str());
  for (std::string l; std::getline(lines, l);)
    out << "  " << l << '\n';
}

void print_sections(std::ostream& out, const std::vector<ms::Section>& sections) {
  for (size_t i = 0; i < sections.size(); ++i) {
    out << (i ? "\n" : "") << sections[i].heading << ":\n";
    bool after_table = false;
    for (const auto& part : sections[i].parts) {
      if (part.table.headers.empty()) {
        out << "  " << part.line << '\n';
        after_table = false;
        continue;
      }
      if (after_table) out << '\n';
      print_indented_table(out, part.table);
      after_table = true;
    }
  }
}

// Notes about kinds the cluster does not serve repeat what the Istio section says.
void print_notes(cli::Context& ctx, const std::vector<std::string>& notes) {
  for (const auto& n : notes)
    if (n.find("does not serve") == std::string::npos || ctx.flags.verbosity >= 1)
      ctx.io.err << "Note: " << n << '\n';
}

Status run_status(const StatusOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format,
      cli::parse_format(o.output, {cli::Format::kTable, cli::Format::kJson, cli::Format::kYaml}));
  KMESH_ASSIGN_OR_RETURN(auto scope, scope_of(o, ctx));
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  std::vector<std::string> notes;
  KMESH_ASSIGN_OR_RETURN(auto view, ms::cluster_status(*client, *discovery, scope, notes));
  print_notes(ctx, notes);
  if (format == cli::Format::kJson || format == cli::Format::kYaml)
    cli::print_value(ctx.io.out, view, format);
  else
    print_sections(ctx.io.out, ms::table_sections(view));
  return {};
}

}  // namespace

void register_status(CLI::App& root, cli::Context& ctx, Status& result) {
  auto o = std::make_shared<StatusOptions>();
  auto* cmd = root.add_subcommand(
      "status",
      "One screen about the mesh: the Istio install and the health of istiod and the gateways, "
      "namespaces and their injection state, every Service's traffic policy, and the counts of "
      "analyze's findings. Without -n or -A: the namespaces labelled for injection or holding "
      "Istio objects. Exit 0 whatever analyze finds (kubectl mesh analyze exits 3 on errors)");
  cmd->add_flag("-A,--all-namespaces", o->all_namespaces, "Every namespace of the cluster");
  cli::add_output_flag(*cmd, o->output, "table (default), json, yaml");
  cli::set_examples(*cmd,
                    "  kubectl mesh status\n"
                    "  kubectl mesh status -n bookstore-servicemesh\n"
                    "  kubectl mesh status -n bookstore-servicemesh -o json\n"
                    "  kubectl mesh status -A -o yaml\n");
  bind(cmd, ctx, result, o, run_status);
}

}  // namespace kmesh::commands
