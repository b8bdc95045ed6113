// Parameters of workload "tpc".
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"

namespace gs {

struct TpcWorkloadParams {
  uint64_t elements = 1 << 20;  // per tensor
  uint32_t row = 1024;          // row length (dim 0); softmax normalises each row
  std::string dtype = "fp32";
  std::string kernels = "copy,add,sub,mul,axpy,sum,max,relu,gelu,softmax";
  uint32_t cores = 8;           // TPC cores each kernel is split over (by rows)
  uint32_t inputs = 4;          // inputs of sum and max

  template <class V> void visit(V& v) {
    v.param("tpc.elements", elements, "", "elements per tensor of workload 'tpc' (a multiple of tpc.row)", Range{1, 1ull << 32});
    v.param("tpc.row", row, "", "row length of the tensors of workload 'tpc'", Range{1, 1u << 24});
    v.choice("tpc.dtype", dtype, {"fp32", "bf16"}, "element type of every tensor of workload 'tpc'");
    v.param("tpc.kernels", kernels, "", "comma-separated kernels of workload 'tpc': copy,add,sub,mul,axpy,sum,max,relu,gelu,softmax");
    v.param("tpc.cores", cores, "", "TPC cores each kernel of workload 'tpc' is split over", Range{1, 8});
    v.param("tpc.inputs", inputs, "", "number of inputs of the sum and max kernels", Range{1, 8});
  }
};

}  // namespace gs
