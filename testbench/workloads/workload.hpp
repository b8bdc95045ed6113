// A workload: what the simulated user programs do once the cards are up, and how the
// outcome is reported (a table on stdout, a JSON record).
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace gs {

class StatsArchive;
class System;
struct SimParams;

class Workload {
 public:
  virtual ~Workload() = default;
  // Before anything is built: reads the workload's inputs; bad ones throw ConfigError (exit 2).
  virtual void prepare(const SimParams&) {}
  // Elaboration: spawn the simulated processes on the hosts.
  virtual void setup(System& sys) = 0;
  // After the run: print the summary, fill the JSON record. Returns the exit code
  // (0 when everything the workload checks is right).
  virtual int report(System& sys, std::ostream& out, nlohmann::json& record) = 0;
  // Partitioned runs: what the processes of `cards` (true = included) measured, so that the
  // reporting rank has every result (testbench/partition). Same order on save and load.
  virtual void archive_results(const std::vector<bool>& cards, StatsArchive& a) {}
};

// Names accepted by workload.name, and the factory.
const std::vector<std::string>& workload_names();
std::unique_ptr<Workload> make_workload(const std::string& name);

}  // namespace gs
