// Runs the SystemC kernel to the end of a run in slices of simulated time, so that a long
// run can show its progress and stop cleanly on Ctrl-C. Slices are fixed in simulated time
// (never in wall time) and the kernel only pauses between them: results do not depend on
// the slice length or on whether progress is shown.
#pragma once
#include <ostream>

namespace gs {

enum class RunEnd {
  kFinished,     // nothing left to happen
  kTimeGuard,    // sim.max_time_ms reached with work pending
  kInterrupted,  // SIGINT or SIGTERM: stopped between two slices
};

struct RunLoopOptions {
  double max_time_us = 0;      // the time guard
  double slice_us = 100;       // simulated time between checks
  std::ostream* progress = nullptr;  // progress line target, nullptr for none
};

// Installs SIGINT/SIGTERM handlers for the duration of the call (restored after).
RunEnd run_until_done(const RunLoopOptions& options);

// The exit code of an interrupted run (128 + SIGINT, as a shell reports it): sweeps treat
// such a point as not run, so a resumed sweep runs it again.
constexpr int kInterruptedExitCode = 130;

}  // namespace gs
