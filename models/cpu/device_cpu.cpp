#include "models/cpu/device_cpu.hpp"

#include "specs/gaudi/regs.h"

namespace gs {

// Offsets inside the PSOC global-configuration block.
static constexpr uint32_t kBootStatus = mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS - GAUDI_BLK_PSOC_GLOBAL_CONF;
static constexpr uint32_t kBootErr0 = mmCPU_BOOT_ERR0 - GAUDI_BLK_PSOC_GLOBAL_CONF;

DeviceCpu::DeviceCpu(sc_core::sc_module_name name, sc_core::sc_time boot_time, bool never_boots,
                     sc_core::sc_time reg_latency)
    : sc_module(name), boot_time_(boot_time), never_boots_(never_boots),
      regs_(std::string(name) + ".regs", reg_latency) {
  regs_.add(kBootStatus, "CPU_BOOT_STATUS", GAUDI_CPU_BOOT_STATUS_NA, /*writable*/ true);
  regs_.add(kBootErr0, "CPU_BOOT_ERR0", 0, false);
  SC_HAS_PROCESS(DeviceCpu);
  SC_METHOD(boot_step);
  sensitive << step_;
  dont_initialize();
  restart();
}

void DeviceCpu::restart() {
  stage_ = 0;
  regs_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_NA);
  step_.cancel();
  step_.notify(sc_core::SC_ZERO_TIME);
}

bool DeviceCpu::ready() const { return regs_.value(kBootStatus) == GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL; }

// Boot stages: boot ROM (BTL), preboot, u-boot, firmware up. The split of the boot time
// between stages is arbitrary; only the end matters to the driver.
void DeviceCpu::boot_step() {
  switch (stage_++) {
    case 0:
      regs_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_IN_BTL);
      step_.notify(boot_time_ * 0.1);
      break;
    case 1:
      regs_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_IN_PREBOOT);
      if (!never_boots_) step_.notify(boot_time_ * 0.4);  // the faulty card hangs here
      break;
    case 2:
      regs_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_IN_UBOOT);
      step_.notify(boot_time_ * 0.5);
      break;
    default:
      regs_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL);
      break;
  }
}

}  // namespace gs
