#include "vhost_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace gs::test {

using namespace vhost;
constexpr unsigned kRing = 64;

VhostClient::VhostClient(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  for (int tries = 0; tries < 200; ++tries) {
    sock_ = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(sock_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) break;
    close(sock_);
    sock_ = -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (sock_ < 0) throw std::runtime_error("cannot connect to " + path);
  memfd_ = memfd_create("guest", 0);
  if (ftruncate(memfd_, kGuestSize)) throw std::runtime_error("ftruncate");
  mem_ = static_cast<uint8_t*>(mmap(nullptr, kGuestSize, PROT_READ | PROT_WRITE, MAP_SHARED, memfd_, 0));

  send(kGetFeatures, nullptr, 0);
  if (!(recv_u64() & kFProtocolFeatures)) throw std::runtime_error("no protocol features");
  send(kGetProtocolFeatures, nullptr, 0);
  uint64_t pf = recv_u64();
  if (!(pf & kPfSlaveReq)) throw std::runtime_error("no SLAVE_REQ");
  uint64_t want = kPfReplyAck | kPfSlaveReq;
  send(kSetProtocolFeatures, &want, 8);
  acks_ = true;
  send(kSetOwner, nullptr, 0);
  int req[2];
  if (pipe(req)) throw std::runtime_error("pipe");
  send(kSetSlaveReqFd, nullptr, 0, &req[1], 1);
  close(req[1]);
  close(req[0]);
  MemTable t{};
  t.num = 1;
  t.regions[0] = {kGuestBase, kGuestSize, kGuestBase, 0};
  send(kSetMemTable, &t, 8 + sizeof(MemRegion), &memfd_, 1);
  uint64_t features = kFProtocolFeatures | kFVersion1;
  send(kSetFeatures, &features, 8);
  for (unsigned i = 0; i < 2; ++i) {
    Queue& q = q_[i];
    q.desc = kGuestBase + i * 0x4000;
    q.avail = q.desc + 0x1000;
    q.used = q.desc + 0x2000;
    q.kick = eventfd(0, EFD_NONBLOCK);
    int call[2];
    if (pipe2(call, O_NONBLOCK)) throw std::runtime_error("pipe");
    q.call_rd = call[0];
    VringState num{i, kRing}, base{i, 0};
    send(kSetVringNum, &num, sizeof num);
    send(kSetVringBase, &base, sizeof base);
    VringAddr va{i, 0, q.desc, q.used, q.avail, ~0ull};
    send(kSetVringAddr, &va, sizeof va);
    uint64_t idx = i;
    send(kSetVringKick, &idx, 8, &q.kick, 1);
    send(kSetVringCall, &idx, 8, &call[1], 1);
    close(call[1]);
  }
  scratch_ = kGuestBase + 0x10000;
  post_irq_buffers();
}

VhostClient::~VhostClient() {
  for (auto& q : q_) {
    close(q.kick);
    close(q.call_rd);
  }
  if (mem_) munmap(mem_, kGuestSize);
  close(memfd_);
  close(sock_);
}

void VhostClient::send(uint32_t request, const void* payload, uint32_t size, const int* fds, unsigned nfds) {
  std::vector<uint8_t> buf(sizeof(Header) + size);
  Header h{request, kVersion, size};
  // Replies are asked for once REPLY_ACK is agreed, except where the answer is the reply.
  bool ack = acks_ && request != kGetFeatures && request != kGetProtocolFeatures && request != kGetVringBase;
  if (ack) h.flags |= kFlagNeedReply;
  std::memcpy(buf.data(), &h, sizeof h);
  if (size) std::memcpy(buf.data() + sizeof h, payload, size);
  iovec iov{buf.data(), buf.size()};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int) * 8)];
  if (nfds) {
    m.msg_control = ctl;
    m.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    cmsghdr* c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    std::memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
  }
  if (sendmsg(sock_, &m, 0) != ssize_t(buf.size())) throw std::runtime_error("sendmsg");
  if (ack && recv_u64() != 0) throw std::runtime_error("device refused request " + std::to_string(request));
}

uint64_t VhostClient::recv_u64() {
  struct {
    Header h;
    uint64_t v;
  } __attribute__((packed)) r{};
  size_t got = 0;
  while (got < sizeof r) {
    ssize_t n = read(sock_, reinterpret_cast<uint8_t*>(&r) + got, sizeof r - got);
    if (n <= 0) throw std::runtime_error("device closed the socket");
    got += size_t(n);
  }
  if (r.h.flags != (kVersion | kFlagReply)) throw std::runtime_error("bad reply flags");
  return r.v;
}

// Waits until the device has used a buffer of q, up to timeout_ms of wall time. The call
// pipe stays readable once signalled, so it is drained: counting poll() wake-ups instead of
// time gave up after a few spins when the device was slow (a loaded machine).
bool VhostClient::wait_used(Queue& q, int timeout_ms) {
  auto* used = reinterpret_cast<uint16_t*>(guest(q.used));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (__atomic_load_n(&used[1], __ATOMIC_ACQUIRE) == q.last_used) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd p{q.call_rd, POLLIN, 0};
    if (poll(&p, 1, 1) > 0) {
      char drain[64];
      while (read(q.call_rd, drain, sizeof drain) > 0) {
      }
    }
  }
  return true;
}

