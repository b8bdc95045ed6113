// A device's count of each firmware event type (HL_INFO_HW_EVENTS): a table of `size`
// counters made at the first event. Most devices never see one, and two 4 KiB tables per
// device were zero-filled heap at every card's probe.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>

namespace hl {

class EventCounts {
 public:
  explicit EventCounts(unsigned size) : size_(size) {}

  unsigned size() const { return size_; }
  uint32_t operator[](unsigned type) const { return counts_ && type < size_ ? counts_[type] : 0; }
  void count(unsigned type) {
    if (type >= size_) return;
    if (!counts_) counts_.reset(new uint32_t[size_]());
    ++counts_[type];
  }
  void clear() {
    if (counts_) std::fill(counts_.get(), counts_.get() + size_, 0u);
  }
  // Every counter, in type order, as `size` words at `out`.
  void copy_to(uint32_t* out) const {
    if (counts_) std::copy(counts_.get(), counts_.get() + size_, out);
    else std::fill(out, out + size_, 0u);
  }

 private:
  unsigned size_;
  std::unique_ptr<uint32_t[]> counts_;
};

}  // namespace hl
