// The flow model's engine: flows over directed links with capacities share them max-min
// fairly (progressive filling); rates are recomputed whenever a flow starts sending or
// finishes, for the connected component of flows it touches only (max-min allocations of
// disjoint components are independent). Plain C++, deterministic, no SystemC.
//
// A flow becomes ready at `ready_ns`; flows that share a `lane` run one after the other
// (the next starts when the previous one ends, as commands on one queue do). Once started, a
// flow sends `bits` at its fair rate; after its last bit it takes `tail_ns` more to finish
// (the last packet's way to the receiver, the ACK's way back, fixed costs).
#pragma once
#include <cstdint>
#include <vector>

namespace gs {

struct FluidFlow {
  std::vector<uint32_t> links;  // directed links it crosses
  double bits = 0;
  double ready_ns = 0, tail_ns = 0;
  uint32_t lane = 0;            // flows of one lane run by ready time (ties: vector order)
  // results
  double start_ns = 0, end_ns = 0;
};

struct MaxMinStats {
  uint64_t recomputes = 0, flows_rated = 0, events = 0;
  double max_link_utilisation = 0;  // largest sum of rates over a link's capacity seen
};

// capacity_gbps[l]: what link l carries (bits per ns). Fills start_ns and end_ns of every flow.
MaxMinStats run_max_min(const std::vector<double>& capacity_gbps, std::vector<FluidFlow>& flows);

// Max-min fair rates of `flows` (indices) sharing links whose spare capacity is `cap`
// (consumed by this call). Exposed for tests.
void max_min_rates(const std::vector<std::vector<uint32_t>>& paths, std::vector<double>& cap,
                   std::vector<double>& rate_out);

}  // namespace gs
