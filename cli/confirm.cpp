#include "cli/confirm.hpp"

#include <istream>
#include <ostream>

namespace kmesh::cli {

Status confirm(Context& ctx, bool yes, const std::string& question) {
  if (yes) return {};
  if (!ctx.io.in_is_terminal)
    return usage_error(question +
                       " This needs confirmation and there is no terminal to ask:"
                       " pass -y to proceed; nothing was changed");
  ctx.io.err << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(ctx.io.in, answer);
  if (answer == "y" || answer == "Y" || answer == "yes") return {};
  return usage_error("not confirmed; nothing was changed");
}

}  // namespace kmesh::cli
