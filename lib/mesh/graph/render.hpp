#pragma once
// Printing a Graph: Graphviz DOT, Mermaid, SVG (through Graphviz's `dot`), and one
// self-contained HTML page (inline SVG laid out here, no script, no network).

#include <string>

#include "lib/core/result.hpp"
#include "lib/mesh/graph/graph.hpp"

namespace kmesh::mesh::graph {

/// Graphviz DOT: Services as clusters holding their subsets.
std::string to_dot(const Graph& g);
/// A Mermaid flowchart (left to right), Services as subgraphs.
std::string to_mermaid(const Graph& g);
/// A standalone HTML page: the graph as inline SVG, and a table of every edge.
std::string to_html(const Graph& g, const std::string& title);
/// SVG rendered by Graphviz's `dot` (found on PATH, run without a shell). When it is not
/// installed, an error (exit 1) says how to install it.
Result<std::string> render_svg(const std::string& dot_text);

/// "12.5 req/s, 2.0% 5xx" for an edge's traffic.
std::string describe_traffic(const Traffic& t);

}  // namespace kmesh::mesh::graph
