// Test data for the SparseMemory tests: bytes that are no repeated pattern, and a read-back
// into a buffer that starts out as neither zeros nor the data.
#pragma once
#include <cstdint>
#include <vector>

#include "models/common/sparse_memory.hpp"

namespace gs::test {

inline std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(seed + i * 7 + (i >> 8));
  return v;
}

inline std::vector<uint8_t> read_back(const SparseMemory& m, uint64_t addr, size_t n) {
  std::vector<uint8_t> v(n, 0xEE);
  m.read(addr, v.data(), n);
  return v;
}

}  // namespace gs::test
