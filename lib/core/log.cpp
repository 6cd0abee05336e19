#include "lib/core/log.hpp"

#include <iostream>
#include <mutex>

namespace kmesh::log {
namespace {
// Per thread: cli::run may run on several threads of one process at once (tests run two
// commands side by side), each with its own -v and its own streams. The library starts
// no threads of its own, so a run's diagnostics all come from the thread that set them.
thread_local int g_verbosity = 0;
thread_local std::ostream* g_sink = &std::cerr;
std::mutex g_mutex;
}  // namespace

void configure(int verbosity, std::ostream* sink) {
  g_verbosity = verbosity;
  g_sink = sink ? sink : &std::cerr;
}

bool enabled(int level) {
  return g_verbosity >= level;
}

void at(int level, const std::string& line) {
  if (!enabled(level)) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  *g_sink << "I " << line << '\n';
}

void warn(const std::string& line) {
  std::lock_guard<std::mutex> lock(g_mutex);
  *g_sink << "Warning: " << line << '\n';
}

}  // namespace kmesh::log
