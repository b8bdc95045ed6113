// topology.kind = fattree: the plan of a 3-tier k-ary fat tree and its routing in closed form.
//
// Switch numbering (plan order): edges pod-major (pod p, edge e -> p*k/2 + e), then
// aggregations (p*k/2 + a), then cores (a*k/2 + m: core group a joins aggregation a of every
// pod). Ports: edge 0..H-1 hosts, H+a up to aggregation a; aggregation 0..k/2-1 down to edge
// e, k/2+m up to core a*k/2+m; core port p down to pod p. Host slot s sits on edge s / H,
// port s % H. Cables are listed in that order, so compute_routes() gives every switch its
// equal-cost ports in ascending port order: fattree_route() returns exactly those lists
// without a table per destination (the flow model needs 65,536 endpoints).
#pragma once
#include <cstdint>
#include <vector>

#include "testbench/topology/fattree_params.hpp"
#include "testbench/topology/topology_plan.hpp"

namespace gs {

struct FatTreeShape {
  unsigned k = 4, oversub = 1;
  unsigned half() const { return k / 2; }
  unsigned hosts_per_edge() const { return oversub * half(); }
  unsigned edges() const { return k * half(); }
  unsigned aggs() const { return k * half(); }
  unsigned cores() const { return half() * half(); }
  unsigned switches() const { return edges() + aggs() + cores(); }
  unsigned host_ports() const { return edges() * hosts_per_edge(); }
  unsigned first_agg() const { return edges(); }
  unsigned first_core() const { return edges() + aggs(); }
};

// Appends the tree's switches and cables to `plan`; endpoints[s] goes on host slot s.
// Throws ConfigError (naming the keys) if k is odd or the endpoints do not fit.
void add_fattree(TopologyPlan& plan, const FatTreeParams& ft, double link_gbps, const std::vector<PortRef>& endpoints);

// The endpoints a fat tree (hosts = port) carries: every port of every card, card by card.
std::vector<PortRef> fattree_port_endpoints(const TopologyShape& s);

// Equal-cost egress ports of switch `sw` (plan index, tree switches first) towards host slot
// `dst`, in ascending port order: what compute_routes() puts in that switch's table.
std::vector<unsigned> fattree_route(const FatTreeShape& t, unsigned sw, unsigned dst);

}  // namespace gs
