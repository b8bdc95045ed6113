// DMA engine (DMA core) parameters.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct DmaParams {
  double engine_gbps = 200;        // assumed: what one channel can move when memory is free
  uint32_t chunk_bytes = 32768;    // transfer granule: contention is resolved per chunk
  double setup_ns = 100;           // assumed: descriptor decode before the first byte moves
  uint32_t outstanding_chunks = 4;  // assumed: chunks in flight (read issued, write not done)

  template <class V> void visit(V& v) {
    v.param("dma.engine_gbps", engine_gbps, "GB/s", "peak rate of one DMA channel", Range{0.1, 1e5});
    v.param("dma.chunk_bytes", chunk_bytes, "B", "DMA transfer granule; bandwidth is shared per granule", Range{256, 16 << 20});
    v.param("dma.setup_ns", setup_ns, "ns", "DMA engine start-up time per transfer", Range{0, 1e6});
    v.param("dma.outstanding_chunks", outstanding_chunks, "", "chunks one DMA channel keeps in flight to hide memory latency", Range{1, 256});
  }
};

}  // namespace gs
