// One TPC core: runs the element-wise and row kernels of specs/gaudi/tpc_mme.h on tensors in
// card memory, for real, in fp32 (bf16 widened on load, rounded to nearest even on store).
//
// A kernel walks its output in steps of tpc.chunk_bytes: each step gathers the inputs'
// matching elements (bus reads), computes them, and scatters the result (bus writes). A
// step's compute time is elements x ops-per-element (tpc_kernels.hpp) / (lanes x clock),
// with 128 lanes when every tensor is bf16 and 64 otherwise. Memory and compute overlap in
// the pipeline of ComputeEngine, so a kernel takes about
//   launch_ns + max(bytes / min(port, memory share), ops / (lanes x clock)).
// A user splitting a kernel over n cores (each given a slice of the tensors) gets n ports
// and n times the lanes, until the shared memory is the limit.
#pragma once
#include "models/engines/compute_engine.hpp"
#include "models/engines/kernels/tensor_io.hpp"
#include "models/engines/tpc_params.hpp"

namespace gs {

class TpcCore : public ComputeEngine {
 public:
  TpcCore(sc_core::sc_module_name name, const TpcParams& p, BusTarget& noc, unsigned index,
          double clock_mhz, sc_core::sc_time reg_latency = sc_core::SC_ZERO_TIME);

  uint64_t elements_done() const { return elements_; }  // output elements written

 protected:
  uint32_t check(const std::vector<uint8_t>& desc) override;
  Result execute(const std::vector<uint8_t>& desc, uint64_t epoch) override;

  uint64_t raw_executes() const { return raw_executes_; }

 private:
  struct Kernel {
    gsim_tpc_desc d;
    kern::TensorView in[GSIM_TPC_MAX_INPUTS];
    kern::TensorView out;
  };
  uint32_t decode(const std::vector<uint8_t>& bytes, Kernel* k) const;

  const TpcParams& p_;
  double clock_mhz_;
  uint64_t raw_executes_ = 0;  // TPC_EXECUTE of a raw TPC program (not run, see the constructor)
  kern::TensorIo io_;
  std::vector<float> in_buf_, out_buf_;
  uint64_t elements_ = 0;
};

}  // namespace gs
