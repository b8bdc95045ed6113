// A simulated host: its PCI root complex and DRAM, the os layer, and the real driver
// running on it. Host software (driver init, user processes) runs as SystemC threads.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <systemc>

#include "driver/core/hl_driver.hpp"
#include "models/card/card.hpp"
#include "models/pcie/root_complex.hpp"
#include "testbench/host/sim_os.hpp"

namespace gs {

class Logger;

class Host : public sc_core::sc_module {
 public:
  Host(sc_core::sc_module_name name, unsigned index, const PcieParams& pcie,
       const hl::DriverParams& drv, Logger& log, bool run_driver = true);
  ~Host() override;

  void attach(Card& card);  // elaboration only
  // Start a simulated process; it runs once the driver has probed every card.
  void spawn_process(const std::string& name, std::function<void()> body);

  unsigned index() const { return index_; }
  RootComplex& rc() { return rc_; }
  SimOs& os() { return os_; }
  hl::HlDriver& driver() { return driver_; }
  bool driver_ready() const { return ready_; }

 private:
  void driver_init();

  unsigned index_;
  RootComplex rc_;
  SimOs os_;
  hl::HlDriver driver_;
  bool ready_ = false;
  sc_core::sc_event ready_event_;
};

}  // namespace gs
