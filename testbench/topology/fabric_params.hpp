// Parameters of the fabric between the cards: which topology, the links, the switches and
// the third-party endpoints. The number of boxes of `boxes` is topology.hosts (one box per host).
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"
#include "models/fabric/switch_params.hpp"
#include "testbench/flow/flow_params.hpp"
#include "testbench/topology/fattree_params.hpp"

namespace gs {

struct FabricParams {
  std::string kind = "box";
  std::string links_file;
  double link_gbps = 100;         // third-party NICs, switch-to-switch; ports facing a GAUDI follow nic.speed_gbps
  double link_latency_ns = 100;   // propagation: about 20 m of fibre or a short copper cable
  double loss_rate = 0;
  double corrupt_rate = 0;
  uint32_t leaf_switches = 0;     // 0 = as many as needed for 32 endpoint ports each, a multiple of 3
  uint32_t spine_switches = 0;    // 0 = one per leaf down port (non-blocking)
  uint32_t third_party_nics = 0;
  SwitchParams sw;
  FatTreeParams fattree;
  FlowModelParams flow;

  template <class V> void visit(V& v) {
    v.choice("topology.kind", kind, {"none", "pair", "box", "boxes", "fattree", "custom"},
             "how cards are cabled: none, pair (2 cards back to back), box (8 cards all-to-all per host; scale-out "
             "switches if hosts > 1), boxes (one box per host on a leaf/spine network), fattree (3-tier k-ary fat tree, fabric.fattree_*), custom (topology.links_file)");
    v.param("topology.links_file", links_file, kFileUnit,
            "custom topology: one cable per line, 'card0.port1 card1.port0' or 'card0.port8 switch0.port3'");
    v.param("fabric.link_gbps", link_gbps, "Gb/s", "line rate of third-party NICs and switch-to-switch cables (a switch port facing a GAUDI runs at nic.speed_gbps)",
            Range{1, 1600});
    v.param("fabric.link_latency_ns", link_latency_ns, "ns", "propagation delay of every cable", Range{0, 1e7});
    v.param("fabric.loss_rate", loss_rate, "", "probability that a cable loses a frame (seeded by sim.seed)", Range{0, 1});
    v.param("fabric.corrupt_rate", corrupt_rate, "", "probability that a cable corrupts a frame (the receiver drops it)",
            Range{0, 1});
    v.param("fabric.leaf_switches", leaf_switches, "", "leaf switches of the scale-out network (0 = automatic)",
            Range{0, 4096});
    v.param("fabric.spine_switches", spine_switches, "", "spine switches of the scale-out network (0 = automatic)",
            Range{0, 4096});
    v.param("fabric.third_party_nics", third_party_nics, "",
            "plain (non-GAUDI) RoCE NICs attached to the scale-out network", Range{0, 1024});
    sw.visit(v);
    fattree.visit(v);
    flow.visit(v);
  }
};

}  // namespace gs
