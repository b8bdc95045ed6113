// Payload buffers of the NICs' requesters, recycled: a message's payload is read chunk by
// chunk into buffers that its packets (and retransmissions) refer to; when the last
// reference goes (the chunk is acknowledged and its frames delivered), the buffer returns
// here instead of to the allocator. Buffers of up to kBlockBytes (a requester's read chunk)
// are blocks of one process-wide PageBlocks: huge-page slabs, never zero-filled (every
// byte used is written first), and a block one port frees serves any other. A fresh
// zero-filled vector per chunk and per-port free lists cost a zero fill and a 4 KiB page
// fault per 4 KiB of every port's window (a fault costs microseconds on this kind of
// virtual machine). A buffer may be longer than asked; only [0, length) is ever used.
#pragma once
#include <cstdint>
#include <memory>
#include <new>

#include "models/common/page_blocks.hpp"

namespace gs {

class PayloadPool : public std::enable_shared_from_this<PayloadPool> {
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
    uint8_t* b = blocks_.get();
    if (!b) throw std::bad_alloc();
    // The buffer keeps the pool (and so its slabs) alive while a frame still refers to it.
    return Buffer(b, [self = shared_from_this()](uint8_t* p) { self->blocks_.put(p); });
  }

 private:
  PageBlocks blocks_{kBlockBytes};
};

}  // namespace gs
