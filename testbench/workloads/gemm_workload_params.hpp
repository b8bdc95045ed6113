// Parameters of workload "gemm".
#pragma once
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "common/params.hpp"

namespace gs {

// The largest square GEMM: C (n x n fp32) must fit one DMA transfer (< 4 GiB).
constexpr uint32_t kGemmMaxSize = 32767;

// gemm.sizes as numbers, one per comma-separated entry; 0 for an entry that is not a whole
// number in 1..kGemmMaxSize.
inline std::vector<uint32_t> parse_gemm_sizes(const std::string& text) {
  std::vector<uint32_t> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t used = 0;
    unsigned long v = 0;
    try {
      v = std::stoul(item, &used);
    } catch (...) {
      used = 0;
    }
    while (used < item.size() && item[used] == ' ') ++used;
    out.push_back(used == item.size() && item.find('-') == std::string::npos && v >= 1 && v <= kGemmMaxSize ? uint32_t(v) : 0);
  }
  return out;
}

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
