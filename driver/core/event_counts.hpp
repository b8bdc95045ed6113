// A device's count of each firmware event type (HL_INFO_HW_EVENTS): `size` counters, of
// which a device sees a handful of types (a probe's few). Kept as (type, count) pairs of the
// types seen: two zero-filled 4 KiB tables per device were 8 KB of every card's probe.
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace hl {

class EventCounts {
 public:
  explicit EventCounts(unsigned size) : size_(size) {}

  unsigned size() const { return size_; }
  uint32_t operator[](unsigned type) const {
    const size_t i = position(type);
    return i < counts_.size() && counts_[i].first == type ? counts_[i].second : 0;
  }
  void count(unsigned type) {
    if (type >= size_) return;
    const size_t i = position(type);
    if (i == counts_.size() || counts_[i].first != type) counts_.insert(counts_.begin() + long(i), {type, 0});
    ++counts_[i].second;
  }
  void clear() { counts_.clear(); }
  // Every counter, in type order, as `size` words at `out`.
  void copy_to(uint32_t* out) const {
    std::fill(out, out + size_, 0u);
    for (const auto& [type, n] : counts_) out[type] = n;
  }

 private:
  // Where `type` is or would go in counts_.
  size_t position(unsigned type) const {
    auto it = std::lower_bound(counts_.begin(), counts_.end(), type,
                               [](const std::pair<uint32_t, uint32_t>& c, unsigned t) { return c.first < t; });
    return size_t(it - counts_.begin());
  }

  unsigned size_;
  std::vector<std::pair<uint32_t, uint32_t>> counts_;  // (type, count) of the types seen, by type
};

}  // namespace hl
