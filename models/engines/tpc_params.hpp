// TPC core parameters. The clock is card.tpc_clock_mhz.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct TpcParams {
  uint32_t ops_per_cycle = 64;        // fp32 lanes of a 2048-bit vector (public)
  uint32_t bf16_ops_per_cycle = 128;  // assumed: 16-bit lanes of the same vector
  double launch_ns = 500;             // assumed: kernel start (descriptor decode, program load)
  double port_gbps = 200;             // assumed: what one TPC core can read + write per second
  uint32_t chunk_bytes = 32768;       // output bytes per pipeline step
  uint32_t outstanding_chunks = 4;    // steps in flight (loads ahead of stores)

  template <class V> void visit(V& v) {
    v.param("tpc.ops_per_cycle", ops_per_cycle, "", "fp32 vector-lane operations per cycle of one TPC core", Range{1, 4096});
    v.param("tpc.bf16_ops_per_cycle", bf16_ops_per_cycle, "", "vector-lane operations per cycle when every tensor is bf16", Range{1, 4096});
    v.param("tpc.launch_ns", launch_ns, "ns", "TPC kernel launch overhead", Range{0, 1e6});
    v.param("tpc.port_gbps", port_gbps, "GB/s", "memory bandwidth one TPC core can use (reads + writes)", Range{0.1, 1e5});
    v.param("tpc.chunk_bytes", chunk_bytes, "B", "output bytes per TPC pipeline step; memory is shared per step", Range{256, 16 << 20});
    v.param("tpc.outstanding_chunks", outstanding_chunks, "", "TPC pipeline steps in flight", Range{1, 256});
  }
};

}  // namespace gs
