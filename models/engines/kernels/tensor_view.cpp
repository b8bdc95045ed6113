#include "models/engines/kernels/tensor_view.hpp"

namespace gs::kern {

uint32_t TensorView::decode(const gsim_tensor& t, TensorView* out) {
  TensorView v;
  if (t.dtype != GSIM_DTYPE_FP32 && t.dtype != GSIM_DTYPE_BF16) return GSIM_ENG_ERR_DESC_BAD;
  if (t.ndims < 1 || t.ndims > GSIM_MAX_DIMS) return GSIM_ENG_ERR_SHAPE;
  v.addr = t.addr;
  v.dtype = t.dtype;
  uint64_t count = 1, span = 0;
  for (unsigned d = 0; d < GSIM_MAX_DIMS; ++d) {
    if (t.shape[d] == 0) return GSIM_ENG_ERR_SHAPE;
    if (d >= t.ndims && t.shape[d] != 1) return GSIM_ENG_ERR_SHAPE;
    v.shape[d] = t.shape[d];
    count *= t.shape[d];
    if (count > (1ull << 48)) return GSIM_ENG_ERR_SHAPE;
    v.stride[d] = d < t.ndims ? t.stride[d] : 0;
    // Keep every offset well inside 64 bits: no tensor spans more than 2^56 elements.
    if (v.stride[d] >= (1ull << 40)) return GSIM_ENG_ERR_SHAPE;
    if (v.stride[d] && (v.shape[d] - 1) > ((1ull << 56) - span) / v.stride[d]) return GSIM_ENG_ERR_SHAPE;
    span += (v.shape[d] - 1) * v.stride[d];
  }
  if (v.addr % v.esize()) return GSIM_ENG_ERR_ALIGN;
  *out = v;
  return 0;
}

uint64_t TensorView::elements() const {
  uint64_t n = 1;
  for (uint64_t s : shape) n *= s;
  return n;
}

uint64_t TensorView::span_bytes() const {
  uint64_t last = 0;
  for (unsigned d = 0; d < GSIM_MAX_DIMS; ++d) last += (shape[d] - 1) * stride[d];
  return (last + 1) * esize();
}

bool TensorView::writable() const {
  for (unsigned d = 0; d < GSIM_MAX_DIMS; ++d)
    if (shape[d] > 1 && stride[d] == 0) return false;
  return true;
}

uint64_t TensorView::offset_of(uint64_t linear) const {
  uint64_t off = 0;
  for (unsigned d = 0; d < GSIM_MAX_DIMS; ++d) {
    off += (linear % shape[d]) * stride[d];
    linear /= shape[d];
  }
  return off;
}

TensorView TensorView::transposed() const {
  TensorView t = *this;
  std::swap(t.shape[0], t.shape[1]);
  std::swap(t.stride[0], t.stride[1]);
  return t;
}

// Merging dim d into d - 1 when stride[d] == stride[d-1] * shape[d-1] keeps every logical
// index at the same offset; dims of size 1 merge with anything.
TensorView TensorView::collapsed() const {
  TensorView c = *this;
  std::array<uint64_t, GSIM_MAX_DIMS> sh{{1, 1, 1, 1, 1}}, st{{0, 0, 0, 0, 0}};
  unsigned n = 0;
  sh[0] = shape[0];
  st[0] = stride[0];
  for (unsigned d = 1; d < GSIM_MAX_DIMS; ++d) {
    if (shape[d] == 1) continue;
    if (sh[n] == 1) {
      sh[n] = shape[d];
      st[n] = stride[d];
    } else if (stride[d] == st[n] * sh[n]) {
      sh[n] *= shape[d];
    } else {
      ++n;
      sh[n] = shape[d];
      st[n] = stride[d];
    }
  }
  c.shape = sh;
  c.stride = st;
  return c;
}

}  // namespace gs::kern
