#include "linux_host/virtqueue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace gs {

uint32_t Virtqueue::Chain::writable_bytes() const {
  uint32_t n = 0;
  for (auto& w : writable) n += w.second;
  return n;
}

uint32_t Virtqueue::Chain::write(const void* data, uint32_t len) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint32_t done = 0;
  for (auto& w : writable) {
    if (done == len) break;
    uint32_t n = std::min(w.second, len - done);
    std::memcpy(w.first, p + done, n);
    done += n;
  }
  return done;
}

void Virtqueue::set_kick_fd(int fd) {
  if (kick_fd_ >= 0) close(kick_fd_);
  kick_fd_ = fd;
  if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);  // drained until empty
}

void Virtqueue::set_call_fd(int fd) {
  if (call_fd_ >= 0) close(call_fd_);
  call_fd_ = fd;
}

void Virtqueue::close_fds() {
  set_kick_fd(-1);
  set_call_fd(-1);
}

bool Virtqueue::ready(const GuestMemory& mem) {
  if (ready_) return !broken_;
  if (!num_ || mem.empty()) return false;
  desc_ = reinterpret_cast<vhost::VringDesc*>(mem.by_user(addr_.desc, 16ull * num_));
  avail_ = reinterpret_cast<uint16_t*>(mem.by_user(addr_.avail, 4 + 2ull * num_));
  used_ = reinterpret_cast<uint16_t*>(mem.by_user(addr_.used, 4 + 8ull * num_));
  ready_ = desc_ && avail_ && used_;
  used_idx_ = last_avail_;
  return ready_;
}

bool Virtqueue::pop(const GuestMemory& mem, Chain& c) {
  if (!enabled_ || !ready(mem)) return false;
  uint16_t avail_idx = __atomic_load_n(&avail_[1], __ATOMIC_ACQUIRE);
  if (avail_idx == last_avail_) return false;
  c.readable.clear();
  c.writable.clear();
  c.head = avail_[2 + last_avail_ % num_];
  uint16_t i = c.head;
  for (uint32_t hops = 0;; ++hops) {
    if (i >= num_ || hops >= num_) return broken_ = true, false;
    const vhost::VringDesc& d = desc_[i];
    if (d.flags & vhost::kDescIndirect) return broken_ = true, false;  // not offered
    uint8_t* p = mem.by_guest(d.addr, d.len);
    if (!p && d.len) return broken_ = true, false;
    if (d.flags & vhost::kDescWrite)
      c.writable.emplace_back(p, d.len);
    else
      c.readable.insert(c.readable.end(), p, p + d.len);
    if (!(d.flags & vhost::kDescNext)) break;
    i = d.next;
  }
  ++last_avail_;
  return true;
}

void Virtqueue::push(const Chain& c, uint32_t written) {
  auto* elems = reinterpret_cast<vhost::VringUsedElem*>(used_ + 2);
  elems[used_idx_ % num_] = {c.head, written};
  ++used_idx_;
  __atomic_store_n(&used_[1], used_idx_, __ATOMIC_RELEASE);
}

void Virtqueue::notify() {
  if (call_fd_ < 0) return;
  uint64_t one = 1;
  ssize_t r = ::write(call_fd_, &one, sizeof one);
  (void)r;  // a full pipe already means "interrupt pending"
}

void Virtqueue::drain_kick() {
  uint64_t n;
  if (kick_fd_ >= 0) while (::read(kick_fd_, &n, sizeof n) == sizeof n) {}
}

}  // namespace gs
