#include <stdexcept>

#include "testbench/workloads/info_workload.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs {

const std::vector<std::string>& workload_names() {
  static const std::vector<std::string> names{"info"};
  return names;
}

std::unique_ptr<Workload> make_workload(const std::string& name) {
  if (name == "info") return std::make_unique<InfoWorkload>();
  throw std::invalid_argument("unknown workload '" + name + "'");
}

}  // namespace gs
