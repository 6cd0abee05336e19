// SVG through Graphviz: `dot -Tsvg FILE`, run as a process without a shell.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "lib/core/files.hpp"
#include "lib/core/process.hpp"
#include "lib/core/strings.hpp"
#include "lib/mesh/graph/render.hpp"

namespace kmesh::mesh::graph {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  for (const auto& dir : split(path ? path : "", ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

}  // namespace

Result<std::string> render_svg(const std::string& dot_text) {
  if (!on_path("dot"))
    return cluster_error(
        "-o svg needs Graphviz's dot, which is not installed: apt-get install graphviz"
        " (or use -o html, -o dot or -o mermaid, which need nothing)");
  char dir_template[] = "/tmp/kmesh-graph-XXXXXX";
  if (!::mkdtemp(dir_template)) return cluster_error("cannot create a temporary directory for dot");
  std::string dir = dir_template, file = dir + "/graph.dot";
  if (auto written = write_file_with_mode(file, dot_text, kPrivateFileMode); !written.ok()) {
    ::rmdir(dir.c_str());
    return cluster_error("writing the input of dot: " + written.error().message);
  }
  ProcessSpec spec;
  spec.argv = {"dot", "-Tsvg", file};
  spec.env = current_environment();
  auto result = run_process(spec);
  ::unlink(file.c_str());
  ::rmdir(dir.c_str());
  if (!result.ok()) return std::move(result).error().wrap("running dot");
  if (result->timed_out) return cluster_error("dot did not finish within 30s");
  if (result->exit_code != 0)
    return cluster_error("dot failed with exit status " + std::to_string(result->exit_code));
  return std::move(result->out);
}

}  // namespace kmesh::mesh::graph
