// kubectl mesh graph: the topology from ingress gateways through VirtualService routes to
// Services and subsets, from files or the cluster, as DOT, Mermaid, SVG or one HTML page;
// with --prometheus, request rates and error ratios on the edges.

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "lib/kube/objects.hpp"
#include "lib/mesh/analyze/loader.hpp"
#include "lib/mesh/graph/prometheus.hpp"
#include "lib/mesh/graph/render.hpp"

namespace kmesh::commands {
namespace {

struct GraphOptions {
  std::vector<std::string> files;
  bool recursive = false;
  bool all_namespaces = false;
  std::string output;
  std::string prometheus;
  std::string time;
  std::string window = "5m";
};

Result<mesh::analyze::World> load_world(const GraphOptions& o, cli::Context& ctx) {
  mesh::analyze::World world;
  if (!o.files.empty()) {
    KMESH_ASSIGN_OR_RETURN(auto docs, kube::load_objects(o.files, ctx.io.in, o.recursive));
    mesh::analyze::add_documents(
        world, docs, ctx.flags.kube.namespace_.empty() ? "default" : ctx.flags.kube.namespace_);
    return world;
  }
  KMESH_ASSIGN_OR_RETURN(auto* client, ctx.client());
  KMESH_ASSIGN_OR_RETURN(auto* discovery, ctx.discovery());
  std::vector<std::string> notes;
  KMESH_TRY(mesh::analyze::add_cluster_objects(
      world, *client, *discovery, {client->default_namespace(), o.all_namespaces}, notes));
  for (const auto& n : notes)
    log::at(1, "Note: " + n);
  return world;
}

Status run_graph(const GraphOptions& o, cli::Context& ctx) {
  KMESH_ASSIGN_OR_RETURN(auto format,
                         cli::parse_format(o.output, {cli::Format::kDot, cli::Format::kMermaid,
                                                      cli::Format::kSvg, cli::Format::kHtml}));
  if (!o.files.empty() && o.all_namespaces)
    return usage_error("-f and -A do not go together: -A reads the cluster");
  if (!o.time.empty() && o.prometheus.empty()) return usage_error("--time goes with --prometheus");
  KMESH_TRY(mesh::graph::check_eval_time(o.time));
  KMESH_ASSIGN_OR_RETURN(auto world, load_world(o, ctx));
  auto graph = mesh::graph::build_graph(world);
  if (!o.prometheus.empty()) {
    KMESH_ASSIGN_OR_RETURN(auto timeout, ctx.request_timeout());
    auto url = mesh::graph::query_url(o.prometheus, mesh::graph::traffic_query(o.window), o.time);
    log::at(6, "GET " + url);
    KMESH_ASSIGN_OR_RETURN(auto body, mesh::graph::curl_get(timeout)(url));
    KMESH_ASSIGN_OR_RETURN(auto samples, mesh::graph::parse_traffic(body));
    mesh::graph::attach_traffic(graph, samples);
  }
  switch (format) {
    case cli::Format::kMermaid:
      ctx.io.out << mesh::graph::to_mermaid(graph);
      break;
    case cli::Format::kHtml:
      ctx.io.out << mesh::graph::to_html(graph, "kubectl mesh graph");
      break;
    case cli::Format::kSvg: {
      KMESH_ASSIGN_OR_RETURN(auto svg, mesh::graph::render_svg(mesh::graph::to_dot(graph)));
      ctx.io.out << svg;
      break;
    }
    default:
      ctx.io.out << mesh::graph::to_dot(graph);
  }
  return {};
}

}  // namespace

void register_graph(CLI::App& root, cli::Context& ctx, Status& result) {
  auto o = std::make_shared<GraphOptions>();
  auto* cmd = root.add_subcommand(
      "graph",
      "Draw the mesh: ingress gateways, VirtualService routes, Services and subsets, with weights, "
      "retries,"
      " timeouts and breakers on the edges (and request rates with --prometheus)");
  cmd->add_option("-f,--filename", o->files,
                  "File, directory or - for stdin (repeatable); without -f, the cluster");
  cmd->add_flag("-R,--recursive", o->recursive, "Read directories given with -f recursively");
  cmd->add_flag("-A,--all-namespaces", o->all_namespaces, "Every namespace of the cluster");
  cmd->add_option("--prometheus", o->prometheus,
                  "Prometheus base URL: put istio_requests_total rates on the edges");
  cmd->add_option("--time", o->time,
                  "Evaluate the rates at this time (RFC 3339 or Unix seconds; default now)");
  cmd->add_option("--window", o->window, "The rate window of the query")->capture_default_str();
  cli::add_output_flag(
      *cmd, o->output,
      "dot (default), mermaid, svg (needs Graphviz), html (one self-contained page)");
  cli::set_examples(*cmd,
                    "  kubectl mesh graph -n bookstore-servicemesh -o html > mesh.html\n"
                    "  kubectl mesh kustomize kustomize-templates/bookstore/overlays/mesh | "
                    "kubectl mesh graph -f - -o mermaid\n"
                    "  kubectl mesh graph -n bookstore-servicemesh --prometheus "
                    "http://127.0.0.1:9090 -o svg > mesh.svg\n");
  bind(cmd, ctx, result, o, run_graph);
}

}  // namespace kmesh::commands
