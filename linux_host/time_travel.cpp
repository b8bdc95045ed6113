#include "linux_host/time_travel.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace gs::tt {

Link::Link(std::string path) : path_(std::move(path)) {
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (listen_fd_ < 0 || path_.size() >= sizeof a.sun_path) throw std::runtime_error("socket path too long: " + path_);
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path_.c_str());
  unlink(path_.c_str());
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || listen(listen_fd_, 1) < 0)
    throw std::runtime_error("cannot listen on " + path_);
}

Link::~Link() {
  if (fd_ >= 0) close(fd_);
  close(listen_fd_);
  unlink(path_.c_str());
}

bool Link::accept() {
  int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return false;
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
  return true;
}

bool Link::receive(Msg& m) {
  size_t got = 0;
  auto* p = reinterpret_cast<uint8_t*>(&m);
  while (got < sizeof m) {
    ssize_t r = ::read(fd_, p + got, sizeof m - got);
    if (r <= 0) return false;
    got += size_t(r);
  }
  return true;
}

bool Link::send(const Msg& m) { return ::write(fd_, &m, sizeof m) == ssize_t(sizeof m); }

bool Link::ack(uint32_t seq, uint64_t time) { return send(Msg{kAck, seq, time}); }

bool Link::run(uint64_t time) { return send(Msg{kRun, ++seq_, time}); }

bool Link::ack_start(uint32_t seq) {
  // A zeroed page: version 0 is not the shared-memory version UML knows, so it unmaps it.
  int shm = memfd_create("gaudisim-tt", MFD_CLOEXEC);
  int log = open("/dev/null", O_WRONLY | O_CLOEXEC);
  bool ok = shm >= 0 && log >= 0 && ftruncate(shm, 4096) == 0;
  if (ok) {
    Msg m{kAck, seq, 0};  // client ID 0
    iovec iov{&m, sizeof m};
    int fds[2] = {shm, log};
    alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof fds)] = {};
    msghdr h{};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    h.msg_control = ctl;
    h.msg_controllen = sizeof ctl;
    cmsghdr* c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    std::memcpy(CMSG_DATA(c), fds, sizeof fds);
    ok = sendmsg(fd_, &h, 0) == ssize_t(sizeof m);
  }
  if (shm >= 0) close(shm);
  if (log >= 0) close(log);
  return ok;
}

const char* op_name(uint32_t op) {
  static const char* names[] = {"ACK", "START", "REQUEST", "WAIT", "GET", "UPDATE", "RUN", "FREE_UNTIL", "GET_TOD",
                                "BROADCAST"};
  return op < sizeof names / sizeof names[0] ? names[op] : "?";
}

}  // namespace gs::tt
