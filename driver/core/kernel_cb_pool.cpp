#include "driver/core/kernel_cb_pool.hpp"

#include <algorithm>

namespace hl {

KernelCbPool::KernelCbPool(os::Os& os, uint32_t slot_bytes, uint32_t block_bytes)
    : os_(os), slot_((slot_bytes + 63) / 64 * 64), block_(std::max(block_bytes, slot_)) {}

KernelCbPool::~KernelCbPool() {
  for (const Buffer& b : blocks_) os_.dma_free_coherent(b.cpu, block_, b.bus);
}

uint8_t* KernelCbPool::take(uint32_t size, uint64_t* bus) {
  if (slot_ == 0 || size > slot_) return nullptr;
  if (free_.empty()) {
    Buffer b{};
    b.cpu = static_cast<uint8_t*>(os_.dma_alloc_coherent(block_, &b.bus));
    if (!b.cpu) return nullptr;
    blocks_.push_back(b);
    for (uint32_t k = block_ / slot_; k-- > 0;)  // from the block's end: its first slot is taken first
      free_.push_back(Buffer{b.cpu + uint64_t(k) * slot_, b.bus + uint64_t(k) * slot_});
  }
  Buffer s = free_.back();
  free_.pop_back();
  *bus = s.bus;
  return s.cpu;
}

void KernelCbPool::give(uint8_t* cpu, uint64_t bus) { free_.push_back(Buffer{cpu, bus}); }

}  // namespace hl
