// fabric.model: packet (every frame through links and switches) or flow (max-min fair rates
// recomputed on every flow arrival and departure; no cards, no frames).
#pragma once
#include <string>

#include "common/params.hpp"

namespace gs {

struct FlowModelParams {
  std::string model = "packet";
  double overhead_ns = 850;  // calibrated: a lone 2 MiB flow of the packet model, 1 to 5 switches (docs/fabric.md)

  template <class V> void visit(V& v) {
    v.choice("fabric.model", model, {"packet", "flow"},
             "packet: frames through NICs, links and switches; flow: max-min fair rate sharing, no cards built "
             "(workload.name = traffic only)");
    v.param("fabric.flow_overhead_ns", overhead_ns, "ns",
            "flow model: fixed cost per flow outside the wire (WQE post, first HBM fetch, ACK generation); "
            "calibrated from packet runs (assumed)",
            Range{0, 1e9});
  }
};

}  // namespace gs
