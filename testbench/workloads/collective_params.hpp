// Parameters of workload "collective" (the default run): which collective, the size sweep,
// and the communication library's tuning.
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"

namespace gs {

struct CollectiveParams {
  std::string op = "allreduce";
  std::string dtype = "float";
  uint64_t min_bytes = 8;
  uint64_t max_bytes = 256ull << 20;
  uint32_t step_factor = 2;
  uint32_t root = 0;
  bool check = true;
  uint64_t chunk_bytes = 1 << 20;
  uint32_t reduce_cores = 4;
  uint32_t scaleout_ports = 3;

  template <class V> void visit(V& v) {
    v.choice("workload.op", op, {"allreduce", "reducescatter", "allgather", "alltoall", "broadcast"},
             "collective: which collective the size sweep runs");
    v.choice("workload.dtype", dtype, {"float", "bfloat16"}, "collective: element type (sum in fp32, rounded once)");
    v.param("workload.min_bytes", min_bytes, "B", "collective: first size of the sweep (NCCL tests' -b)", Range{8, 1ull << 34});
    v.param("workload.max_bytes", max_bytes, "B", "collective: last size of the sweep (NCCL tests' -e)", Range{8, 1ull << 34});
    v.param("workload.step_factor", step_factor, "", "collective: each size is the previous times this (NCCL tests' -f)", Range{2, 1024});
    v.param("workload.root", root, "", "collective: root rank of broadcast", Range{0, 65535});
    v.param("workload.check", check, "", "collective: copy every result back to the host and compare it with a host reference");
    v.param("comm.chunk_bytes", chunk_bytes, "B", "communication library: pipeline piece of a share (NIC, TPC and DMA overlap piece by piece)", Range{4096, 1ull << 32});
    v.param("comm.reduce_cores", reduce_cores, "", "communication library: TPC cores that share the reductions", Range{1, 8});
    v.param("comm.scaleout_ports", scaleout_ports, "",
            "communication library: scale-out ports (1, 8, 9 in that order) that each carry a ring across boxes (HLS-1 has 3)",
            Range{1, 3});
  }
};

}  // namespace gs
