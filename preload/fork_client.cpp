// The child's side of preload/fork_channel.hpp: one connection per process to the ancestor
// that holds the simulation, made right after fork; calls go over it one at a time.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <mutex>

#include "preload/fork_channel.hpp"

namespace gsp {

char g_fork_socket_name[64];  // set by the process that serves (fork_server.cpp)

namespace {
bool g_child = false;
unsigned g_cards = 0;
int g_fd = -1;
std::mutex g_mu;  // one call in flight per process (docs/preload.md)

int64_t exchange(int fd, const ForkRequest& r) {
  ForkReply reply{-ENODEV};
  if (fd < 0 || send(fd, &r, sizeof r, MSG_NOSIGNAL) != ssize_t(sizeof r)) return -ENODEV;
  for (;;) {  // a signal does not end the call (docs/preload.md)
    ssize_t got = recv(fd, &reply, sizeof reply, 0);
    if (got == ssize_t(sizeof reply)) return reply.rc;
    if (got < 0 && errno == EINTR) continue;
    return -ENODEV;  // the serving process is gone
  }
}
}  // namespace

sockaddr_un fork_socket_address(socklen_t* len) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  size_t n = strnlen(g_fork_socket_name, sizeof g_fork_socket_name - 1);
  std::memcpy(a.sun_path + 1, g_fork_socket_name, n);  // abstract: leading NUL, nothing on disk
  *len = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + n);
  return a;
}

bool fork_child_mode() { return g_child; }
unsigned fork_child_cards() { return g_cards; }
void fork_child_set_cards(unsigned cards) { g_cards = cards; }

uint64_t fork_client_prepare() {
  ForkRequest r{};
  r.op = ForkOp::fork_prep;
  int64_t gen = fork_call(r);
  return gen > 0 ? uint64_t(gen) : 0;
}

void fork_client_lock() { g_mu.lock(); }
void fork_client_unlock() { g_mu.unlock(); }

// Runs in the new child, single-threaded: the parent's connection (if any) is not ours.
void fork_client_connect(uint64_t generation) {
  if (g_fd >= 0) ::close(g_fd);
  g_fd = -1;
  g_child = true;
  if (!generation || !g_fork_socket_name[0]) return;
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  socklen_t len;
  sockaddr_un a = fork_socket_address(&len);
  ForkRequest hello{};
  hello.op = ForkOp::hello;
  hello.a = generation;
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 || exchange(fd, hello) != 0) {
    if (fd >= 0) ::close(fd);
    return;
  }
  g_fd = fd;
}

int64_t fork_call(const ForkRequest& r) {
  std::lock_guard<std::mutex> g(g_mu);
  return exchange(g_fd, r);
}

}  // namespace gsp
