#include "testbench/run_loop.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <systemc>

#include "testbench/host/huge_heap.hpp"

namespace gs {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

// Restores the previous handlers when the run ends, also on exceptions.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

using Clock = std::chrono::steady_clock;

// One status line, rewritten in place: shown from 2 s of wall time on, refreshed every second.
class ProgressLine {
 public:
  explicit ProgressLine(std::ostream* os) : os_(os), start_(Clock::now()), last_(start_) {}
  void update(bool final_line) {
    if (!os_) return;
    const Clock::time_point now = Clock::now();
    const double wall = std::chrono::duration<double>(now - start_).count();
    if (!final_line && (wall < 2.0 || now - last_ < std::chrono::seconds(1))) return;
    if (final_line && !shown_) return;
    last_ = now;
    shown_ = true;
    const double sim_us = sc_core::sc_time_stamp().to_seconds() * 1e6;
    const double deltas = static_cast<double>(sc_core::sc_delta_count());
    *os_ << "\r[gaudisim] simulated " << std::fixed << std::setprecision(1) << sim_us
         << " us, wall " << wall << " s, " << std::setprecision(0) << deltas / wall
         << " delta cycles/s (Ctrl-C stops and writes what finished)" << (final_line ? "\n" : "")
         << std::flush;
    os_->unsetf(std::ios::floatfield);
  }

 private:
  std::ostream* os_;
  Clock::time_point start_, last_;
  bool shown_ = false;
};

}  // namespace

RunEnd run_until_done(const RunLoopOptions& options) {
  StopSignals signals;
  ProgressLine progress(options.progress);
  const sc_core::sc_time end(options.max_time_us, sc_core::SC_US);
  const sc_core::sc_time slice(options.slice_us, sc_core::SC_US);
  RunEnd result = RunEnd::kFinished;
  for (;;) {
    if (!sc_core::sc_pending_activity()) break;  // nothing left to happen
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (now >= end) {
      result = RunEnd::kTimeGuard;
      break;
    }
    if (g_stop_signal) {
      result = RunEnd::kInterrupted;
      break;
    }
    // Each window reaches at least the next event: with SC_EXIT_ON_STARVATION the kernel
    // stops at the last event inside the window instead of advancing time to its end, so
    // a window without an event would make no progress (and simulated time at the end of
    // the run is the time of the last event, as with one sc_start).
    const sc_core::sc_time next = sc_core::sc_time_to_pending_activity();
    if (next > end - now) {  // the next event lies beyond the guard
      result = RunEnd::kTimeGuard;
      break;
    }
    const sc_core::sc_time window = std::max(slice, next);
    sc_core::sc_start(std::min(window, end - now), sc_core::SC_EXIT_ON_STARVATION);
    progress.update(false);
    advise_huge_heap();
  }
  // Stopped by the guard at the last event before it: nothing happens in between, so let
  // time reach the guard that the message and the record speak of.
  if (result == RunEnd::kTimeGuard && sc_core::sc_time_stamp() < end)
    sc_core::sc_start(end - sc_core::sc_time_stamp(), sc_core::SC_RUN_TO_TIME);
  progress.update(true);
  return result;
}

}  // namespace gs
