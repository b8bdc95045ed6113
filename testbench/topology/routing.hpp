// Routing tables of the switches, computed once from the plan: for every endpoint address
// reachable through a switch, each switch gets the ports that lie on a shortest path toward
// it (all of them: ECMP). Endpoints never forward, so paths run switch to switch only.
// This is the whole of routing: NICs just send to the peer's MAC and IP.
#pragma once
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "testbench/topology/topology_plan.hpp"

namespace gs {

using RouteTable = std::unordered_map<uint32_t, std::vector<unsigned>>;  // dst IP -> egress ports

// ip_of(end) gives the address of a card or third-party port (0 = none). Returns one table
// per switch of the plan.
std::vector<RouteTable> compute_routes(const TopologyPlan& plan, const std::function<uint32_t(const PortRef&)>& ip_of);

// The same routes without the tables: each(switch, address, egress ports) for every entry,
// endpoint by endpoint in the order of their cables; a later visit of a switch and address
// replaces an earlier one, as in the tables. The ports are shared by every endpoint behind
// one switch: at 1024 cards a table per switch was a million vectors and hash nodes, most
// of what building the fabric cost, for switches that keep each distinct set once anyway.
using RouteVisitor = std::function<void(unsigned sw, uint32_t ip, const std::vector<unsigned>& ports)>;
void visit_routes(const TopologyPlan& plan, const std::function<uint32_t(const PortRef&)>& ip_of,
                  const RouteVisitor& each);

}  // namespace gs
