// Sync manager parameters.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct SyncParams {
  double monitor_latency_ns = 20;  // assumed: from the SOB update to the monitor's payload write

  template <class V> void visit(V& v) {
    v.param("sync.monitor_latency_ns", monitor_latency_ns, "ns", "delay from a matching sync-object update to the monitor's write", Range{0, 1e6});
  }
};

}  // namespace gs
