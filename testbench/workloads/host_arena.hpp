// Where the workloads' large host buffers (HostBuffer) live: 2 MiB-aligned reservations
// advised for transparent huge pages, shared by every buffer of the process. A separate
// mapping per buffer put a 1 MiB buffer, and the unaligned ends of larger ones, on 4 KiB
// pages: a fault per 4 KiB (tens of microseconds each on this kind of virtual machine)
// instead of one per 2 MiB. Buffers are packed one after another, so small ones share huge
// pages, and freed ones are reused rather than unmapped: a freed buffer of 2 MiB or more
// gives its pages back to the kernel (MADV_DONTNEED: resident memory drops, the range reads
// as zeros again and refaults from the kernel's warm free pages), a smaller one is kept and
// zero-filled when reused.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace gs {

class HostArena {
 public:
  // The process's arena (never destroyed: buffers may outlive static objects).
  static HostArena& instance();

  // `bytes` (a multiple of 4 KiB) reading as zeros; null when the host has no memory.
  uint8_t* take(size_t bytes);
  void give(uint8_t* p, size_t bytes);

  size_t reserved_bytes() const { return reserved_; }

 private:
  static constexpr size_t kSlabBytes = 64u << 20;
  static constexpr size_t kHuge = 2u << 20;
  uint8_t* map_aligned(size_t bytes);

  std::mutex mu_;
  struct Free {
    uint8_t* p;
    bool zeros;  // given back to the kernel: reads as zeros without a memset
  };
  std::multimap<size_t, Free> free_;  // by size: best fit
  uint8_t* next_ = nullptr;               // untouched since mapped: zeros without a memset
  size_t left_ = 0, reserved_ = 0;
};

}  // namespace gs
