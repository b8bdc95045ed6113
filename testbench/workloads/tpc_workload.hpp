// Workload "tpc": a user program on card 0 of host 0 runs each kernel of tpc.kernels on
// tensors of tpc.elements elements (rows of tpc.row), split by rows over tpc.cores TPC cores,
// each kernel as one command submission through the real driver: DMA 0 copies the inputs to
// HBM and signals a sync object whose monitors release the TPC queues' fences; every core's
// CB launches its slice and signals a second sync object on completion, whose monitor
// releases DMA 1 to copy the output back. The output is checked against a CPU reference;
// the kernel's memory rate (bytes read + written over the time from the first launch to the
// last engine barrier, from device timestamps) is reported in GB/s.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "testbench/workloads/workload.hpp"

namespace gs {

// Names accepted in tpc.kernels and their kernel ids.
const std::map<std::string, uint32_t>& tpc_kernel_ids();

class TpcWorkload : public Workload {
 public:
  struct Run {
    std::string op, dtype;
    uint64_t rows = 0, cols = 0;
    unsigned cores = 0, inputs = 0;
    bool verified = false;
    double max_error = 0, sim_us = 0, gbps = 0, cs_us = 0;  // gbps: GB/s of tensor traffic
    std::string error;  // what failed, with the errno's name and meaning
    int rc = 0;
  };

  void setup(System& sys) override;
  int report(System& sys, std::ostream& out, nlohmann::json& record) override;
  const std::vector<Run>& runs() const { return runs_; }

 private:
  void run_all(System& sys);
  std::vector<Run> runs_;
};

}  // namespace gs
