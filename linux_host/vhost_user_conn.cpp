#include "linux_host/vhost_user_conn.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace gs {

using namespace vhost;

VhostUserConn::VhostUserConn(int fd, std::string name, bool inband)
    : fd_(fd), name_(std::move(name)), inband_(inband) {}

VhostUserConn::~VhostUserConn() {
  for (auto& q : q_) q.close_fds();
  if (slave_fd_ >= 0) close(slave_fd_);
  close(fd_);
}

// Reads exactly len bytes, with any fds carried by the first segment.
static bool read_full(int fd, void* buf, size_t len, int* fds, unsigned* nfds) {
  uint8_t* p = static_cast<uint8_t*>(buf);
  size_t got = 0;
  while (got < len) {
    iovec iov{p + got, len - got};
    alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int) * kMaxMemRegions)];
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = fds ? ctl : nullptr;
    m.msg_controllen = fds ? sizeof ctl : 0;
    ssize_t r = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
    if (r <= 0) return false;
    if (fds) {
      for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        unsigned n = unsigned((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (unsigned i = 0; i < n && *nfds < kMaxMemRegions; ++i)
          std::memcpy(&fds[(*nfds)++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      }
      fds = nullptr;  // fds only ride on the header
    }
    got += size_t(r);
  }
  return true;
}

bool VhostUserConn::reply_u64(uint32_t request, uint64_t value) {
  struct {
    Header h;
    uint64_t v;
  } __attribute__((packed)) msg{{request, kVersion | kFlagReply, 8}, value};
  return ::write(fd_, &msg, sizeof msg) == ssize_t(sizeof msg);
}

bool VhostUserConn::service() {
  Header h{};
  int fds[kMaxMemRegions];
  unsigned nfds = 0;
  if (!read_full(fd_, &h, sizeof h, fds, &nfds)) return false;
  union {
    uint64_t u64;
    VringState state;
    VringAddr addr;
    MemTable mem;
    uint8_t raw[512];
  } pl{};
  if (h.size > sizeof pl || (h.size && !read_full(fd_, &pl, h.size, nullptr, nullptr))) {
    std::fprintf(stderr, "%s: bad vhost-user message %u size %u\n", name_.c_str(), h.request, h.size);
    return false;
  }
  auto take_fd = [&]() { return nfds ? fds[0] : -1; };
  bool ack = true;
  uint64_t status = 0;
  switch (h.request) {
    case kGetFeatures:
      return reply_u64(h.request, kFProtocolFeatures | kFVersion1);
    case kGetProtocolFeatures:
      return reply_u64(h.request, kPfReplyAck | kPfSlaveReq | (inband_ ? kPfInbandNotifications : 0));
    case kSetProtocolFeatures:
      protocol_features_ = pl.u64;
      break;
    case kSetFeatures:
    case kSetOwner:
    case kResetOwner:
      break;
    case kSetMemTable:
      if (!mem_.set(pl.mem, fds, nfds)) status = 1;
      nfds = 0;
      break;
    case kSetVringNum:
      if (pl.state.index < 2) q_[pl.state.index].set_num(pl.state.num);
      break;
    case kSetVringBase:
      if (pl.state.index < 2) q_[pl.state.index].set_base(uint16_t(pl.state.num));
      break;
    case kGetVringBase: {
      unsigned i = pl.state.index < 2 ? pl.state.index : 0;
      struct {
        Header h;
        VringState s;
      } __attribute__((packed)) r{{h.request, kVersion | kFlagReply, 8}, {i, q_[i].base()}};
      return ::write(fd_, &r, sizeof r) == ssize_t(sizeof r);
    }
    case kSetVringAddr:
      if (pl.addr.index < 2) q_[pl.addr.index].set_addr(pl.addr);
      break;
    case kSetVringKick:
    case kSetVringCall: {
      unsigned i = unsigned(pl.u64 & 0xff);
      int fd = (pl.u64 & 0x100) ? -1 : take_fd();  // bit 8: no fd, the master polls
      if (i < 2) {
        if (h.request == kSetVringKick) q_[i].set_kick_fd(fd); else q_[i].set_call_fd(fd);
        nfds = 0;
      }
      break;
    }
    case kSetVringErr:
      break;
    case kSetVringEnable:
      if (pl.state.index < 2) q_[pl.state.index].set_enabled(pl.state.num != 0);
      break;
    case kVringKick:
      if (pl.state.index < 2) {
        inband_kick_[pl.state.index] = true;
        if (on_kick_) on_kick_(pl.state.index);
      }
      break;
    case kSetSlaveReqFd:
      if (slave_fd_ >= 0) close(slave_fd_);
      slave_fd_ = take_fd();
      nfds = 0;
      break;
    default:
      std::fprintf(stderr, "%s: unhandled vhost-user request %u\n", name_.c_str(), h.request);
      status = 1;
      break;
  }
  for (unsigned i = 0; i < nfds; ++i) close(fds[i]);
  if (ack && (h.flags & kFlagNeedReply)) return reply_u64(h.request, status);
  return true;
}

bool VhostUserConn::send_vring_call(unsigned i) {
  if (slave_fd_ < 0) return false;
  struct {
    Header h;
    VringState s;
  } __attribute__((packed)) m{{kSlaveVringCall, kVersion | kFlagNeedReply, sizeof(VringState)}, {i, 0}};
  return ::write(slave_fd_, &m, sizeof m) == ssize_t(sizeof m);
}

bool VhostUserConn::read_slave_reply() {
  struct {
    Header h;
    uint64_t status;
  } __attribute__((packed)) r{};
  if (!read_full(slave_fd_, &r, sizeof r, nullptr, nullptr)) return false;
  if (!(r.h.flags & kFlagReply) || r.status != 0)
    std::fprintf(stderr, "%s: slave request %u answered with flags 0x%x status %llu\n", name_.c_str(), r.h.request,
                 r.h.flags, (unsigned long long)r.status);
  return true;
}

}  // namespace gs
