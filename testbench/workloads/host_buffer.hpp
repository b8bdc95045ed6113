// A user program's own host buffer (page aligned, like malloc'ed memory it would pin).
// It reads as zeros when made, without being written: large buffers come from the
// process's HostArena (huge pages untouched until filled, or reused and zeroed), so a
// buffer that is filled at once, or never touched at all (sim.payload=timing), costs no
// zero-filling and no resident memory.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "testbench/workloads/host_arena.hpp"

namespace gs {

class HostBuffer {
 public:
  explicit HostBuffer(size_t size) : size_(size), mapped_((size + 4095) / 4096 * 4096) {
    if (mapped_ >= kMapBytes) {
      p_ = HostArena::instance().take(mapped_);
    } else {
      p_ = static_cast<uint8_t*>(std::aligned_alloc(4096, mapped_ ? mapped_ : 4096));
      if (p_) std::memset(p_, 0, size);
    }
    // check_host_memory() refuses configs that cannot fit; this catches what is left.
    if (!p_) throw std::runtime_error("host memory: cannot allocate a " + std::to_string(size) + "-byte buffer");
  }
  ~HostBuffer() {
    if (mapped_ >= kMapBytes)
      HostArena::instance().give(p_, mapped_);
    else
      std::free(p_);
  }
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;

  uint8_t* data() { return p_; }
  const uint8_t* data() const { return p_; }
  size_t size() const { return size_; }
  // Deterministic bytes from a seed (xorshift, eight bytes per step), so runs are
  // reproducible and filling large buffers stays cheap.
  void fill_pattern(uint64_t seed) {
    Pattern g(seed);
    for (size_t i = 0; i < size_; i += 8) {
      uint64_t x = g.next();
      std::memcpy(p_ + i, &x, size_ - i < 8 ? size_ - i : 8);
    }
  }
  // Whether `data` holds the first n bytes that fill_pattern(seed) writes: checked as the
  // pattern is generated, so checking needs no reference buffer (nor its fresh pages).
  static bool matches_pattern(uint64_t seed, const uint8_t* data, size_t n) {
    Pattern g(seed);
    size_t i = 0;
    for (uint64_t w; i + 8 <= n; i += 8) {
      std::memcpy(&w, data + i, 8);
      if (w != g.next()) return false;
    }
    uint64_t x = g.next();
    return i == n || std::memcmp(data + i, &x, n - i) == 0;
  }

 private:
  struct Pattern {
    explicit Pattern(uint64_t seed) : x(seed * 0x9E3779B97F4A7C15ull + 1) {}
    uint64_t next() {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      return x;
    }
    uint64_t x;
  };
  static constexpr size_t kMapBytes = 256 * 1024;  // from here on: from the HostArena
  uint8_t* p_;
  size_t size_, mapped_;
};

}  // namespace gs
