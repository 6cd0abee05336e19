// kubectl mesh tag set|list|remove: revision tags for moving namespaces between revisions.

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/mesh/tags.hpp"

namespace kmesh::commands {
namespace {

struct TagOptions {
  std::string tag;
  std::string revision;
  bool overwrite = false;
  bool force = false;
  std::string output;
};

Status run_tag_set(const TagOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  KMESH_TRY(mesh::set_tag(*client, *discovery, opts.tag, opts.revision, opts.overwrite));
  ctx.io.out << "✔ tag \"" << opts.tag << "\" now points at revision \"" << opts.revision
             << "\": namespaces labelled istio.io/rev=" << opts.tag
             << " get its sidecars on their next Pods\n";
  return {};
}

Status run_tag_list(const TagOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(
      auto format, cli::parse_format(
                       opts.output, {cli::Format::kTable, cli::Format::kJson, cli::Format::kYaml}));
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  KMESH_ASSIGN_OR_RETURN(auto tags, mesh::list_tags(*client, *discovery));
  if (format == cli::Format::kJson || format == cli::Format::kYaml) {
    Json out = Json::array();
    for (const auto& t : tags)
      out.push_back({{"tag", t.tag}, {"revision", t.revision}, {"namespaces", t.namespaces}});
    cli::print_value(ctx.io.out, out, format);
    return {};
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tags)
    rows.push_back({t.tag, t.revision, std::to_string(t.namespaces)});
  cli::print_table(ctx.io.out, {"TAG", "REVISION", "NAMESPACES"}, rows);
  return {};
}

Status run_tag_remove(const TagOptions& opts, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  KMESH_TRY(mesh::remove_tag(*client, *discovery, opts.tag, opts.force));
  ctx.io.out << "✔ tag \"" << opts.tag << "\" removed\n";
  return {};
}

}  // namespace

void register_tag(CLI::App& root, cli::Context& ctx, Status& result) {
  auto* tag = root.add_subcommand(
      "tag", "Revision tags: stable names namespaces use to pick a control plane");
  tag->require_subcommand(1);

  auto set_opts = std::make_shared<TagOptions>();
  auto* set = tag->add_subcommand("set", "Point a tag at a revision");
  set->add_option("TAG", set_opts->tag, "Tag name")->required();
  set->add_option("--revision", set_opts->revision, "Revision the tag points at")->required();
  set->add_flag("--overwrite", set_opts->overwrite, "Move an existing tag to this revision");
  cli::set_examples(*set, "  kubectl mesh tag set prod --revision canary --overwrite\n");
  bind(set, ctx, result, set_opts, run_tag_set);

  auto list_opts = std::make_shared<TagOptions>();
  auto* list =
      tag->add_subcommand("list", "List tags, their revisions and the namespaces using them");
  cli::add_output_flag(*list, list_opts->output, "table, json, yaml");
  cli::set_examples(*list, "  kubectl mesh tag list\n");
  bind(list, ctx, result, list_opts, run_tag_list);

  auto rm_opts = std::make_shared<TagOptions>();
  auto* rm = tag->add_subcommand("remove", "Remove a tag");
  rm->add_option("TAG", rm_opts->tag, "Tag name")->required();
  rm->add_flag("--force", rm_opts->force, "Remove it even while namespaces use it");
  cli::set_examples(*rm, "  kubectl mesh tag remove prod\n");
  bind(rm, ctx, result, rm_opts, run_tag_remove);
}

}  // namespace kmesh::commands
