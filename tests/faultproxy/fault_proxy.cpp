// A loopback TCP proxy in front of the real API server that misbehaves on purpose, so
// tests can see what kubectl-mesh does when the network fails mid-command. It is a fault
// injector, not a fake server: every byte that passes comes from the real kube-apiserver.
//
//   fault_proxy UPSTREAM_PORT PORT_FILE MODE
//     MODE pass          forward everything
//     MODE cut=BYTES     forward BYTES bytes client->server in all, then close every
//                        connection and refuse new ones (the server "goes away")
//     MODE hang          accept connections and never answer
// The listening port is written to PORT_FILE once it listens. Runs until killed.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Pair {
  int client = -1, server = -1;
};

int listen_loopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0)
    return -1;
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

int connect_upstream(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void close_pair(Pair& p) {
  if (p.client >= 0) ::close(p.client);
  if (p.server >= 0) ::close(p.server);
  p.client = p.server = -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: fault_proxy UPSTREAM_PORT PORT_FILE pass|cut=BYTES|hang\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  int upstream = std::atoi(argv[1]);
  std::string mode = argv[3];
  bool hang = mode == "hang";
  long budget = mode.rfind("cut=", 0) == 0 ? std::atol(mode.c_str() + 4) : -1;
  bool cut = false;
  int port = 0;
  int listener = listen_loopback(port);
  if (listener < 0) {
    std::perror("listen");
    return 1;
  }
  {
    std::ofstream out(std::string(argv[2]) + ".tmp");
    out << port << "\n";
  }
  std::rename((std::string(argv[2]) + ".tmp").c_str(), argv[2]);

  std::vector<Pair> pairs;
  std::vector<int> hung;
  char buf[16384];
  while (true) {
    std::vector<pollfd> fds{{listener, POLLIN, 0}};
    for (const auto& p : pairs) {
      fds.push_back({p.client, POLLIN, 0});
      fds.push_back({p.server, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents & POLLIN) {
      int c = ::accept(listener, nullptr, nullptr);
      if (c >= 0) {
        if (cut) {
          ::close(c);  // the server is gone: refuse at once
        } else if (hang) {
          hung.push_back(c);  // keep it open, say nothing
        } else {
          int s = connect_upstream(upstream);
          if (s < 0)
            ::close(c);
          else
            pairs.push_back({c, s});
        }
      }
    }
    for (size_t i = 0; i < pairs.size(); ++i) {
      short from_client = fds[1 + 2 * i].revents, from_server = fds[2 + 2 * i].revents;
      Pair& p = pairs[i];
      if (from_client & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = ::read(p.client, buf, sizeof buf);
        if (n <= 0) {
          close_pair(p);
          continue;
        }
        if (budget >= 0) {
          if (n > budget) n = budget;
          budget -= n;
        }
        if (n > 0 && ::write(p.server, buf, static_cast<size_t>(n)) != n) close_pair(p);
        if (budget == 0) cut = true;
      }
      if (p.client >= 0 && (from_server & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t n = ::read(p.server, buf, sizeof buf);
        if (n <= 0 || ::write(p.client, buf, static_cast<size_t>(n)) != n) close_pair(p);
      }
    }
    if (cut)
      for (auto& p : pairs)
        close_pair(p);
    std::vector<Pair> open;
    for (const auto& p : pairs)
      if (p.client >= 0) open.push_back(p);
    pairs.swap(open);
  }
}
