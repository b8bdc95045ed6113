// The outcome of a traffic matrix, the same for both fabric models: flow completion times
// (min, median, p99, max), goodput, the fabric's queue maxima, pauses and drops, and a
// per-flow CSV.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "testbench/workloads/traffic_plan.hpp"

namespace gs {

struct FlowOutcome {
  double start_ns = 0, end_ns = 0;  // the flow's write posted / acknowledged
  bool done = false;
  std::string error;
};

struct FabricSummary {
  bool has_queues = true;  // false: the flow model has none (queues, pauses, drops are 0)
  uint64_t max_queue_bytes = 0, pauses = 0, drops = 0;
};

struct FctSummary {
  size_t flows = 0, done = 0;
  double min_us = 0, median_us = 0, p99_us = 0, max_us = 0;
  double goodput_gbps = 0;  // bytes of finished flows over first start to last end
};

FctSummary summarize_fct(const TrafficSetup& t, const std::vector<FlowOutcome>& out);

// Prints the summary, fills record["traffic"], writes csv_path if not empty. Returns the exit
// code: 0 when every flow finished.
int report_traffic(const TrafficSetup& t, const std::vector<FlowOutcome>& out, const FabricSummary& fabric,
                   const std::string& model, const std::string& csv_path, std::ostream& os, nlohmann::json& record);

}  // namespace gs
