#pragma once
// The one implementation of -o shared by every command.

#include <ostream>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::cli {

enum class Format { kDefault, kYaml, kJson, kName, kTable, kDot, kMermaid, kSvg, kHtml };

/// Parses -o's value against the formats a command allows; the error lists them.
Result<Format> parse_format(const std::string& value, const std::vector<Format>& allowed);
std::string format_name(Format f);

/// Prints objects as -o yaml or json: one object as itself, several as a v1 List
/// (as kubectl does).
void print_objects(std::ostream& out, const std::vector<Json>& objects, Format format);
/// Prints one value as YAML or JSON (for command-specific reports).
void print_value(std::ostream& out, const Json& value, Format format);

/// A simple aligned table, kubectl style: upper-case headers, columns three spaces apart.
void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace kmesh::cli
