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
  // Deterministic bytes from a seed, eight bytes (a word, little-endian) at a time. Each word
  // is a mix of the seed and its index, not the next step of a generator: words do not wait
  // for each other (xorshift's chain made filling and checking cost about 2 ns per word, most
  // of a bytes-mode RDMA run's checking), and as the mix is a bijection, no two words of a
  // buffer are equal (never a repeated pattern a memory would store as runs) and two seeds
  // differ in every word.
  void fill_pattern(uint64_t seed) {
    const uint64_t key = key_of(seed);
    size_t i = 0;
    for (; i + 8 <= size_; i += 8) {
      const uint64_t x = word(key, i / 8);
      std::memcpy(p_ + i, &x, 8);
    }
    const uint64_t x = word(key, i / 8);
    std::memcpy(p_ + i, &x, size_ - i);
  }
  // Whether `data` holds the first n bytes that fill_pattern(seed) writes: checked as the
  // pattern is generated, so checking needs no reference buffer (nor its fresh pages).
  static bool matches_pattern(uint64_t seed, const uint8_t* data, size_t n) {
    const uint64_t key = key_of(seed);
    size_t i = 0;
    for (; i + kBlock <= n; i += kBlock) {  // a block's words compared without a branch each
      uint64_t differ = 0;
      for (size_t k = 0; k < kBlock; k += 8) {
        uint64_t w;
        std::memcpy(&w, data + i + k, 8);
        differ |= w ^ word(key, (i + k) / 8);
      }
      if (differ) return false;
    }
    for (uint64_t w; i + 8 <= n; i += 8) {
      std::memcpy(&w, data + i, 8);
      if (w != word(key, i / 8)) return false;
    }
    const uint64_t x = word(key, i / 8);
    return std::memcmp(data + i, &x, n - i) == 0;
  }

 private:
  static constexpr size_t kBlock = 64;
  static uint64_t key_of(uint64_t seed) { return seed * 0xBF58476D1CE4E5B9ull; }  // odd: one key per seed
  static uint64_t word(uint64_t key, uint64_t index) {
    const uint64_t z = key + (index + 1) * 0x9E3779B97F4A7C15ull;  // odd step: distinct for distinct (key, index)
    return z ^ (z >> 29);                                         // a bijection
  }
  static constexpr size_t kMapBytes = 256 * 1024;  // from here on: from the HostArena
  uint8_t* p_;
  size_t size_, mapped_;
};

}  // namespace gs
