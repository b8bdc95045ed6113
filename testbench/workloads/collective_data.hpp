// Test data of workload "collective": every rank's input is a deterministic function of
// (seed, rank, element). fp32: k/64 with |k| <= 128, so sums of up to 4096 ranks are exact
// whatever the order. bf16 (8 significant bits): integers -4..4, so that every partial sum
// of up to 32 ranks is exact too, whichever way an algorithm groups and rounds it. Either
// way the reference is unique and results are compared exactly.
#pragma once
#include <cstdint>
#include <cstring>

#include "specs/gaudi/tpc_mme.h"

namespace gs::colldata {

inline float value(uint64_t seed, unsigned rank, uint64_t i, bool bf16) {
  uint64_t x = (seed * 0x9E3779B97F4A7C15ull) ^ (uint64_t(rank + 1) * 0xBF58476D1CE4E5B9ull) ^ (i * 0x94D049BB133111EBull);
  x ^= x >> 31;
  x *= 0xD6E8FEB86722F6Bull;
  x ^= x >> 29;
  return bf16 ? float(int(x % 9) - 4) : float(int(x % 257) - 128) / 64.0f;
}

// `count` elements starting at element `first` of rank's input, in the wire format.
inline void fill(uint8_t* dst, bool bf16, uint64_t seed, unsigned rank, uint64_t first, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) {
    float v = value(seed, rank, first + i, bf16);
    if (bf16) {
      uint16_t h = gsim_fp32_to_bf16(v);
      std::memcpy(dst + 2 * i, &h, 2);
    } else {
      std::memcpy(dst + 4 * i, &v, 4);
    }
  }
}

inline float load(const uint8_t* src, bool bf16, uint64_t i) {
  if (bf16) {
    uint16_t h;
    std::memcpy(&h, src + 2 * i, 2);
    return gsim_bf16_to_fp32(h);
  }
  float v;
  std::memcpy(&v, src + 4 * i, 4);
  return v;
}

// The value a sum over `ranks` must have, rounded to the element type as the TPC does.
inline float sum(bool bf16, uint64_t seed, unsigned ranks, uint64_t i) {
  float s = 0;
  for (unsigned r = 0; r < ranks; ++r) s += value(seed, r, i, bf16);
  return bf16 ? gsim_bf16_to_fp32(gsim_fp32_to_bf16(s)) : s;
}

}  // namespace gs::colldata
