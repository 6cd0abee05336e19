#include "cli/output.hpp"

#include <algorithm>

#include "lib/core/strings.hpp"
#include "lib/yaml/emit.hpp"

namespace kmesh::cli {
namespace {

const std::vector<std::pair<Format, const char*>> kNames = {
    {Format::kYaml, "yaml"},   {Format::kJson, "json"}, {Format::kName, "name"},
    {Format::kTable, "table"}, {Format::kDot, "dot"},   {Format::kMermaid, "mermaid"},
    {Format::kSvg, "svg"},     {Format::kHtml, "html"}};

}  // namespace

std::string format_name(Format f) {
  for (const auto& [format, name] : kNames)
    if (format == f) return name;
  return "default";
}

Result<Format> parse_format(const std::string& value, const std::vector<Format>& allowed) {
  if (value.empty()) return Format::kDefault;
  for (Format f : allowed)
    if (format_name(f) == value) return f;
  std::vector<std::string> names;
  for (Format f : allowed)
    names.push_back(format_name(f));
  return usage_error("-o \"" + value +
                     "\" is not supported here; allowed formats: " + join(names, ", "));
}

void print_value(std::ostream& out, const Json& value, Format format) {
  if (format == Format::kJson)
    out << value.dump(4) << '\n';
  else
    out << yaml::emit(value);
}

void print_objects(std::ostream& out, const std::vector<Json>& objects, Format format) {
  if (objects.size() == 1) {
    print_value(out, objects.front(), format);
    return;
  }
  Json list = {{"apiVersion", "v1"},
               {"kind", "List"},
               {"items", objects},
               {"metadata", {{"resourceVersion", ""}}}};
  print_value(out, list, format);
}

void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(headers.size());
  for (size_t c = 0; c < headers.size(); ++c)
    width[c] = headers[c].size();
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      text += cells[c];
      if (c + 1 < cells.size()) text.append(width[c] - cells[c].size() + 3, ' ');
    }
    out << text << '\n';
  };
  line(headers);
  for (const auto& row : rows)
    line(row);
}

}  // namespace kmesh::cli
