// One self-contained HTML page: the graph drawn as inline SVG with a simple layered layout
// (entry points, VirtualServices, Services with their subsets), then every edge in a table.
// No script and no network, so it opens anywhere, offline.

#include <algorithm>
#include <cstdio>
#include <map>

#include "lib/core/strings.hpp"
#include "lib/mesh/graph/render.hpp"

namespace kmesh::mesh::graph {
namespace {

constexpr double kColumnX[] = {20, 340, 820};
constexpr double kWidth = 1120;
constexpr double kBoxWidth = 280, kLine = 16, kPad = 8, kGap = 18, kSubsetHeight = 26;

struct Box {
  double x = 0, y = 0, w = kBoxWidth, h = 0;
};

std::string xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

int column_of(NodeKind k) {
  if (k == NodeKind::kGateway || k == NodeKind::kMesh) return 0;
  if (k == NodeKind::kVirtualService) return 1;
  return 2;
}

const char* fill_of(NodeKind k) {
  switch (k) {
    case NodeKind::kGateway:
      return "#dbeafe";
    case NodeKind::kMesh:
      return "#e5e7eb";
    case NodeKind::kVirtualService:
      return "#fef3c7";
    case NodeKind::kSubset:
      return "#bbf7d0";
    case NodeKind::kExternal:
      return "#ffffff";
    default:
      return "#ecfdf5";
  }
}

std::vector<std::string> lines_of(const Node& n) {
  std::vector<std::string> lines = {n.name};
  lines.push_back(kind_name(n.kind) + (n.ns.empty() ? "" : " in " + n.ns));
  for (const auto& d : n.details)
    lines.push_back(d);
  return lines;
}

class Layout {
 public:
  explicit Layout(const Graph& g) : g_(g) {
    std::map<std::string, std::vector<const Node*>> subsets;
    for (const auto& n : g.nodes)
      if (n.kind == NodeKind::kSubset) subsets[n.parent].push_back(&n);
    double y[3] = {60, 60, 60};
    for (const auto& n : g.nodes) {
      if (n.kind == NodeKind::kSubset) continue;
      int c = column_of(n.kind);
      Box b{kColumnX[c], y[c], kBoxWidth, kPad * 2 + kLine * lines_of(n).size()};
      header_[n.id] = b;
      for (const Node* s : subsets[n.id]) {
        boxes_[s->id] = {b.x + 24, b.y + b.h, kBoxWidth - 32, kSubsetHeight};
        b.h += kSubsetHeight + kPad;
      }
      if (!subsets[n.id].empty()) b.h += kPad;
      boxes_[n.id] = b;
      y[c] += b.h + kGap;
    }
    height_ = std::max({y[0], y[1], y[2]}) + 20;
  }

  std::string svg() const {
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) +
                      "\" height=\"" + num(height_) + "\" viewBox=\"0 0 " + num(kWidth) + " " +
                      num(height_) + "\" role=\"img\" aria-label=\"mesh graph\">\n";
    out +=
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
        "markerHeight=\"7\""
        " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" "
        "fill=\"#475569\"/></marker></defs>\n";
    const char* titles[] = {"Entry", "VirtualServices", "Services and subsets"};
    for (int c = 0; c < 3; ++c)
      out += "<text class=\"column\" x=\"" + num(kColumnX[c]) + "\" y=\"30\">" + titles[c] +
             "</text>\n";
    for (const auto& n : g_.nodes)
      out += node_svg(n);
    for (const auto& e : g_.edges)
      out += edge_svg(e);
    return out + "</svg>\n";
  }

 private:
  std::string node_svg(const Node& n) const {
    const Box& b = boxes_.at(n.id);
    std::string out = "<g class=\"node " + to_lower(kind_name(n.kind)) + "\">";
    out += "<rect x=\"" + num(b.x) + "\" y=\"" + num(b.y) + "\" width=\"" + num(b.w) +
           "\" height=\"" + num(b.h) + "\" rx=\"8\" fill=\"" + fill_of(n.kind) +
           "\" stroke=\"#334155\"" +
           (n.kind == NodeKind::kExternal ? " stroke-dasharray=\"4 3\"" : "") + "/>";
    std::vector<std::string> lines =
        n.kind == NodeKind::kSubset ? std::vector<std::string>{"subset " + n.name} : lines_of(n);
    for (size_t i = 0; i < lines.size(); ++i)
      out += "<text x=\"" + num(b.x + 10) + "\" y=\"" + num(b.y + kPad + kLine * (i + 0.8)) + "\"" +
             (i == 0 ? " class=\"name\"" : "") + ">" + xml(lines[i]) + "</text>";
    return out + "</g>\n";
  }

