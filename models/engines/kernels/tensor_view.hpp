// A tensor as the engines see it: base address, dtype, up to 5 dims with strides in elements,
// decoded and checked from a gsim_tensor (specs/gaudi/tpc_mme.h). Engines walk a range of
// logical elements (row-major order, dim 0 innermost) as "runs" of elements that sit at
// consecutive addresses, so that each run is one bus access.
#pragma once
#include <array>
#include <cstdint>

#include "specs/gaudi/tpc_mme.h"

namespace gs::kern {

struct TensorView {
  uint64_t addr = 0;
  uint32_t dtype = GSIM_DTYPE_FP32;
  std::array<uint64_t, GSIM_MAX_DIMS> shape{{1, 1, 1, 1, 1}};
  std::array<uint64_t, GSIM_MAX_DIMS> stride{{1, 1, 1, 1, 1}};

  // Decodes and checks one descriptor tensor. Returns 0 or the GSIM_ENG_ERR_* cause.
  static uint32_t decode(const gsim_tensor& t, TensorView* out);

  unsigned esize() const { return gsim_dtype_size(dtype); }
  uint64_t elements() const;
  uint64_t span_bytes() const;  // from addr to the end of the last element
  bool same_shape(const TensorView& o) const { return shape == o.shape; }
  // No two logical elements share an address through a zero stride (outputs need this).
  bool writable() const;
  uint64_t offset_of(uint64_t linear) const;  // element offset of a logical index
  // The same elements with dims 0 and 1 swapped (a transposed matrix).
  TensorView transposed() const;
  // Adjacent dims that are contiguous merged into one, so packed tensors walk as one run.
  TensorView collapsed() const;
};

// Consecutive logical elements [first, first + count) at element offsets offset,
// offset + step, ... (step 1: one contiguous run; step 0: one broadcast element).
struct Run {
  uint64_t first, count, offset, step;
};

// Calls f(const Run&) for the runs covering logical elements [first, first + count) of v,
// in order; stops early if f returns false. Returns false if f did.
template <class F>
bool for_each_run(const TensorView& v, uint64_t first, uint64_t count, F&& f) {
  const uint64_t row = v.shape[0];
  while (count > 0) {
    uint64_t col = first % row;
    uint64_t n = row - col < count ? row - col : count;
    if (!f(Run{first, n, v.offset_of(first), v.stride[0]})) return false;
    first += n;
    count -= n;
  }
  return true;
}

}  // namespace gs::kern
