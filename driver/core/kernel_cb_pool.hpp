// The driver's checked copies of small CBs (kernel CBs) share pages: slots of a fixed size
// carved from DMA-coherent blocks the pool keeps, reused when their jobs end (the Linux
// driver keeps a pool of kernel CBs for the same reason). A copy of its own per job was a
// fresh host page per job: a page fault and a zeroed page for a few hundred bytes.
#pragma once
#include <cstdint>
#include <vector>

#include "driver/os/os.hpp"

namespace hl {

class KernelCbPool {
 public:
  // slot_bytes 0: no pool (every copy gets its own buffer). Slots are 64-byte multiples.
  KernelCbPool(os::Os& os, uint32_t slot_bytes, uint32_t block_bytes);
  ~KernelCbPool();
  KernelCbPool(const KernelCbPool&) = delete;
  KernelCbPool& operator=(const KernelCbPool&) = delete;

  // A slot for `size` bytes (contents left from its last use), or null if the copy is
  // larger than a slot or no block can be had. *bus: its bus address.
  uint8_t* take(uint32_t size, uint64_t* bus);
  void give(uint8_t* cpu, uint64_t bus);  // a slot take() returned, free again

 private:
  struct Buffer {  // a block, or a slot in one
    uint8_t* cpu;
    uint64_t bus;
  };
  os::Os& os_;
  uint32_t slot_, block_;
  std::vector<Buffer> blocks_;
  std::vector<Buffer> free_;  // taken from the back: the slot given back last is reused first
};

}  // namespace hl
