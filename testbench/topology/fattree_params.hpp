// Parameters of topology.kind = fattree: a 3-tier k-ary fat tree (edge, aggregation, core;
// Al-Fares et al., SIGCOMM 2008) with optional oversubscription at the edge and a line rate
// per tier. Switch latency and buffers are the fabric.switch_* keys, shared by every tier.
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"

namespace gs {

struct FatTreeParams {
  uint32_t k = 4;               // pods; also the uplinks of an edge switch times two
  uint32_t oversub = 1;         // hosts per edge switch = oversub * k/2 (uplinks stay k/2)
  std::string hosts = "port";   // what hangs under an edge port
  double edge_agg_gbps = 0;     // 0 = fabric.link_gbps
  double agg_core_gbps = 0;     // 0 = fabric.link_gbps

  template <class V> void visit(V& v) {
    v.param("fabric.fattree_k", k, "",
            "fat tree: pods (even); k/2 edge and k/2 aggregation switches per pod, (k/2)^2 core switches; "
            "oversub*k^3/4 host ports",
            Range{2, 256});
    v.param("fabric.fattree_oversub", oversub, "",
            "fat tree: edge oversubscription, host ports per edge switch = oversub * k/2 over k/2 uplinks", Range{1, 64});
    v.choice("fabric.fattree_hosts", hosts, {"port", "box"},
             "fat tree: every NIC port of every card on its own edge port (port), or HLS-1 boxes with their "
             "external ports 1, 8, 9 on the tree (box)");
    v.param("fabric.fattree_edge_agg_gbps", edge_agg_gbps, "Gb/s",
            "fat tree: line rate of edge-to-aggregation cables (0 = fabric.link_gbps)", Range{0, 1600});
    v.param("fabric.fattree_agg_core_gbps", agg_core_gbps, "Gb/s",
            "fat tree: line rate of aggregation-to-core cables (0 = fabric.link_gbps)", Range{0, 1600});
  }
};

}  // namespace gs
