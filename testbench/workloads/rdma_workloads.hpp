// Workloads "rdma-pingpong" (latency of small writes) and "rdma-bw" (bandwidth of large
// writes on one link or every link of a box at once). Everything the NICs do is started by
// command submissions: the host only connects QPs and submits.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "testbench/workloads/rdma_session.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs {

struct RdmaPair {
  unsigned src = 0, dst = 0, src_port = 0, dst_port = 0;
  uint64_t bytes = 0;
  bool verified = false;  // the data arrived and matched (never set in timing mode)
  double gbps = 0, latency_us = 0;  // gbps: Gb/s of RDMA payload
  std::string error;                 // what failed, with the errno's name and meaning
  int rc = 0;
};

class RdmaWorkload : public Workload {
 public:
  explicit RdmaWorkload(bool pingpong) : pingpong_(pingpong) {}
  void setup(System& sys) override;
  int report(System& sys, std::ostream& out, nlohmann::json& record) override;
  const std::vector<RdmaPair>& pairs() const { return pairs_; }

 private:
  void pingpong_side(System& sys, unsigned card, unsigned peer, bool initiator);
  // One card of rdma-bw: writes to `peers`, receives from whoever the mode says writes to it.
  void bw_card(System& sys, unsigned card, const std::vector<unsigned>& peers);
  // A failed row; `qp_error` (QpErrorWatch::explain) names the QP and its syndrome if known.
  void fail(unsigned src, unsigned dst, const std::string& why, int rc, const std::string& qp_error = "");

  bool pingpong_;
  std::unique_ptr<Rendezvous> rv_;  // made in setup (it needs the host's os layer)
  std::vector<RdmaPair> pairs_;
};

}  // namespace gs
