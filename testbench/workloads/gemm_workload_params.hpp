// Parameters of workload "gemm".
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"

namespace gs {

struct GemmWorkloadParams {
  std::string sizes = "256,512,1024";  // square GEMMs M = N = K
  std::string dtype = "bf16";
  uint32_t engines = 2;                // MME masters sharing each GEMM (by rows of C)
  bool verify = true;

  template <class V> void visit(V& v) {
    v.param("gemm.sizes", sizes, "", "comma-separated sizes n of the square GEMMs (n x n x n) of workload 'gemm'");
    v.choice("gemm.dtype", dtype, {"bf16", "fp32"}, "element type of A and B (C and accumulation are fp32)");
    v.param("gemm.engines", engines, "", "MME masters each GEMM is split over (by rows of C)", Range{1, 2});
    v.param("gemm.verify", verify, "", "check C against a CPU reference (needs mme.functional)");
  }
};

}  // namespace gs
