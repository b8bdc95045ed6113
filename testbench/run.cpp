#include "testbench/run.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "models/common/trace.hpp"
#include "testbench/config/config.hpp"
#include "testbench/flow/flow_run.hpp"
#include "testbench/output/record.hpp"
#include "testbench/output/run_stats.hpp"
#include "testbench/partition/partition.hpp"
#include "testbench/run_loop.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/workload.hpp"

#ifndef GS_SOURCE_DIR
#define GS_SOURCE_DIR "."
#endif

namespace gs {

int run_partitioned(const SimParams& params, const std::string& json_path, std::ostream& out, PartitionTransport& t,
                    Teardown teardown);

namespace {

// A run's simulated world. Members go in reverse order: the system first (its modules hold
// references to the parameters and the partition), then the workload whose programs ran on it.
struct SimulatedWorld {
  SimParams params;
  std::unique_ptr<Workload> workload;
  std::unique_ptr<Partition> partition;  // a rank's share of a partitioned run
  std::unique_ptr<System> system;
};

// Teardown::leave_to_exit: each world stays reachable from here until the process exits, so
// that leak checkers count it as in use, not lost. Destroying it would only return memory
// the exit returns anyway, module by module (SystemC's registry forgets each with a linear
// search: quadratic in the card count).
std::vector<SimulatedWorld*>& left_to_exit() {
  static auto* worlds = new std::vector<SimulatedWorld*>;  // never destroyed: used until exit
  return *worlds;
}

}  // namespace

std::string default_config_path() { return std::string(GS_SOURCE_DIR) + "/configs/default.ini"; }

int run_simulation(const SimParams& params, const std::string& json_path, std::ostream& out,
                   PartitionTransport* ranks, Teardown teardown) {
  if (ranks) return run_partitioned(params, json_path, out, *ranks, teardown);
  auto world = std::make_unique<SimulatedWorld>();
  world->params = params;  // the config record must not see later changes
  SimParams& p = world->params;
  // The output is opened before anything is built: a bad path must not cost a simulation.
  std::ofstream json_file;
  if (!json_path.empty() && json_path != "-") {
    json_file.open(json_path);
    if (!json_file) throw ConfigError("--json: cannot write '" + json_path + "'");
  }
  if (p.fabric.flow.model == "flow") {  // no card is built: the flow model runs the traffic alone
    nlohmann::json record;
    const int rc = run_flow_simulation(p, out, record);
    if (json_path == "-") std::cout << record.dump(2) << "\n";
    if (json_file.is_open()) json_file << record.dump(2) << "\n";
    return rc;
  }
  if (!p.sim.trace.empty()) {
    if (!std::ofstream(p.sim.trace)) throw ConfigError("sim.trace: cannot write '" + p.sim.trace + "'");
    trace::start({p.sim.trace, p.sim.trace_max_events, sc_core::sc_time(p.sim.trace_merge_ns, sc_core::SC_NS)});
  }
  auto wall0 = std::chrono::steady_clock::now();
  world->workload = make_workload(p.workload.name);
  Workload& wl = *world->workload;
  wl.prepare(p);  // bad workload inputs stop the run before anything is built
  world->system = std::make_unique<System>(p);
  System& sys = *world->system;
  wl.setup(sys);
  RunLoopOptions loop;
  loop.max_time_us = p.sim.max_time_ms * 1000;
  loop.slice_us = p.sim.slice_us;
  loop.progress = isatty(STDERR_FILENO) ? &std::cerr : nullptr;  // quiet in pipes and logs
  const RunEnd end = run_until_done(loop);
  double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

  nlohmann::json record;
  const int rc = report_run(wl, sys, out, record, end, !json_path.empty());
  if (trace::enabled()) {
    const trace::Summary t = trace::finish();
    record["trace"] = {{"path", p.sim.trace}, {"events", t.events}, {"merged", t.merged},
                       {"dropped", t.dropped}};
    out << "trace: " << t.events << " events (" << t.merged << " spans merged, " << t.dropped
        << " dropped) in " << p.sim.trace << "\n";
  }
  // Wall time is not part of the record: records must be identical run to run.
  out << "simulated " << sc_core::sc_time_stamp().to_seconds() * 1e6 << " us in " << wall_s << " s wall\n";
  if (json_path == "-") std::cout << record.dump(2) << "\n";
  if (json_file.is_open()) json_file << record.dump(2) << "\n";
  // Every output of the run is written by now: the report's files (CSV) closed, the trace
  // finished, the JSON closed here; the system's destructors write nothing users see.
  json_file.close();
  out.flush();
  std::cout.flush();
  if (teardown == Teardown::leave_to_exit) left_to_exit().push_back(world.release());
  return rc;
}

// One rank's share of a partitioned run; rank 0 reports for all. Left to exit as a single
// process's world is: nothing of it talks to the other ranks once the exit code is shared
// (MPI_Finalize comes later, when the caller drops the transport).
int run_partitioned(const SimParams& params, const std::string& json_path, std::ostream& out, PartitionTransport& t,
                    Teardown teardown) {
  auto world = std::make_unique<SimulatedWorld>();
  world->params = params;
  SimParams& p = world->params;
  if (p.fabric.flow.model == "flow" || !p.sim.trace.empty())
    throw ConfigError("config: a partitioned (MPI) run needs fabric.model = packet and no sim.trace");
  // Only these gather their results from every rank (Workload::archive_results), and only
  // they start programs on their own ranks' hosts: a rank does not build the others'.
  if (p.workload.name != "collective" && p.workload.name != "traffic")
    throw ConfigError("config: key 'workload.name' = '" + p.workload.name +
                      "': a partitioned (MPI) run supports collective, traffic");
  std::ofstream json_file;
  if (t.rank() == 0 && !json_path.empty() && json_path != "-") {
    json_file.open(json_path);
    if (!json_file) throw ConfigError("--json: cannot write '" + json_path + "'");
  }
  auto wall0 = std::chrono::steady_clock::now();
  world->workload = make_workload(p.workload.name);
  Workload* wl = world->workload.get();
  wl->prepare(p);
  world->partition = std::make_unique<Partition>(p, t);
  Partition& part = *world->partition;
  world->system = std::make_unique<System>(p, part);
  System& sys = *world->system;
  wl->setup(sys);
  RunLoopOptions loop;
  loop.max_time_us = p.sim.max_time_ms * 1000;
  const RunEnd end = part.run(loop);
  part.gather(*wl);
  double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  int rc = 0;
  nlohmann::json record;
  if (part.reporter()) {
    rc = report_run(*wl, sys, out, record, end, !json_path.empty());
    out << "simulated " << sc_core::sc_time_stamp().to_seconds() * 1e6 << " us in " << wall_s << " s wall\n";
    if (json_path == "-") std::cout << record.dump(2) << "\n";
    if (json_file.is_open()) json_file << record.dump(2) << "\n";
  }
  part.report_overhead(std::cerr);
  rc = part.share_exit_code(rc);
  json_file.close();
  out.flush();
  std::cout.flush();
  if (teardown == Teardown::leave_to_exit) left_to_exit().push_back(world.release());
  return rc;
}

int report_run(Workload& wl, System& sys, std::ostream& out, nlohmann::json& record, RunEnd end, bool stats_detail) {
  const SimParams& p = sys.params();
  int rc = wl.report(sys, out, record);
  const double sim_us = sc_core::sc_time_stamp().to_seconds() * 1e6;
  record["stats"] = collect_run_stats(sys, sim_us, stats_detail);
  print_run_stats(record["stats"], out);
  if (end == RunEnd::kTimeGuard) {
    out << "gaudisim: stopped at the time guard sim.max_time_ms = " << p.sim.max_time_ms << " ms ("
        << sc_core::sc_time_stamp().to_seconds() * 1e6 << " us simulated) with work still pending\n";
    rc = rc ? rc : 1;
  } else if (end == RunEnd::kInterrupted) {
    out << "gaudisim: interrupted at simulated " << sc_core::sc_time_stamp().to_seconds() * 1e6
        << " us; the results above are what finished (JSON marked partial)\n";
    rc = kInterruptedExitCode;
  }
  if (FaultInjector* f = sys.faults()) {
    record["faults"] = f->stats();
    out << "faults injected: " << record["faults"]["injected"].dump() << "\n";
  }
  finish_record(record, p, {end == RunEnd::kFinished, end == RunEnd::kInterrupted, sim_us, rc});
  return rc;
}

}  // namespace gs
