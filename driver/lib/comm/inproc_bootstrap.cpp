#include "driver/lib/comm/inproc_bootstrap.hpp"

#include <cerrno>
#include <cstring>

namespace hlcomm {

namespace {
Bytes to_bytes(uint64_t v) {
  Bytes b(8);
  std::memcpy(b.data(), &v, 8);
  return b;
}
uint64_t from_bytes(const Bytes& b) {
  uint64_t v = 0;
  std::memcpy(&v, b.data(), std::min<size_t>(8, b.size()));
  return v;
}
}  // namespace

InProcessGroup::InProcessGroup(hl::os::Os& os, int size, uint64_t latency_ns)
    : os_(os), size_(size), latency_ns_(latency_ns), wq_(os.make_wait_queue()) {}

void InProcessGroup::publish(const std::string& key, uint64_t value) { publish_bytes(key, to_bytes(value)); }
uint64_t InProcessGroup::await(const std::string& key) { return from_bytes(await_bytes(key)); }

void InProcessGroup::publish_bytes(const std::string& key, const Bytes& value) {
  if (latency_ns_ == 0 && !relay_) return deliver(key, value);
  const uint64_t at = os_.now_ns() + latency_ns_;
  if (relay_) return relay_->forward(key, value, at);  // it delivers here too, at `at`
  pending_.push_back({at, key, value});
  if (!courier_running_) {
    courier_running_ = true;
    courier_wq_ = os_.make_wait_queue();
    os_.spawn_thread("bootstrap_courier", [this] { courier(); });
  } else {
    courier_wq_->notify_all();
  }
}

void InProcessGroup::courier() {
  for (;;) {
    while (pending_.empty()) courier_wq_->wait(hl::os::kWaitForever);
    const uint64_t now = os_.now_ns(), at = pending_.front().at_ns;
    if (at > now) {
      os_.sleep_until_ns(at);
      continue;
    }
    bool any = false;
    while (!pending_.empty() && pending_.front().at_ns <= now) {
      values_[pending_.front().key] = std::move(pending_.front().value);
      pending_.pop_front();
      any = true;
    }
    if (any) wq_->notify_all();
  }
}

void InProcessGroup::deliver(const std::string& key, const Bytes& value) {
  values_[key] = value;
  wq_->notify_all();
}

Bytes InProcessGroup::await_bytes(const std::string& key) {
  for (;;) {
    auto it = values_.find(key);
    if (it != values_.end()) return it->second;
    wq_->wait(hl::os::kWaitForever);
  }
}

uint64_t InProcessGroup::peek(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? UINT64_MAX : from_bytes(it->second);
}

int InProcessGroup::allgather(int rank, uint64_t round, const void* mine, void* all, size_t bytes) {
  if (rank < 0 || rank >= size_) return -EINVAL;
  if (latency_ns_ || relay_) return allgather_published(rank, round, mine, all, bytes);
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

// Over the delayed (or relayed) network: every rank publishes its part, then awaits the others'.
int InProcessGroup::allgather_published(int rank, uint64_t round, const void* mine, void* all, size_t bytes) {
  if (bytes == 0) return -EINVAL;
  const std::string prefix = "\x01ag/" + std::to_string(round) + "/";
  const uint8_t* m = static_cast<const uint8_t*>(mine);
  publish_bytes(prefix + std::to_string(rank), Bytes(m, m + bytes));
  int rc = 0;
  for (int i = 0; i < size_; ++i) {
    const Bytes p = await_bytes(prefix + std::to_string(i));
    if (p.size() != bytes) rc = -EINVAL;
    else std::memcpy(static_cast<uint8_t*>(all) + size_t(i) * bytes, p.data(), bytes);
  }
  return rc;
}

}  // namespace hlcomm
