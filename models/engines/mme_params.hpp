// MME parameters (one master with its slave). The clock is card.mme_clock_mhz.
// Peak = 2 FLOP x rows x cols x clock x card.mme_engines: 2 x 128 x 64 x 1831 MHz x 2 masters
// = 60.0 TFLOPS bf16, the public HL-205 figure (docs/calibration.md). The split between
// geometry and clock is not public: 1831 MHz lies in the 1.5-2.2 GHz working range.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct MmeParams {
  uint32_t array_rows = 128;        // assumed: MACs of one master + slave pair, rows x columns
  uint32_t array_cols = 64;         // assumed: with the clock, gives the public 60 TFLOPS bf16
  uint32_t fp32_slowdown = 4;       // assumed: an fp32 MAC takes this many bf16 MAC slots (15 TFLOPS)
  double launch_ns = 1000;          // assumed: descriptor decode and array set-up
  double port_gbps = 500;           // assumed: what one MME master can read + write per second
  uint32_t chunk_bytes = 65536;     // memory request granule
  uint32_t outstanding_chunks = 8;  // assumed: requests in flight (bytes = this x chunk_bytes)
  uint32_t outstanding_blocks = 4;  // streamed operand blocks in flight (buffers)
  bool functional = true;           // false: timing only, no arithmetic, C left unchanged

  template <class V> void visit(V& v) {
    v.param("mme.array_rows", array_rows, "", "MAC array rows of one MME master (with its slave)", Range{1, 4096});
    v.param("mme.array_cols", array_cols, "", "MAC array columns of one MME master (with its slave)", Range{1, 4096});
    v.param("mme.fp32_slowdown", fp32_slowdown, "", "cycles per fp32 MAC relative to bf16", Range{1, 64});
    v.param("mme.launch_ns", launch_ns, "ns", "MME job launch overhead", Range{0, 1e6});
    v.param("mme.port_gbps", port_gbps, "GB/s", "memory bandwidth one MME master can use (reads + writes)", Range{0.1, 1e5});
    v.param("mme.chunk_bytes", chunk_bytes, "B", "MME memory request granule; memory is shared per granule", Range{256, 64 << 20});
    v.param("mme.outstanding_chunks", outstanding_chunks, "", "MME memory requests in flight", Range{1, 1024});
    v.param("mme.outstanding_blocks", outstanding_blocks, "", "streamed operand blocks in flight", Range{1, 64});
    v.param("mme.functional", functional, "", "compute GEMM results (false: timing only, C is not written; for huge what-if shapes)");
  }
};

}  // namespace gs
