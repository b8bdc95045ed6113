// Workload "traffic": a traffic matrix over the switch-attached card ports. In packet mode
// every flow is one engine-initiated RDMA WRITE: each card's process connects one QP per
// pair of nodes, then at each flow's start submits a command buffer on one of the source
// port's four NIC queues that stamps the device time, posts the write, waits (monitor and
// fence) for its acknowledgement and stamps the time again. FCT = second stamp - first.
// In flow mode (fabric.model = flow) run_simulation() hands the same setup to the flow model
// and no card is built.
#pragma once
#include <memory>
#include <vector>

#include "testbench/workloads/rdma_session.hpp"
#include "testbench/workloads/traffic_plan.hpp"
#include "testbench/workloads/traffic_report.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs {

class TrafficWorkload : public Workload {
 public:
  void prepare(const SimParams& p) override;
  void setup(System& sys) override;
  int report(System& sys, std::ostream& out, nlohmann::json& record) override;
  void archive_results(const std::vector<bool>& cards, StatsArchive& a) override;
  const TrafficSetup& traffic() const { return t_; }
  const std::vector<FlowOutcome>& outcomes() const { return out_; }

 private:
  void card_process(System& sys, unsigned card);
  void fail_card(unsigned card, const std::string& why, int rc);

  TrafficSetup t_;
  std::unique_ptr<Rendezvous> rv_;  // made in setup (it needs the host's os layer)
  std::vector<FlowOutcome> out_;
  std::vector<std::vector<unsigned>> pairs_of_card_;  // pairs with a node on the card, pair order
  double t0_ns_ = 0;                                  // when every card was connected: start 0
};

FabricSummary summarize_fabric(const nlohmann::json& fabric_stats);

}  // namespace gs
