// The simulated machine inside the preloaded program: configuration (GAUDISIM_CONFIG,
// GAUDISIM_SET), the System of testbench/ with its cards and driver, the SystemC kernel on a
// thread of its own, and one simulated process per program thread that uses a card.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "testbench/sim_params.hpp"

namespace hl {
class HlDriver;
}
namespace gs {
class System;
}

namespace gsp {

class SimBridge;
class CheckedUserAccess;

class Simulator {
 public:
  // The process's simulator, built on first use (by the first thread that touches a device
  // node or a sysfs/debugfs path). Null if it cannot be built: the reason went to stderr once,
  // and the program sees a machine without GAUDI cards.
  static Simulator* get();
  // The simulator if it was built and still runs, else null; never builds it.
  static Simulator* running();

  // Runs fn in the calling thread's simulated process (where the driver may block in
  // simulated time); returns once it ran. False if the simulation is gone. An interruptible
  // call is told when a signal handler ran on the calling thread meanwhile (see SimBridge).
  bool call(const std::function<void()>& fn, bool interruptible = false);

  hl::HlDriver& driver();  // host 0's driver: the program runs on host 0
  unsigned cards() const { return cards_; }
  bool verbose() const { return verbose_; }
  void count_ioctl() { ++ioctls_; }
  // Stops the kernel cleanly (atexit); `leftovers` runs first in the simulation (closing the
  // program's open files). Prints the summary when GAUDISIM_VERBOSE=1.
  void shutdown(const std::function<void()>& leftovers);

 private:
  Simulator() = default;
  bool build();          // program thread: config, kernel thread, wait for the driver
  void kernel_thread();  // sc_start() and what has to run on its thread

  gs::SimParams params_;
  bool verbose_ = false;
  double pace_us_ = 1000;
  bool wall_time_ = true;  // GAUDISIM_TIME=wall (default) or events
  std::unique_ptr<gs::System> sys_;
  std::unique_ptr<SimBridge> bridge_;
  std::unique_ptr<CheckedUserAccess> access_;
  std::thread kernel_;
  std::mutex m_;
  std::condition_variable cv_;
  enum class Stage { starting, built, failed } stage_ = Stage::starting;
  std::string error_;
  unsigned cards_ = 0;
  std::atomic<uint64_t> ioctls_{0};
  std::atomic<bool> stopped_{false};
  double sim_time_ms_ = 0;
  int pid_ = 0;
  std::atomic<unsigned> next_client_{0};
};

}  // namespace gsp
