// What both fabric models agree on before a traffic matrix runs: which card port is node i,
// which connection (QP) each flow uses, and on which of its port's queues it is posted.
// Packet mode connects and posts exactly this way; flow mode derives the same ECMP hash
// inputs (QP numbers become the UDP source port) and the same queueing of flows per port.
#pragma once
#include <cstdint>
#include <vector>

#include "testbench/topology/topology_plan.hpp"
#include "testbench/workloads/traffic_matrix.hpp"

namespace gs {

struct SimParams;

constexpr unsigned kTrafficLanes = 4;       // the four QMAN streams of a NIC engine
constexpr uint32_t kMaxConnsPerPort = 1023;  // HL_NIC_MAX_CONN_ID

struct TrafficPair {
  unsigned lo = 0, hi = 0;           // nodes, lo < hi
  uint32_t conn_lo = 0, conn_hi = 0;  // the connection id on each side
};

struct TrafficSetup {
  std::vector<PortRef> nodes;         // node i: a card port cabled to a switch
  TrafficMatrix matrix;
  std::vector<TrafficPair> pairs;     // one connection per pair of nodes that exchange flows
  std::vector<unsigned> flow_pair;    // per flow
  std::vector<unsigned> flow_lane;    // per flow: the queue of its source port
  std::vector<unsigned> order;        // flows by start time, then file order
};

// Card ports cabled to a switch, card by card, port by port: the nodes of a traffic matrix.
std::vector<PortRef> switch_endpoints(const TopologyPlan& plan);

// Loads traffic.file or generates the pattern over the plan's nodes; ConfigError (exit 2)
// if the matrix names more nodes than the topology has or a port needs too many connections.
TrafficSetup make_traffic_setup(const SimParams& p, const TopologyPlan& plan);

}  // namespace gs
