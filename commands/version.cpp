// kubectl mesh version: what this binary is, what the cluster runs, which Istio is in it.

#include "lib/mesh/version.hpp"

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace kmesh::commands {
namespace {

struct VersionOptions {
  bool client_only = false;
  std::string output;
};

void print_text(std::ostream& out, const Json& info) {
  const Json& c = info["clientVersion"];
  out << "Client Version: v" << c["version"].get<std::string>() << " (commit "
      << c["gitCommit"].get<std::string>() << ")\n";
  out << "Istio Version (pinned): " << c["istioVersion"].get<std::string>() << '\n';
  out << "Supported Kubernetes: " << c["kubernetes"]["min"].get<std::string>() << " to "
      << c["kubernetes"]["max"].get<std::string>() << '\n';
  if (info.contains("serverVersion"))
    out << "Server Version: " << info["serverVersion"].value("gitVersion", "") << '\n';
  if (info.contains("meshVersion")) {
    if (info["meshVersion"].empty()) out << "Istio in cluster: not installed\n";
    for (const auto& m : info["meshVersion"])
      out << "Istio in cluster: " << m.value("version", "") << " (revision "
          << m.value("revision", "") << ")\n";
  }
}

Status run_version(const VersionOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto format,
                         cli::parse_format(opts.output, {cli::Format::kYaml, cli::Format::kJson}));
  Json info = {{"clientVersion", mesh::client_version()}};
  if (!opts.client_only) {
    KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
    KMESH_ASSIGN_OR_RETURN(info["serverVersion"],
                           client->get_json("/version", "reading the server version"));
    KMESH_ASSIGN_OR_RETURN(info["meshVersion"], mesh::installed_versions(*client));
  }
  if (format == cli::Format::kDefault)
    print_text(ctx.io.out, info);
  else
    cli::print_value(ctx.io.out, info, format);
  return {};
}

}  // namespace

void register_version(CLI::App& root, cli::Context& ctx, Status& result) {
  auto opts = std::make_shared<VersionOptions>();
  auto* cmd =
      root.add_subcommand("version", "Print the client, server and installed Istio versions");
  cmd->add_flag("--client", opts->client_only,
                "Only the client's version; do not contact the cluster");
  cli::add_output_flag(*cmd, opts->output, "yaml, json");
  cli::set_examples(*cmd,
                    "  kubectl mesh version\n"
                    "  kubectl mesh version --client -o json\n");
  bind(cmd, ctx, result, opts, run_version);
}

}  // namespace kmesh::commands
