// Runs a sweep's unfinished points as independent gaudisim processes, at most `jobs` at a
// time, with progress lines (points done, failures, ETA) on `progress`.
#pragma once
#include <ostream>
#include <string>

#include "testbench/sweep/sweep_plan.hpp"

namespace gs {

struct SweepRunSummary {
  std::size_t ran = 0;      // points run now
  std::size_t resumed = 0;  // points finished by an earlier run and kept
  std::size_t failed = 0;   // of those run now, points whose process did not exit 0
  bool interrupted = false; // Ctrl-C: running points were stopped and stay unfinished
};

// `program` is the gaudisim executable each point runs. Throws ConfigError if a process
// cannot be started at all. On SIGINT/SIGTERM no new point starts; points stopped by it
// (exit 130 or killed by the signal) get no status file, so running again resumes them.
SweepRunSummary run_sweep_points(const SweepPlan& plan, const std::string& program, int jobs,
                                 std::ostream& progress);

// The executable of this process (/proc/self/exe), for re-running gaudisim per point.
std::string self_executable();

}  // namespace gs
