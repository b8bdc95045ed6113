#include "testbench/host/host.hpp"

#include "testbench/host/logger.hpp"

namespace gs {

// Driver code and user programs have deep call chains; SystemC's default stack is small.
static constexpr size_t kSoftwareStack = 4 << 20;

Host::Host(sc_core::sc_module_name name, unsigned index, const PcieParams& pcie,
           const hl::DriverParams& drv, Logger& log, bool run_driver)
    : sc_module(name), index_(index), rc_("rc", pcie), os_("os", rc_, log, std::string(name)),
      driver_(os_, drv) {
  if (!run_driver) return;  // another process of a partitioned run simulates this host
  sc_core::sc_spawn_options opt;
  opt.set_stack_size(kSoftwareStack);
  sc_core::sc_spawn([this] { driver_init(); }, "driver_init", &opt);
}

// The driver's teardown frees its DMA memory just before the host memory goes whole.
Host::~Host() { rc_.memory().closing(); }

void Host::attach(Card& card) { rc_.attach(card.pcie()); }

void Host::driver_init() {
  driver_.init();
  ready_ = true;
  ready_event_.notify(sc_core::SC_ZERO_TIME);
}

void Host::spawn_process(const std::string& name, std::function<void()> body) {
  sc_core::sc_spawn_options opt;
  opt.set_stack_size(kSoftwareStack);
  sc_core::sc_spawn(
      [this, body = std::move(body)] {
        if (!ready_) sc_core::wait(ready_event_);
        body();
      },
      (std::string(basename()) + "_" + name).c_str(), &opt);  // unique across hosts (SystemC W505 otherwise)
}

}  // namespace gs
