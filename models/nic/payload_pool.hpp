// Payload buffers of a NIC's requester, recycled: a message's payload is read chunk by chunk
// into buffers that its packets (and retransmissions) refer to; when the last reference
// goes (the chunk is acknowledged and its frames delivered), the buffer returns here
// instead of to the allocator, still mapped and warm. A fresh vector would be zero-filled and,
// above malloc's mmap threshold, page-faulted in for every message: at 100 Gb/s on 56 links
// that was most of a collective's wall time. A recycled buffer may be longer than the
// message; only [0, length) is ever used.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace gs {

class PayloadPool : public std::enable_shared_from_this<PayloadPool> {
 public:
  using Buffer = std::shared_ptr<std::vector<uint8_t>>;
  static constexpr uint64_t kKeepBytes = 8ull << 20;   // free bytes kept for reuse

  Buffer get(size_t len) {
    std::vector<uint8_t>* v = nullptr;
    auto it = free_.lower_bound(len);
    if (it != free_.end() && it->first <= 2 * len + 65536) {  // no huge buffer for a tiny message
      v = it->second;
      kept_ -= it->first;
      free_.erase(it);
    } else {
      v = new std::vector<uint8_t>(len);
    }
    std::weak_ptr<PayloadPool> self = shared_from_this();
    return Buffer(v, [self](std::vector<uint8_t>* p) {
      if (auto pool = self.lock()) pool->put(p);
      else delete p;
    });
  }

  ~PayloadPool() {
    for (auto& kv : free_) delete kv.second;
  }

 private:
  void put(std::vector<uint8_t>* p) {
    if (kept_ + p->size() > kKeepBytes) {
      delete p;
      return;
    }
    kept_ += p->size();
    free_.emplace(p->size(), p);
  }

  std::multimap<size_t, std::vector<uint8_t>*> free_;
  uint64_t kept_ = 0;
};

}  // namespace gs
