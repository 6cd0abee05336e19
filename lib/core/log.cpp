#include "lib/core/log.hpp"

#include <iostream>
#include <mutex>

namespace kmesh::log {
namespace {
int g_verbosity = 0;
std::ostream* g_sink = &std::cerr;
std::mutex g_mutex;
}  // namespace

void configure(int verbosity, std::ostream* sink) {
  g_verbosity = verbosity;
  g_sink = sink ? sink : &std::cerr;
}

bool enabled(int level) { return g_verbosity >= level; }

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
