#include <stdexcept>

#include "testbench/workloads/collective_workload.hpp"
#include "testbench/workloads/dma_workload.hpp"
#include "testbench/workloads/gemm_workload.hpp"
#include "testbench/workloads/tpc_workload.hpp"
#include "testbench/workloads/traffic_workload.hpp"
#include "testbench/workloads/info_workload.hpp"
#include "testbench/workloads/rdma_workloads.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs {

const std::vector<std::string>& workload_names() {
  static const std::vector<std::string> names{"info", "dma", "rdma-pingpong", "rdma-bw", "gemm", "tpc", "collective", "traffic"};
  return names;
}

std::unique_ptr<Workload> make_workload(const std::string& name) {
  if (name == "collective") return std::make_unique<CollectiveWorkload>();
  if (name == "info") return std::make_unique<InfoWorkload>();
  if (name == "dma") return std::make_unique<DmaWorkload>();
  if (name == "gemm") return std::make_unique<GemmWorkload>();
  if (name == "tpc") return std::make_unique<TpcWorkload>();
  if (name == "rdma-pingpong") return std::make_unique<RdmaWorkload>(true);
  if (name == "rdma-bw") return std::make_unique<RdmaWorkload>(false);
  if (name == "traffic") return std::make_unique<TrafficWorkload>();
  throw std::invalid_argument("unknown workload '" + name + "'");
}

}  // namespace gs
