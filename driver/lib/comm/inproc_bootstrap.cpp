#include "driver/lib/comm/inproc_bootstrap.hpp"

#include <cerrno>
#include <cstring>

namespace hlcomm {

InProcessGroup::InProcessGroup(hl::os::Os& os, int size) : size_(size), wq_(os.make_wait_queue()) {}

void InProcessGroup::publish(const std::string& key, uint64_t value) {
  values_[key] = value;
  wq_->notify_all();
}

uint64_t InProcessGroup::await(const std::string& key) {
  for (;;) {
    auto it = values_.find(key);
    if (it != values_.end()) return it->second;
    wq_->wait(hl::os::kWaitForever);
  }
}

uint64_t InProcessGroup::peek(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? UINT64_MAX : it->second;
}

int InProcessGroup::allgather(int rank, uint64_t round, const void* mine, void* all, size_t bytes) {
  if (rank < 0 || rank >= size_) return -EINVAL;
  Round& r = rounds_[round];
  if (r.parts.empty()) r.parts.resize(size_t(size_));
  if (!r.parts[size_t(rank)].empty() || bytes == 0) return -EINVAL;
  r.parts[size_t(rank)].assign(static_cast<const uint8_t*>(mine), static_cast<const uint8_t*>(mine) + bytes);
  if (++r.arrived == size_) {
    r.left = size_;
    wq_->notify_all();
  }
  while (rounds_[round].arrived < size_) wq_->wait(hl::os::kWaitForever);
  Round& done = rounds_[round];
  int rc = 0;
  for (int i = 0; i < size_; ++i) {
    const auto& p = done.parts[size_t(i)];
    if (p.size() != bytes) rc = -EINVAL;  // ranks disagree on the size: a caller's bug
    else std::memcpy(static_cast<uint8_t*>(all) + size_t(i) * bytes, p.data(), bytes);
  }
  if (--done.left == 0) rounds_.erase(round);
  return rc;
}

}  // namespace hlcomm
