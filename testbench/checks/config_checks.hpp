// Checks that need more than one key, run on loaded parameters before anything is built:
// every problem is a ConfigError naming the keys (or file) and what is allowed, so the
// program exits 2 with nothing simulated. load() has already checked each key alone.
#pragma once
#include <cstdint>
#include <string>

#include "testbench/sim_params.hpp"
#include "testbench/topology/topology_plan.hpp"

namespace gs {

// All of the below, in this order.
void check_config(const SimParams& p);

// The cabling: links file given but not used, PFC thresholds, the plan of topology.kind
// (parse errors of the links file included), and that the cards each workload talks
// between can reach each other.
void check_topology(const SimParams& p);
// Workload keys: sizes that must be multiples of 8 or fit one DMA transfer, rdma.peer,
// gemm.sizes, tpc.kernels.
void check_workload(const SimParams& p, const TopologyPlan& plan);
// The host buffers of the workload fit in this machine's available memory.
void check_host_memory(const SimParams& p);

// Whether card `a` can send to card `b`: a direct cable, or a path through switches only
// (cards and third-party NICs never forward).
bool cards_connected(const TopologyPlan& plan, unsigned a, unsigned b);
// The shape of the system the parameters describe.
TopologyShape shape_of(const SimParams& p);
TopologyPlan plan_of(const SimParams& p);

// Bytes of host memory the workload's own buffers take (what it fills and checks).
uint64_t workload_host_bytes(const SimParams& p);
// MemAvailable of /proc/meminfo, or the physical memory if that is unknown.
uint64_t host_memory_available();

}  // namespace gs
