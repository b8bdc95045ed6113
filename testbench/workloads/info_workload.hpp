// Workload "info": the driver probes every card; a user process on each host queries each
// card through the uAPI; a table and a JSON record list what was found.
#pragma once
#include <string>
#include <vector>

#include "testbench/workloads/workload.hpp"

namespace gs {

class InfoWorkload : public Workload {
 public:
  struct Row {
    unsigned index = 0, host = 0;
    std::string pci;
    unsigned vendor_id = 0, device_id = 0;
    uint64_t hbm_bytes = 0, sram_bytes = 0, user_dram_bytes = 0;
    unsigned tpc = 0, mme = 0, dma = 0, nic_ports = 0, msi_vectors = 0;
    uint64_t serial = 0;
    double probe_us = 0;
    std::string status;
  };

  void setup(System& sys) override;
  int report(System& sys, std::ostream& out, nlohmann::json& record) override;
  const std::vector<Row>& rows() const { return rows_; }

 private:
  void query_host(System& sys, unsigned host);
  std::vector<Row> rows_;
};

}  // namespace gs
