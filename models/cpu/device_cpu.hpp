// The device CPU as the driver sees it: boot-status registers that walk through the
// firmware's boot stages after power-on or a hard reset and settle on "ready", or, with the
// fault knob set, stop in preboot forever.
#pragma once
#include <systemc>

#include "models/common/reg_bank.hpp"

namespace gs {

class DeviceCpu : public sc_core::sc_module {
 public:
  DeviceCpu(sc_core::sc_module_name name, sc_core::sc_time boot_time, bool never_boots,
            sc_core::sc_time reg_latency);

  // Restart the boot sequence (power-on happens at time zero; hard reset calls this).
  void restart();
  bool ready() const;
  RegBank& regs() { return regs_; }

 private:
  void boot_step();

  sc_core::sc_time boot_time_;
  bool never_boots_;
  RegBank regs_;
  sc_core::sc_event step_;
  unsigned stage_ = 0;
};

}  // namespace gs
