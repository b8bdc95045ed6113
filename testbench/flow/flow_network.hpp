// What the flow model needs from a topology and a traffic matrix: every cable as two
// directed links with their payload capacity, and every flow as the links it crosses, the
// time it may start and the latency after its last bit. Paths are the ones the packet
// model's switches pick: the same routing lists and the same salted ECMP hash of the same
// 5-tuple (QP numbers from the traffic setup give the UDP source port).
#pragma once
#include <vector>

#include "testbench/flow/maxmin.hpp"
#include "testbench/topology/topology_plan.hpp"
#include "testbench/workloads/traffic_plan.hpp"

namespace gs {

struct SimParams;

struct FlowNetwork {
  std::vector<double> capacity_gbps;  // per directed link: payload bits per ns at full line rate
  std::vector<FluidFlow> flows;       // in matrix order
  std::vector<unsigned> switch_hops;  // per flow
};

// Throws ConfigError if a flow has no route (or the topology is too big for routing tables).
FlowNetwork build_flow_network(const SimParams& p, const TopologyPlan& plan, const TrafficSetup& t);

// Payload share of the line rate: MTU over the wire bytes of a full data packet.
double payload_fraction(uint32_t mtu);

}  // namespace gs