  std::string edge_svg(const Edge& e) const {
    auto from = header_.count(e.from) ? header_.at(e.from) : boxes_.at(e.from);
    auto to = header_.count(e.to) ? header_.at(e.to) : boxes_.at(e.to);
    double x1 = from.x + from.w, y1 = from.y + from.h / 2, x2 = to.x, y2 = to.y + to.h / 2;
    double mid = (x1 + x2) / 2;
    std::string out = "<g class=\"edge\"><path d=\"M " + num(x1) + " " + num(y1) + " C " +
                      num(mid) + " " + num(y1) + ", " + num(mid) + " " + num(y2) + ", " + num(x2) +
                      " " + num(y2) +
                      "\" fill=\"none\" stroke=\"#475569\" marker-end=\"url(#arrow)\"/>";
    std::string label = e.labels.empty() ? "" : e.labels.front();
    if (e.traffic) label += " | " + describe_traffic(*e.traffic);
    out += "<text class=\"edge-label\" x=\"" + num(x2 - 6) + "\" y=\"" + num(y2 - 4) +
           "\" text-anchor=\"end\">" + xml(label) + "</text>";
    return out + "</g>\n";
  }

  const Graph& g_;
  std::map<std::string, Box> boxes_, header_;
  double height_ = 0;
};

std::string display(const Graph& g, const std::string& id) {
  const Node* n = g.node(id);
  if (!n) return id;
  if (n->kind == NodeKind::kSubset) {
    const Node* parent = g.node(n->parent);
    return (parent ? parent->name + "." + parent->ns : "") + " subset " + n->name;
  }
  return kind_name(n->kind) + " " + (n->ns.empty() ? n->name : n->ns + "/" + n->name);
}

}  // namespace

std::string to_html(const Graph& g, const std::string& title) {
  int counts[6] = {};
  for (const auto& n : g.nodes)
    ++counts[static_cast<int>(n.kind)];
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      xml(title) +
      "</title>\n<style>\nbody{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#0f172a}\n"
      "svg text{font-size:12px;fill:#0f172a}\nsvg text.name{font-weight:bold;font-size:13px}\n"
      "svg text.column{font-weight:bold;font-size:14px;fill:#475569}\nsvg "
      "text.edge-label{font-size:10px;fill:#334155;paint-order:stroke;stroke:#fff;stroke-width:3px}"
      "\n"
      "table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #cbd5e1;padding:4px "
      "8px;font-size:13px;"
      "text-align:left;vertical-align:top}th{background:#f1f5f9}\n</style>\n</head>\n<body>\n<h1>" +
      xml(title) + "</h1>\n<p>" + std::to_string(counts[static_cast<int>(NodeKind::kGateway)]) +
      " gateway(s), " + std::to_string(counts[static_cast<int>(NodeKind::kVirtualService)]) +
      " VirtualService(s), " + std::to_string(counts[static_cast<int>(NodeKind::kService)]) +
      " Service(s), " + std::to_string(counts[static_cast<int>(NodeKind::kSubset)]) +
      " subset(s)</p>\n";
  out += Layout(g).svg();
  out +=
      "<h2>Edges</h2>\n<table>\n<tr><th>From</th><th>To</th><th>Match</th><th>Policies</"
      "th><th>Traffic</th></tr>\n";
  for (const auto& e : g.edges) {
    std::vector<std::string> rest(e.labels.begin() + (e.labels.empty() ? 0 : 1), e.labels.end());
    out += "<tr><td>" + xml(display(g, e.from)) + "</td><td>" + xml(display(g, e.to)) +
           "</td><td>" + xml(e.labels.empty() ? "" : e.labels.front()) + "</td><td>" +
           xml(join(rest, "; ")) + "</td><td>" +
           (e.traffic ? xml(describe_traffic(*e.traffic)) : "") + "</td></tr>\n";
  }
  return out + "</table>\n</body>\n</html>\n";
}

}  // namespace kmesh::mesh::graph
