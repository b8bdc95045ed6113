// A user program's own host buffer (page aligned, like malloc'ed memory it would pin).
// It reads as zeros when made, without being written: large buffers are fresh anonymous
// mappings (the kernel's zero pages until touched), so a buffer that is filled at once, or
// never touched at all (sim.payload=timing), costs no zero-filling and no resident memory.
#pragma once
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace gs {

class HostBuffer {
 public:
  explicit HostBuffer(size_t size) : size_(size), mapped_((size + 4095) / 4096 * 4096) {
    if (mapped_ >= kMapBytes) {
      void* m = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      p_ = m == MAP_FAILED ? nullptr : static_cast<uint8_t*>(m);
      if (p_) madvise(p_, mapped_, MADV_HUGEPAGE);  // one fault per 2 MiB when filled
    } else {
      p_ = static_cast<uint8_t*>(std::aligned_alloc(4096, mapped_ ? mapped_ : 4096));
      if (p_) std::memset(p_, 0, size);
    }
    // check_host_memory() refuses configs that cannot fit; this catches what is left.
    if (!p_) throw std::runtime_error("host memory: cannot allocate a " + std::to_string(size) + "-byte buffer");
  }
  ~HostBuffer() {
    if (mapped_ >= kMapBytes)
      munmap(p_, mapped_);
    else
      std::free(p_);
  }
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;

  uint8_t* data() { return p_; }
  size_t size() const { return size_; }
  // Deterministic bytes from a seed (xorshift, eight bytes per step), so runs are
  // reproducible and filling large buffers stays cheap.
  void fill_pattern(uint64_t seed) {
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    size_t i = 0;
    for (; i < size_; i += 8) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      std::memcpy(p_ + i, &x, size_ - i < 8 ? size_ - i : 8);
    }
  }

 private:
  static constexpr size_t kMapBytes = 256 * 1024;  // from here on: an anonymous mapping
  uint8_t* p_;
  size_t size_, mapped_;
};

}  // namespace gs
