// DOT and Mermaid: text formats other tools render.

#include <cstdio>
#include <map>

#include "lib/core/strings.hpp"
#include "lib/mesh/graph/render.hpp"

namespace kmesh::mesh::graph {
namespace {

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Mermaid reads entity codes in quoted labels: quotes and markup must not leak through.
std::string mermaid_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '#':
        out += "#35;";
        break;
      case '|':
        out += "#124;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<std::string> node_lines(const Node& n) {
  std::vector<std::string> lines = {n.name};
  if (n.kind == NodeKind::kGateway || n.kind == NodeKind::kVirtualService)
    lines.push_back(kind_name(n.kind) + (n.ns.empty() ? "" : " in " + n.ns));
  for (const auto& d : n.details)
    lines.push_back(d);
  return lines;
}

std::vector<std::string> edge_lines(const Edge& e) {
  std::vector<std::string> lines = e.labels;
  if (e.traffic) lines.push_back(describe_traffic(*e.traffic));
  return lines;
}

const char* dot_shape(NodeKind k) {
  switch (k) {
    case NodeKind::kGateway:
      return "shape=house, fillcolor=\"#dbeafe\"";
    case NodeKind::kMesh:
      return "shape=ellipse, fillcolor=\"#e5e7eb\"";
    case NodeKind::kVirtualService:
      return "shape=box, fillcolor=\"#fef3c7\"";
    case NodeKind::kSubset:
      return "shape=box, fillcolor=\"#dcfce7\"";
    case NodeKind::kExternal:
      return "shape=box, style=\"dashed\", fillcolor=\"#ffffff\"";
    default:
      return "shape=box, fillcolor=\"#d1fae5\"";
  }
}

// Service id -> its subsets, for clusters and subgraphs.
std::map<std::string, std::vector<const Node*>> subsets_by_service(const Graph& g) {
  std::map<std::string, std::vector<const Node*>> out;
  for (const auto& n : g.nodes)
    if (n.kind == NodeKind::kSubset) out[n.parent].push_back(&n);
  return out;
}

}  // namespace

std::string describe_traffic(const Traffic& t) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f req/s, %.1f%% 5xx", t.rps, t.error_ratio * 100);
  return text;
}

std::string to_dot(const Graph& g) {
  std::string out =
      "digraph mesh {\n  rankdir=LR;\n  node [style=\"rounded,filled\", fontname=\"Helvetica\", "
      "fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  auto subsets = subsets_by_service(g);
  auto node_line = [&](const Node& n, const std::string& indent) {
    out += indent + n.id + " [label=\"" + dot_escape(join(node_lines(n), "\n")) + "\", " +
           dot_shape(n.kind) + "];\n";
  };
  for (const auto& n : g.nodes) {
    if (n.kind == NodeKind::kSubset) continue;
    if (n.kind != NodeKind::kService || !subsets.count(n.id)) {
      node_line(n, "  ");
      continue;
    }
    out += "  subgraph cluster_" + n.id + " {\n    label=\"" + dot_escape(n.name + "." + n.ns) +
           "\"; style=\"rounded\"; color=\"#059669\";\n";
    node_line(n, "    ");
    for (const Node* s : subsets[n.id])
      node_line(*s, "    ");
    out += "  }\n";
  }
  for (const auto& e : g.edges)
    out += "  " + e.from + " -> " + e.to + " [label=\"" + dot_escape(join(edge_lines(e), "\n")) +
           "\"];\n";
  return out + "}\n";
}

std::string to_mermaid(const Graph& g) {
  std::string out = "flowchart LR\n";
  auto subsets = subsets_by_service(g);
  auto node_line = [&](const Node& n, const std::string& indent) {
    std::vector<std::string> lines;
    for (const auto& l : node_lines(n))
      lines.push_back(mermaid_escape(l));
    // Appended, not "\"" + ...: GCC 12 at -O2 misreads the operator+ (bug 105329).
    std::string label = "\"";
    label += join(lines, "<br/>");
    label += "\"";
    switch (n.kind) {
      case NodeKind::kGateway:
        out += indent + n.id + "[/" + label + "\\]\n";
        break;
      case NodeKind::kMesh:
        out += indent + n.id + "([" + label + "])\n";
        break;
      default:
        out += indent + n.id + "[" + label + "]\n";
    }
  };
  for (const auto& n : g.nodes) {
    if (n.kind == NodeKind::kSubset) continue;
    if (n.kind != NodeKind::kService || !subsets.count(n.id)) {
      node_line(n, "  ");
      continue;
    }
    out += "  subgraph " + n.id + "_group[\"" + mermaid_escape(n.name + "." + n.ns) + "\"]\n";
    node_line(n, "    ");
    for (const Node* s : subsets[n.id])
      node_line(*s, "    ");
    out += "  end\n";
  }
  for (const auto& e : g.edges) {
    std::vector<std::string> lines;
    for (const auto& l : edge_lines(e))
      lines.push_back(mermaid_escape(l));
    out += "  " + e.from + " -->|\"" + join(lines, "<br/>") + "\"| " + e.to + "\n";
  }
  return out;
}

}  // namespace kmesh::mesh::graph
