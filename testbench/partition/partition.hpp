// A partitioned run: one SystemC kernel per rank (MPI process), each simulating the hosts
// and cards of its boxes and the switches next to them, and building only those. A cable whose ends belong to
// different ranks is cut: the sender's side of its link posts frames here, and the
// receiver's side gets them injected at their arrival time.
//
// Conservative synchronisation: the lookahead L is the smallest latency of a cut link.
// Every window starts at the earliest pending event of all ranks (empty stretches are
// skipped) and lasts L, so nothing sent inside a window arrives before its end. Between
// windows the ranks swap what they posted and inject it in a fixed order (arrival time,
// source rank, posting order). The bootstrap's publications travel the same way; their
// latency (sim.bootstrap_latency_ns, also used by single-process runs) must exceed L.
// After the run every rank sends the reporting rank (0) the report rows of what it built
// (ReportRows) and its workload results; rank 0 merges them in global order and reports
// with the ordinary code: the output is that of the single-process run.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <vector>
#include <systemc>

#include "driver/lib/comm/inproc_bootstrap.hpp"
#include "models/common/stats_archive.hpp"
#include "models/fabric/link.hpp"
#include "testbench/partition/transport.hpp"
#include "testbench/topology/topology_plan.hpp"
#include "testbench/run_loop.hpp"
#include "testbench/sim_params.hpp"

namespace gs {

class BootstrapNetwork;
class System;
class Workload;

// The rank of every host: sim.partition ("" = contiguous blocks of boxes, or one rank per
// host listed). Throws ConfigError naming the key.
std::vector<int> partition_hosts(const SimParams& p, int ranks);

struct PartitionStats {
  uint64_t windows = 0, frames_sent = 0, frame_bytes = 0, publications_sent = 0;
  double wait_s = 0, wall_s = 0;
};

// What one rank built.
struct PartitionBuilt {
  uint64_t cards = 0, hosts = 0, switches = 0, cut_links = 0;  // cut links: cables with one end here
  uint64_t peak_rss_kb = 0;                                      // the process's, at the report
};

class Partition : public FrameOutbox {
 public:
  Partition(const SimParams& p, PartitionTransport& t);
  ~Partition() override;

  int rank() const { return t_.rank(); }
  bool reporter() const { return t_.rank() == 0; }
  const std::vector<int>& host_ranks() const { return host_rank_; }
  std::vector<bool> local_hosts() const;
  // Whether this rank builds a card, switch or third-party NIC (`port` ignored).
  bool builds(const PortRef& node) const;
  bool builds_host(unsigned h) const { return builds(PortRef{NodeKind::card, h * p_.topology.cards, 0}); }

  // After the System is built: owners of switches and third-party NICs, the cut links.
  void attach(System& sys);
  // The bootstrap network's publications go to the other ranks too.
  void connect(BootstrapNetwork& net);
  RunEnd run(const RunLoopOptions& options);
  // At rank 0: the report rows and workload results of everything simulated elsewhere. Collective.
  void gather(Workload& wl);
  // Rank 0's exit code to every rank. Collective.
  int share_exit_code(int rc);
  // Windows, messages and waiting of every rank (rank 0 prints). Collective.
  void report_overhead(std::ostream& err);

  // FrameOutbox: a frame on a cut link, for the receiver's rank.
  void post(uint32_t link_id, sc_core::sc_time arrival, const PacketPtr& p) override;

 private:
  void forward(uint32_t group, const std::string& key, const hlcomm::Bytes& value, sc_core::sc_time at);
  int owner(const PortRef& end) const;
  void archive_results(int r, StatsArchive& a);
  void swap_window(uint64_t& next);

  const SimParams& p_;
  PartitionTransport& t_;
  System* sys_ = nullptr;
  Workload* wl_ = nullptr;
  std::vector<int> host_rank_, card_rank_, switch_rank_, third_party_rank_;
  sc_core::sc_time lookahead_;
  std::vector<ByteBuffer> out_;  // per destination rank, this window
  uint64_t posted_min_ = UINT64_MAX;  // earliest arrival posted this window (sc_time value)
  BootstrapNetwork* net_ = nullptr;
  PartitionStats stats_;
  PartitionBuilt built_;
};

}  // namespace gs
