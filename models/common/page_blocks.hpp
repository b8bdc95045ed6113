// Storage for the data pages of a SparseMemory: fixed-size blocks carved from large
// reservations backed by transparent huge pages. A block written for the first time costs
// a page fault per 2 MiB instead of one per 4 KiB (on virtual machines a fault costs
// microseconds: per 4 KiB page that was most of the wall time of a bytes-mode RDMA run),
// and the reservations are few (one mapping per 32 MiB), whatever the card count. Freed
// blocks are reused, last freed first.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace gs {

class PageBlocks {
 public:
  explicit PageBlocks(size_t block_bytes);
  ~PageBlocks();
  PageBlocks(const PageBlocks&) = delete;
  PageBlocks& operator=(const PageBlocks&) = delete;

  uint8_t* get();  // null when the host has no memory for it
  void put(uint8_t* block) { free_.push_back(block); }

  // Returns its block to the PageBlocks (which must outlive it).
  struct Return {
    PageBlocks* owner = nullptr;
    void operator()(uint8_t* b) const {
      if (b) owner->put(b);
    }
  };
  using Block = std::unique_ptr<uint8_t, Return>;
  Block take() { return Block(get(), Return{this}); }

 private:
  static constexpr size_t kSlabBytes = 32u << 20;
  size_t block_;
  std::vector<uint8_t*> slabs_, free_;
  uint8_t* next_ = nullptr;
  size_t left_ = 0;
};

}  // namespace gs
