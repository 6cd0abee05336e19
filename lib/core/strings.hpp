#pragma once
// Small string helpers shared across the library.

#include <string>
#include <string_view>
#include <vector>

namespace kmesh {

/// Splits on every occurrence of sep; "" gives one empty field.
std::vector<std::string> split(std::string_view text, char sep);
/// Joins with sep between items.
std::string join(const std::vector<std::string>& items, std::string_view sep);
/// Removes leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);
std::string to_lower(std::string_view text);
/// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);
/// The candidates closest to `word` (at most `limit`, within a sensible distance).
std::vector<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates,
                                 size_t limit = 3);
/// Reads a whole file; an error names the path.
struct FileText {
  bool ok = false;
  std::string text;   ///< contents when ok
  std::string error;  ///< strerror text otherwise
};
FileText read_file(const std::string& path);
/// Reads a whole file of at most max_bytes: an error for anything longer, so that a path
/// to /dev/zero or a runaway pipe cannot exhaust memory.
FileText read_file(const std::string& path, size_t max_bytes);

}  // namespace kmesh
