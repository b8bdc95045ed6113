// Workload "dma": on every card, one command submission moves a buffer host -> HBM -> HBM
// -> host on three DMA channels that wait on each other through sync objects, monitors and
// fences; the data is checked byte for byte and each leg's bandwidth is measured with
// device timestamps.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "testbench/workloads/workload.hpp"

namespace gs {

class DmaWorkload : public Workload {
 public:
  struct Row {
    unsigned index = 0;
    uint64_t bytes = 0;
    bool verified = false;
    double h2d_gbps = 0, d2d_gbps = 0, d2h_gbps = 0, cs_us = 0;
    std::string error;  // what failed, with the errno's name and meaning
    int rc = 0;
  };

  void setup(System& sys) override;
  int report(System& sys, std::ostream& out, nlohmann::json& record) override;
  const std::vector<Row>& rows() const { return rows_; }

 private:
  void run_card(System& sys, unsigned host, unsigned dev);
  std::vector<Row> rows_;
};

}  // namespace gs
