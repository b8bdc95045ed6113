// Every parameter of a gaudisim run, declared once: --help, validation, the JSON record of
// the run and what-if sweeps all come from these visit() functions.
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"
#include "driver/core/driver_params.hpp"
#include "models/card/card_params.hpp"
#include "models/pcie/pcie_params.hpp"
#include "testbench/faults/fault_params.hpp"
#include "testbench/topology/fabric_params.hpp"
#include "testbench/workloads/dma_workload_params.hpp"
#include "testbench/workloads/workload.hpp"
#include "testbench/workloads/gemm_workload_params.hpp"
#include "testbench/workloads/tpc_workload_params.hpp"
#include "testbench/workloads/rdma_params.hpp"
#include "testbench/workloads/collective_params.hpp"
#include "testbench/workloads/traffic_params.hpp"

namespace gs {

struct SimSection {
  uint64_t seed = 1;
  std::string log_level = "warn";
  double max_time_ms = 60000;  // simulated-time guard: a run that goes past it is stopped
  double slice_us = 100;       // simulated time between progress / Ctrl-C checks
  std::string trace;           // Chrome trace-event JSON of the run ("" = none)
  uint64_t trace_max_events = 1000000;
  double trace_merge_ns = 100;  // assumption: below what a timeline view resolves
  uint64_t log_keep_lines = 100000;  // about 10 MB of log lines: bounded memory on long runs
  std::string partition;             // MPI runs: rank of each host ("" = contiguous blocks of boxes)
  double bootstrap_latency_ns = 0;   // out-of-band rendezvous (host network); 0 = instant
  bool huge_pages = true;            // the simulator's own heap on transparent huge pages

  template <class V> void visit(V& v) {
    v.param("sim.seed", seed, "", "seed of every random choice (loss, corruption, workloads)");
    v.choice("sim.log_level", log_level, {"debug", "info", "warn", "error"}, "lowest level of simulated-software log lines shown on stderr");
    v.param("sim.log_keep_lines", log_keep_lines, "", "simulated-software log lines kept in memory (for reports and tests); older ones are dropped, stderr still shows them", Range{1, 1e9});
    v.param("sim.max_time_ms", max_time_ms, "ms", "stop the simulation if simulated time passes this", Range{0.001, 1e9});
    v.param("sim.trace", trace, "", "write a timeline of engines and ports (Chrome trace-event JSON, opens in Perfetto) to this path; empty: none (docs/trace.md)");
    v.param("sim.trace_max_events", trace_max_events, "", "events the trace keeps at most; later ones are counted as dropped", Range{1, 1e9});
    v.param("sim.trace_merge_ns", trace_merge_ns, "ns", "same-name spans on a track closer than this merge into one busy period (0: only touching ones)", Range{0, 1e12});
    v.param("sim.partition", partition, "", "partitioned (MPI) runs: the rank that simulates each host, comma-separated (\"0,0,1,1\"); empty: contiguous blocks of boxes, as even as possible (docs/partition.md)");
    v.param("sim.bootstrap_latency_ns", bootstrap_latency_ns, "ns", "latency of the out-of-band network the programs' bootstrap rendezvous uses (connection ids, communicator set-up); 0: instant. A partitioned run needs more than its lookahead (assumption: a few us for a host-network message; docs/partition.md)", Range{0, 1e9});
    v.param("sim.huge_pages", huge_pages, "", "back the simulator's heap with transparent huge pages: one page fault per 2 MiB instead of per 4 KiB, about half the start-up CPU of a 128-card run (results do not depend on it; docs/performance.md)");
    v.param("sim.slice_us", slice_us, "us", "simulated time between checks for progress and Ctrl-C (results do not depend on it)", Range{0.001, 1e12});
  }
};

struct TopologySection {
  uint32_t hosts = 1;
  uint32_t cards = 8;  // per host

  template <class V> void visit(V& v) {
    v.param("topology.hosts", hosts, "", "number of hosts (servers), each with its own driver (the fabric's addresses have one byte for the host)", Range{1, 256});
    v.param("topology.cards", cards, "", "GAUDI cards per host", Range{1, 64});
  }
};

struct WorkloadSection {
  std::string name = "info";

  template <class V> void visit(V& v) {
    v.choice("workload.name", name, workload_names(), "what to run once the cards are up");
  }
};

struct SimParams {
  SimSection sim;
  TopologySection topology;
  WorkloadSection workload;
  PcieParams pcie;
  CardParams card;
  hl::DriverParams driver;
  DmaWorkloadParams dma_workload;
  GemmWorkloadParams gemm_workload;
  TpcWorkloadParams tpc_workload;
  RdmaWorkloadParams rdma;
  CollectiveParams collective;
  TrafficParams traffic;
  FabricParams fabric;
  FaultParams fault;

  // The fast option for tests whose results do not depend on boot time: firmware up 100 us
  // after power-on, 10 us hard resets, boot status polled every 100 us (the defaults are
  // seconds and 10 ms, as on the real card: docs/calibration.md).
  void fast_boot() {
    card.boot_us = 100;
    card.reset_us = 10;
    driver.boot_poll_us = 100;
  }

  template <class V> void visit(V& v) {
    sim.visit(v);
    topology.visit(v);
    workload.visit(v);
    pcie.visit(v);
    card.visit(v);
    driver.visit(v);
    dma_workload.visit(v);
    gemm_workload.visit(v);
    tpc_workload.visit(v);
    rdma.visit(v);
    collective.visit(v);
    traffic.visit(v);
    fabric.visit(v);
    fault.visit(v);
  }
};

}  // namespace gs
