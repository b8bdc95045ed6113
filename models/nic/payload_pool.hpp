// Payload buffers of the NICs' requesters, recycled: a message's payload is read chunk by
// chunk into buffers that its packets (and retransmissions) refer to; when the last
// reference goes (the chunk is acknowledged, its frames delivered, and no memory page that
// received them by reference still holds it), the buffer returns to the pool instead of to
// the allocator. Buffers of up to kBlockBytes (a requester's read chunk) are SharedBlocks of
// that size, the same blocks as SparseMemory pages: huge-page slabs, never zero-filled
// (every byte used is written first), one process-wide pool. A chunk read whole from a
// memory page is that page's block itself (lent, not copied: models/common/shared_block.hpp).
// A fresh zero-filled vector per chunk and per-port free lists cost a zero fill and a 4 KiB
// page fault per 4 KiB of every port's window (a fault costs microseconds on this kind of
// virtual machine). A buffer may be longer than asked; only [0, length) is ever used.
#pragma once
#include <cstdint>
#include <memory>
#include <new>

#include "models/common/shared_block.hpp"

namespace gs {

class PayloadPool {
 public:
  using Buffer = std::shared_ptr<uint8_t>;
  static constexpr size_t kBlockBytes = 64 * 1024;

  // The pool the NICs of this process share.
  static std::shared_ptr<PayloadPool> shared() {
    static std::shared_ptr<PayloadPool> pool = std::make_shared<PayloadPool>();
    return pool;
  }

  // Uninitialised bytes; throws std::bad_alloc when the host has no memory for them.
  Buffer get(size_t len) {
    if (len > kBlockBytes) return Buffer(new uint8_t[len], std::default_delete<uint8_t[]>());
    Buffer b = SharedBlocks::take(kBlockBytes);
    if (!b) throw std::bad_alloc();
    return b;
  }
};

}  // namespace gs
