// Thunk helpers for the compute engines (specs/gaudi/tpc_mme.h): tensor and kernel
// descriptors, a small arena that places descriptors in device-reachable memory, and the
// packets that launch a kernel on a TPC or MME queue, so user code never deals with layouts.
//
//   DescArena arena(host_buf, host_buf_device_addr, size);
//   uint64_t d = arena.put(tpc_kernel(GSIM_TPC_ADD, {x, y}, z));
//   launch(cb, GAUDI_QUEUE_ID_TPC_0_0, d, sob_increment(200));  // signals SOB 200 when done
//
// The descriptor builders are inline (plain data, no driver state), so model-level tests
// can use them without the driver library.
#pragma once
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "driver/lib/cb_builder.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/tpc_mme.h"

namespace hlthunk {

// --- tensors ---
// Packed tensor of the given shape, dim 0 (the innermost, a row) first.
inline gsim_tensor tensor(uint64_t addr, uint32_t dtype, std::initializer_list<uint32_t> shape) {
  gsim_tensor t;
  std::memset(&t, 0, sizeof t);
  t.addr = addr;
  t.dtype = dtype;
  t.ndims = shape.size() ? uint32_t(shape.size()) : 1;
  uint64_t stride = 1;
  unsigned d = 0;
  for (uint32_t s : shape) {
    if (d == GSIM_MAX_DIMS) break;
    t.shape[d] = s;
    t.stride[d] = stride;
    stride *= s;
    ++d;
  }
  for (; d < GSIM_MAX_DIMS; ++d) t.shape[d] = 1;
  t.stride[0] = 1;
  return t;
}

// Row-major matrix rows x cols with leading dimension ld (elements; 0 = cols).
inline gsim_tensor matrix(uint64_t addr, uint32_t dtype, uint32_t rows, uint32_t cols, uint64_t ld = 0) {
  gsim_tensor t = tensor(addr, dtype, {cols, rows});
  t.stride[1] = ld ? ld : cols;
  return t;
}

inline uint64_t tensor_elements(const gsim_tensor& t) {
  uint64_t n = 1;
  for (unsigned d = 0; d < GSIM_MAX_DIMS; ++d) n *= t.shape[d];
  return n;
}

// Elements x element size: the bytes of a packed tensor.
inline uint64_t tensor_bytes(const gsim_tensor& t) { return tensor_elements(t) * gsim_dtype_size(t.dtype); }

// Indices [first, first + count) of dim d of t.
inline gsim_tensor tensor_slice(const gsim_tensor& t, unsigned d, uint32_t first, uint32_t count) {
  gsim_tensor s = t;
  s.addr += uint64_t(first) * t.stride[d] * gsim_dtype_size(t.dtype);
  s.shape[d] = count;
  return s;
}

// --- TPC descriptors ---
inline gsim_tpc_desc tpc_kernel(uint32_t kernel, const std::vector<gsim_tensor>& inputs, const gsim_tensor& output,
                                float scalar0 = 0.0f) {
  gsim_tpc_desc d;
  std::memset(&d, 0, sizeof d);
  d.magic = GSIM_TPC_DESC_MAGIC;
  d.kernel = kernel;
  d.num_inputs = uint32_t(inputs.size());
  d.scalar[0] = scalar0;
  for (size_t i = 0; i < inputs.size() && i < GSIM_TPC_MAX_INPUTS; ++i) d.input[i] = inputs[i];
  d.output = output;
  return d;
}

inline gsim_tpc_desc tpc_kernel(uint32_t kernel, std::initializer_list<gsim_tensor> inputs, const gsim_tensor& output,
                                float scalar0 = 0.0f) {
  return tpc_kernel(kernel, std::vector<gsim_tensor>(inputs), output, scalar0);
}

// The kernel cut into at most `parts` slices along the output's outermost dim larger than 1,
// one per TPC core: rows stay whole unless that dim is dim 0, which softmax never cuts.
inline std::vector<gsim_tpc_desc> split_tpc_kernel(const gsim_tpc_desc& d, unsigned parts) {
  int dim = -1;
  for (int i = GSIM_MAX_DIMS - 1; i >= 0 && dim < 0; --i)
    if (d.output.shape[i] > 1) dim = i;
  if (parts <= 1 || dim < 0 || (dim == 0 && d.kernel == GSIM_TPC_SOFTMAX)) return {d};
  const uint32_t n = d.output.shape[dim];
  if (parts > n) parts = n;
  std::vector<gsim_tpc_desc> out;
  uint32_t first = 0;
  for (unsigned p = 0; p < parts; ++p) {
    uint32_t count = n / parts + (p < n % parts ? 1 : 0);  // the first n % parts get one more
    gsim_tpc_desc s = d;
    s.output = tensor_slice(d.output, unsigned(dim), first, count);
    for (uint32_t i = 0; i < d.num_inputs && i < GSIM_TPC_MAX_INPUTS; ++i)
      s.input[i] = tensor_slice(d.input[i], unsigned(dim), first, count);
    out.push_back(s);
    first += count;
  }
  return out;
}

// --- MME descriptors ---
struct GemmArgs {
  gsim_tensor a, b, c;  // stored matrices: op(A) is m x k, op(B) k x n, C m x n
  bool trans_a = false, trans_b = false;
  float alpha = 1.0f, beta = 0.0f;
  const gsim_tensor* bias = nullptr;  // n elements added to every row, or none
};

inline gsim_mme_desc gemm(const GemmArgs& g) {
  gsim_mme_desc d;
  std::memset(&d, 0, sizeof d);
  d.magic = GSIM_MME_DESC_MAGIC;
  d.flags = (g.trans_a ? GSIM_MME_TRANS_A : 0) | (g.trans_b ? GSIM_MME_TRANS_B : 0) | (g.bias ? GSIM_MME_BIAS : 0);
  d.m = g.c.shape[1];
  d.n = g.c.shape[0];
  d.k = g.trans_a ? g.a.shape[1] : g.a.shape[0];
  d.alpha = g.alpha;
  d.beta = g.beta;
  d.a = g.a;
  d.b = g.b;
  d.c = g.c;
  if (g.bias) d.bias = *g.bias;
  return d;
}

// Places descriptors in a buffer the device can read (a host buffer mapped to the device,
// or the CPU view of any device-reachable memory) and returns their device addresses.
class DescArena {
 public:
  DescArena(void* cpu, uint64_t device_addr, uint32_t capacity)
      : cpu_(static_cast<uint8_t*>(cpu)), dev_(device_addr), cap_(capacity) {}
  // Device address of the copy (8-aligned), or 0 when the arena is full.
  uint64_t put(const void* desc, uint32_t bytes);
  template <class D> uint64_t put(const D& d) { return put(&d, sizeof d); }
  void clear() { used_ = 0; }
  uint32_t used() const { return used_; }

 private:
  uint8_t* cpu_;
  uint64_t dev_;
  uint32_t cap_, used_ = 0;
};

// --- launch packets ---
struct Completion {
  uint64_t addr = 0;  // 0: no completion write
  uint32_t data = 0;
};

// Completion that adds `by` to W_S sync object `sob` (which must be in the user range).
inline Completion sob_increment(uint32_t sob, uint32_t by = 1) {
  return Completion{GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(sob),
                    GAUDI_SM_SOB_INC_MASK | (by & GAUDI_SM_SOB_VAL_MASK)};
}

bool is_compute_queue(unsigned queue_id);  // a TPC or MME queue (uAPI queue id)
// WREG offset of the launch registers for a TPC or MME queue.
uint32_t engine_wreg_base(unsigned queue_id);
// One WREG_BULK: descriptor address, completion target and value, then LAUNCH.
void launch(CbBuilder& cb, unsigned queue_id, uint64_t desc_device_addr, Completion done = {}, bool eb = false);
// LIN_DMA of size 0: the engine's sync point. The stream fails (QMAN error event, the
// driver aborts the CS) if a kernel launched before it failed while running.
void engine_sync_point(CbBuilder& cb);

}  // namespace hlthunk
