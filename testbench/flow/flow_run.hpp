// fabric.model = flow: run workload "traffic" through the flow model. No card, host or
// frame exists; the topology plan, the traffic setup and the report are the packet model's.
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>

namespace gs {

struct SimParams;

// Returns the exit code; fills the JSON record of the run (the caller writes it).
int run_flow_simulation(const SimParams& p, std::ostream& out, nlohmann::json& record);

}  // namespace gs
