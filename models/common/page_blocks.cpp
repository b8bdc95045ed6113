#include "models/common/page_blocks.hpp"

#include <sys/mman.h>

namespace gs {

PageBlocks::PageBlocks(size_t block_bytes) : block_(block_bytes) {}

PageBlocks::~PageBlocks() {
  for (uint8_t* s : slabs_) munmap(s, kSlabBytes);
}

uint8_t* PageBlocks::get() {
  if (!free_.empty()) {
    uint8_t* b = free_.back();
    free_.pop_back();
    return b;
  }
  if (left_ < block_) {
    if (block_ > kSlabBytes) return nullptr;
    void* m = mmap(nullptr, kSlabBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return nullptr;
    madvise(m, kSlabBytes, MADV_HUGEPAGE);  // a hint: without THP the blocks still work
    slabs_.push_back(static_cast<uint8_t*>(m));
    next_ = static_cast<uint8_t*>(m);
    left_ = kSlabBytes;
  }
  uint8_t* b = next_;
  next_ += block_;
  left_ -= block_;
  return b;
}

}  // namespace gs
