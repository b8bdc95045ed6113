// Parameters of the Ethernet switches of the fabric (all switches share them).
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct SwitchParams {
  uint64_t buffer_bytes = 16ull << 20;      // assumed: shared packet buffer of a 32x100G switch class
  double latency_ns = 300;                  // assumed: port-to-port forwarding latency
  bool cut_through = true;
  bool pfc = true;                          // RoCE lossless priorities, GAUDI's default
  uint64_t pfc_xoff_bytes = 96ull << 10;    // per ingress port and priority
  uint64_t pfc_xon_bytes = 64ull << 10;
  uint64_t ecn_threshold_bytes = 128ull << 10;  // per egress queue; 0 = never mark

  template <class V> void visit(V& v) {
    v.param("fabric.switch_buffer_bytes", buffer_bytes, "B", "packet buffer shared by all ports of a switch",
            Range{4096, 1e12});
    v.param("fabric.switch_latency_ns", latency_ns, "ns", "switch forwarding latency (header in to header out)",
            Range{0, 1e6});
    v.param("fabric.cut_through", cut_through, "",
            "switches forward after the header (true) or after the whole frame (false, store-and-forward)");
    v.param("fabric.pfc", pfc, "", "switches send PFC pause frames (lossless); off = tail drop when the buffer is full");
    v.param("fabric.pfc_xoff_bytes", pfc_xoff_bytes, "B",
            "bytes buffered from one ingress port and priority above which the switch pauses the sender", Range{1, 1e12});
    v.param("fabric.pfc_xon_bytes", pfc_xon_bytes, "B",
            "bytes buffered from one ingress port and priority at or below which the switch resumes the sender (< xoff)",
            Range{0, 1e12});
    v.param("fabric.ecn_threshold_bytes", ecn_threshold_bytes, "B",
            "egress queue depth above which switches mark ECN congestion (CE); 0 = never", Range{0, 1e12});
  }
};

}  // namespace gs
