// One simulation run from loaded parameters: build, run the workload, report.
#pragma once
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "testbench/run_loop.hpp"
#include "testbench/sim_params.hpp"

namespace gs {

// configs/default.ini of the source tree (found next to the binary's build tree).
std::string default_config_path();

class PartitionTransport;

// What becomes of the simulated system once the run has reported.
enum class Teardown {
  destroy,        // every module destroyed before run_simulation returns (tests, library users)
  leave_to_exit,  // the process is about to exit: every output is written, flushed and closed,
                  // and the system is left standing (reachable, not leaked) for exit to drop
};

// Returns the process exit code. Writes JSON to json_path when it is not empty. With a
// transport of several ranks the run is partitioned (docs/partition.md): every rank calls
// it, rank 0 writes the output.
int run_simulation(const SimParams& params, const std::string& json_path, std::ostream& out,
                   PartitionTransport* ranks = nullptr, Teardown teardown = Teardown::destroy);

class System;
class Workload;
// After the simulation: the workload's table and rows, the run's statistics, how it ended,
// and the keys every record has (docs/output.md). Returns the exit code. Without
// `stats_detail` (nobody writes the record) the stats' per-row arrays are left out.
int report_run(Workload& wl, System& sys, std::ostream& out, nlohmann::json& record,
               RunEnd end = RunEnd::kFinished, bool stats_detail = true);

}  // namespace gs
