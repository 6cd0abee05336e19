#include "lib/core/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kmesh {
namespace {

Error write_error(const std::string& path) {
  return usage_error("cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace

Status write_file_with_mode(const std::string& path, std::string_view text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return write_error(path);
  // open's mode is masked by the umask and ignored for a file that exists: set it outright,
  // before any byte is written.
  if (::fchmod(fd, mode) != 0) {
    Error e = write_error(path);
    ::close(fd);
    return e;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = write_error(path);
      ::close(fd);
      return e;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return write_error(path);
  return {};
}

}  // namespace kmesh
