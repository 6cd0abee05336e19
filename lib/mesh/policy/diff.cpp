#include "lib/mesh/policy/diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kmesh::mesh::policy {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

struct Op {
  char kind;    ///< ' ', '-' or '+'
  size_t a, b;  ///< line indexes in before and after (the one that applies)
};

// The edit script by longest common subsequence over the lines between a common prefix
// and suffix. Texts too large for the table are treated as replaced whole.
std::vector<Op> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
    ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
  std::vector<Op> ops;
  for (size_t i = 0; i < prefix; ++i)
    ops.push_back({' ', i, i});
  if (n * m <= 20'000'000) {
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1
                                                  : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        ops.push_back({' ', prefix + i++, prefix + j++});
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        ops.push_back({'-', prefix + i++, prefix + j});  // removals before additions, as diff -u
      } else {
        ops.push_back({'+', prefix + i, prefix + j++});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i)
      ops.push_back({'-', prefix + i, prefix});
    for (size_t j = 0; j < m; ++j)
      ops.push_back({'+', prefix + n, prefix + j});
  }
  for (size_t k = 0; k < suffix; ++k)
    ops.push_back({' ', a.size() - suffix + k, b.size() - suffix + k});
  return ops;
}

std::string range(size_t start, size_t count) {
  // Unified format: a hunk of zero lines names the line before it.
  size_t first = count == 0 ? start : start + 1;
  std::string text = std::to_string(first);
  if (count != 1)
    text.append(",").append(std::to_string(count));  // not "," + ...: GCC 12 bug 105329
  return text;
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_name, const std::string& after_name,
                         int context) {
  if (before == after) return "";
  auto a = lines_of(before), b = lines_of(after);
  auto ops = edit_script(a, b);
  std::string out = "--- " + before_name + "\n+++ " + after_name + "\n";
  size_t ctx = static_cast<size_t>(std::max(context, 0));
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ')
      ++k;
    if (k == ops.size()) break;
    size_t begin = k >= ctx ? k - ctx : 0;
    // Extend the hunk while the next change is within 2 * context unchanged lines.
    size_t end = k;
    while (end < ops.size()) {
      if (ops[end].kind != ' ') {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < ops.size() && ops[run].kind == ' ')
        ++run;
      if (run == ops.size() || run - end > 2 * ctx) {
        end = std::min(run, end + ctx);
        break;
      }
      end = run;
    }
    size_t a_start = ops[begin].a, b_start = ops[begin].b, a_count = 0, b_count = 0;
    std::string body;
    for (size_t i = begin; i < end; ++i) {
      const Op& op = ops[i];
      const std::string& line = op.kind == '+' ? b[op.b] : a[op.a];
      body += op.kind + line + "\n";
      a_count += op.kind != '+';
      b_count += op.kind != '-';
    }
    out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace kmesh::mesh::policy
