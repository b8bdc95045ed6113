// Workload "gemm": a user program on card 0 of host 0 runs square GEMMs C = A x B of the
// sizes in gemm.sizes on the MME, each as one command submission through the real driver:
// DMA 0 copies A and B from host memory to HBM and signals a sync object; its monitors
// release the fences of the MME queues, whose CBs (in mapped host memory) launch the GEMM
// (split by rows of C over gemm.engines masters) and signal another sync object on
// completion; its monitor releases DMA 1, which copies C back. C is checked against a CPU
// reference; the achieved TFLOP/s (from device timestamps around the launch and the engine
// barrier) are compared with the MMEs' peak.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "testbench/workloads/workload.hpp"

namespace gs {

class GemmWorkload : public Workload {
 public:
  struct Run {
    uint32_t n = 0;
    std::string dtype;
    unsigned engines = 0;
    bool verified = false, checked = false;
    double max_error = 0;
    double sim_us = 0, tflops = 0, peak_tflops = 0, cs_us = 0;
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
