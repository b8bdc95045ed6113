// The guest side of UML's time-travel protocol, for tests of the device server's calendar
// (linux_host/time_travel.hpp). Test code only.
#pragma once
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "linux_host/time_travel.hpp"

namespace gs::test {

class TimeTravelClient {
 public:
  // Connects, retrying for up to 10 s while the server starts.
  explicit TimeTravelClient(const std::string& path) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    for (int i = 0; i < 1000; ++i) {
      fd_ = socket(AF_UNIX, SOCK_STREAM, 0);
      if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return;
      ::close(fd_);
      fd_ = -1;
      usleep(10000);
    }
    throw std::runtime_error("cannot connect to " + path);
  }
  ~TimeTravelClient() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // START; returns how many descriptors came with the ack (and closes them).
  unsigned start(uint64_t id) {
    send({tt::kStart, ++seq_, id});
    tt::Msg m{};
    iovec iov{&m, sizeof m};
    alignas(cmsghdr) char ctl[CMSG_SPACE(4 * sizeof(int))];
    msghdr h{};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    h.msg_control = ctl;
    h.msg_controllen = sizeof ctl;
    if (recvmsg(fd_, &h, 0) != ssize_t(sizeof m) || m.op != tt::kAck || m.seq != seq_)
      throw std::runtime_error("bad START ack");
    unsigned n = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c))
      for (size_t k = 0; c->cmsg_type == SCM_RIGHTS && k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); ++k, ++n) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof fd);
        ::close(fd);
      }
    return n;
  }
  // A message that the calendar acknowledges; returns the ack's time.
  uint64_t call(uint32_t op, uint64_t time = 0) {
    send({op, ++seq_, time});
    tt::Msg m = next();
    if (m.op != tt::kAck || m.seq != seq_) throw std::runtime_error("expected the ack of op " + std::to_string(op));
    return m.time;
  }
  tt::Msg next() {
    tt::Msg m{};
    if (::read(fd_, &m, sizeof m) != ssize_t(sizeof m)) throw std::runtime_error("calendar closed");
    return m;
  }
  void ack(uint32_t seq) { send({tt::kAck, seq, 0}); }

 private:
  void send(const tt::Msg& m) {
    if (::write(fd_, &m, sizeof m) != ssize_t(sizeof m)) throw std::runtime_error("calendar write failed");
  }
  int fd_ = -1;
  uint32_t seq_ = 0;
};

}  // namespace gs::test
