// One MME master with its slave: GEMM C = alpha * op(A) x op(B) + beta * C (+ bias) on
// matrices in card memory (specs/gaudi/tpc_mme.h), computed for real with fp32 accumulation
// when mme.functional is on.
//
// Dataflow (documented in docs/compute.md): the smaller of op(A) and op(B) is stationary and
// loaded first, in steps of mme.chunk_bytes; the other one streams through the array in
// blocks of array_rows rows of op(A) (or array_cols columns of op(B)), each block producing
// the matching rows (columns) of C: read block (+ C block when beta != 0), compute, write.
// A block's compute takes ceil(rows / array_rows) x ceil(cols / array_cols) x K MAC cycles
// (x mme.fp32_slowdown when A or B is fp32) plus array_rows + array_cols fill cycles, at
// card.mme_clock_mhz. Memory and compute overlap through ComputeEngine's pipeline, so large
// square GEMMs are compute-bound near 2 x rows x cols x clock FLOP/s and thin ones are bound
// by the port and the shared memory.
//
// mme.functional = false keeps every bus access of that schedule (so the timing and the
// memory contention are the same) but skips the arithmetic and the buffers; C's bytes are
// read instead of written, so C is left unchanged. For what-if runs on shapes too large to
// compute; every test of numbers runs with it on.
#pragma once
#include "models/engines/compute_engine.hpp"
#include "models/engines/kernels/tensor_io.hpp"
#include "models/engines/mme_params.hpp"

namespace gs {

class MmeEngine : public ComputeEngine {
 public:
  MmeEngine(sc_core::sc_module_name name, const MmeParams& p, BusTarget& noc, unsigned master,
            double clock_mhz, sc_core::sc_time reg_latency = sc_core::SC_ZERO_TIME);

  // Peak FLOP/s of this master (2 flops per MAC) for bf16 or fp32 operands.
  double peak_flops(bool bf16) const;
  uint64_t macs_done() const { return macs_; }

 protected:
  uint32_t check(const std::vector<uint8_t>& desc) override;
  Result execute(const std::vector<uint8_t>& desc, uint64_t epoch) override;

 private:
  struct Gemm {
    gsim_mme_desc d;
    kern::TensorView a, b, c, bias;  // as stored
    kern::TensorView op_a, op_b;     // logical M x K and K x N views
    bool has_bias = false;
  };
  uint32_t decode(const std::vector<uint8_t>& bytes, Gemm* g) const;
  Result load_stationary(const Gemm& g, bool rows_mode, uint64_t epoch);
  Result stream_blocks(const Gemm& g, bool rows_mode, uint64_t epoch);

  const MmeParams& p_;
  double clock_mhz_;
  kern::TensorIo io_;
  std::vector<float> stationary_, bias_, stream_buf_, c_buf_;
  uint64_t macs_ = 0;
};

}  // namespace gs