uint32_t VhostClient::transact(unsigned qi, const std::vector<uint8_t>& out, uint32_t in_len,
                               std::vector<uint8_t>* in) {
  Queue& q = q_[qi];
  auto* desc = reinterpret_cast<VringDesc*>(guest(q.desc));
  auto* avail = reinterpret_cast<uint16_t*>(guest(q.avail));
  auto* used = reinterpret_cast<uint16_t*>(guest(q.used));
  uint64_t out_addr = scratch_, in_addr = scratch_ + 0x8000;
  std::memcpy(guest(out_addr), out.data(), out.size());
  uint16_t head = uint16_t((q.next_avail * 2) % kRing);
  desc[head] = {out_addr, uint32_t(out.size()), uint16_t(in_len ? kDescNext : 0), uint16_t(head + 1)};
  if (in_len) desc[head + 1] = {in_addr, in_len, kDescWrite, 0};
  avail[2 + q.next_avail % kRing] = head;
  ++q.next_avail;
  __atomic_store_n(&avail[1], q.next_avail, __ATOMIC_RELEASE);
  uint64_t one = 1;
  if (write(q.kick, &one, 8) != 8) throw std::runtime_error("kick");
  if (!wait_used(q, 10000)) throw std::runtime_error("device did not answer a command in 10 s");
  auto* elems = reinterpret_cast<VringUsedElem*>(used + 2);
  uint32_t len = elems[q.last_used % kRing].len;
  ++q.last_used;
  if (in) in->assign(guest(in_addr), guest(in_addr) + len);
  return len;
}

void VhostClient::post_irq_buffers() {
  Queue& q = q_[1];
  auto* desc = reinterpret_cast<VringDesc*>(guest(q.desc));
  auto* avail = reinterpret_cast<uint16_t*>(guest(q.avail));
  for (uint16_t i = 0; i < 8; ++i) {
    desc[i] = {kGuestBase + 0x20000 + i * 64u, 64, kDescWrite, 0};
    avail[2 + q.next_avail % kRing] = i;
    ++q.next_avail;
  }
  __atomic_store_n(&avail[1], q.next_avail, __ATOMIC_RELEASE);
  uint64_t one = 1;
  if (write(q.kick, &one, 8) != 8) throw std::runtime_error("kick");
}

int64_t VhostClient::wait_msi(int timeout_ms) {
  Queue& q = q_[1];
  auto* used = reinterpret_cast<uint16_t*>(guest(q.used));
  if (!wait_used(q, timeout_ms)) return -1;
  auto* elems = reinterpret_cast<VringUsedElem*>(used + 2);
  uint32_t id = elems[q.last_used % kRing].id;
  ++q.last_used;
  pcidev::Msg m;
  std::memcpy(&m, guest(kGuestBase + 0x20000 + id * 64u), sizeof m);
  if (m.op != pcidev::kMsi) return -2;
  uint32_t data = 0;
  std::memcpy(&data, guest(kGuestBase + 0x20000 + id * 64u + sizeof m), 4);
  return data;
}

uint32_t VhostClient::cfg_read(uint32_t off, uint32_t size) {
  pcidev::Msg m{pcidev::kCfgRead, 0, 0, size, off};
  std::vector<uint8_t> out(sizeof m), in;
  std::memcpy(out.data(), &m, sizeof m);
  transact(0, out, 8, &in);
  uint32_t v = 0;
  std::memcpy(&v, in.data(), std::min<size_t>(size, in.size()));
  return v;
}

void VhostClient::cfg_write(uint32_t off, uint32_t value, uint32_t size) {
  pcidev::Msg m{pcidev::kCfgWrite, 0, 0, size, off};
  std::vector<uint8_t> out(sizeof m + size);
  std::memcpy(out.data(), &m, sizeof m);
  std::memcpy(out.data() + sizeof m, &value, size);
  transact(0, out, 0, nullptr);
}

std::vector<uint8_t> VhostClient::mmio_read(unsigned bar, uint64_t off, uint32_t size) {
  pcidev::Msg m{pcidev::kMmioRead, uint8_t(bar), 0, size, off};
  std::vector<uint8_t> out(sizeof m), in;
  std::memcpy(out.data(), &m, sizeof m);
  transact(0, out, size, &in);
  return in;
}

uint32_t VhostClient::mmio_read32(unsigned bar, uint64_t off) {
  auto v = mmio_read(bar, off, 4);
  uint32_t r = 0;
  std::memcpy(&r, v.data(), std::min<size_t>(4, v.size()));
  return r;
}

void VhostClient::mmio_write(unsigned bar, uint64_t off, const void* data, uint32_t size) {
  pcidev::Msg m{pcidev::kMmioWrite, uint8_t(bar), 0, size, off};
  std::vector<uint8_t> out(sizeof m + size);
  std::memcpy(out.data(), &m, sizeof m);
  std::memcpy(out.data() + sizeof m, data, size);
  transact(0, out, 0, nullptr);
}

}  // namespace gs::test
