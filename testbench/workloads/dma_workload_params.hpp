// Parameters of workload "dma".
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct DmaWorkloadParams {
  uint64_t bytes = 16ull << 20;

  template <class V> void visit(V& v) {
    v.param("dma.bytes", bytes, "B", "bytes moved by each leg of workload 'dma' (a multiple of 8)", Range{8, 4294967288.0});
  }
};

}  // namespace gs
