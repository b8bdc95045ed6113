#include "driver/gaudi/gaudi_asic.hpp"

#include <cerrno>

#include "driver/core/hl_device.hpp"
#include "driver/os/pci_regs.hpp"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"  // the HBM scrubber

namespace hl {

static const char* boot_stage(uint32_t status) {
  switch (status) {
    case GAUDI_CPU_BOOT_STATUS_NA: return "not started";
    case GAUDI_CPU_BOOT_STATUS_IN_BTL: return "in boot ROM";
    case GAUDI_CPU_BOOT_STATUS_IN_PREBOOT: return "in preboot";
    case GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT: return "preboot waiting for the boot FIT";
    case GAUDI_CPU_BOOT_STATUS_IN_UBOOT: return "in u-boot";
    case GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT: return "u-boot waiting for the firmware image";
    case GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL: return "ready";
    case 0xFFFFFFFFu: return "device not responding";
  }
  return "unknown stage";
}

int GaudiAsic::early_init(HlDevice& d) {
  os::Os& os = d.os();
  unsigned dev = d.pci_dev();
  uint32_t ids = os.pci_cfg_read32(dev, pci::kVendorId);
  d.props().vendor_id = uint16_t(ids);
  d.props().device_id = uint16_t(ids >> 16);
  if (d.props().vendor_id != pci::kVendorHabana || d.props().device_id != pci::kDeviceGaudi)
    return d.fail(-ENODEV, "not a GAUDI device");
  d.props().revision_id = uint8_t(os.pci_cfg_read32(dev, pci::kClassRevision));  // HW_IP_INFO
  uint32_t cmd = os.pci_cfg_read32(dev, pci::kCommand);
  os.pci_cfg_write32(dev, pci::kCommand, cmd | pci::kCommandMemory | pci::kCommandMaster);
  auto bar = [&](unsigned n) {
    uint64_t lo = os.pci_cfg_read32(dev, pci::kBar0 + 4 * n);
    uint64_t hi = os.pci_cfg_read32(dev, pci::kBar0 + 4 * n + 4);
    return (hi << 32) | (lo & ~0xFull);
  };
  d.props().sram_bar_addr = bar(0);
  d.props().cfg_bar_addr = bar(2);
  d.props().hbm_bar_addr = bar(4);
  if (!d.props().cfg_bar_addr) return d.fail(-ENODEV, "configuration BAR 2 is not assigned");
  return 0;
}

int GaudiAsic::wait_for_firmware(HlDevice& d) {
  const DriverParams& p = d.params();
  uint64_t deadline = d.os().now_ns() + uint64_t(p.boot_timeout_us) * 1000;
  uint32_t status = 0;
  bool fit_sent = false, boot_fit_sent = false;
  for (;;) {
    status = d.rreg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS);
    if (status == GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL) return 0;
    // Preboot asks for the boot FIT (u-boot): the image is built in, so say it is in place;
    // preboot acknowledges in CPU_CMD_STATUS_TO_HOST and starts u-boot.
    if (status == GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT && !boot_fit_sent) {
      d.wreg(mmCPU_CMD_STATUS_TO_HOST, GAUDI_CPU_MSG_CLR);
      d.wreg(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU, GAUDI_KMD_MSG_FIT_RDY);
      boot_fit_sent = true;
    }
    // u-boot waits for the firmware image: tell it the (built-in) Linux FIT is in place, as
    // the upstream driver's static loader does after copying the image.
    if (status == GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT && !fit_sent) {
      d.wreg(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU, GAUDI_KMD_MSG_FIT_RDY);
      fit_sent = true;
    }
    if (d.os().now_ns() >= deadline) break;
    d.os().sleep_ns(uint64_t(p.boot_poll_us) * 1000);
  }
  return d.fail(-ETIMEDOUT, "device CPU not ready after " + std::to_string(p.boot_timeout_us) +
                                " us (boot status " + std::to_string(status) + ": " + boot_stage(status) + ")");
}

int GaudiAsic::late_init(HlDevice& d) { return wait_for_firmware(d); }

int GaudiAsic::hw_init(HlDevice& d) {
  // Point the HBM BAR at the start of HBM through the iATU.
  hbm_bar_known_ = false;
  if (int rc = set_hbm_bar_base(d, GAUDI_DRAM_PHYS_BASE)) return d.fail(rc, "cannot program the PCIe iATU through ELBI");
  unsigned want = d.params().msi_single_vector ? 1 : GAUDI_MSI_ENTRIES;
  int n = d.os().pci_alloc_msi(d.pci_dev(), 1, want, [this, &d](unsigned v) { handle_irq(d, v); });
  if (n < 0) return d.fail(n, "cannot allocate MSI vectors");
  msi_enabled_ = true;
  single_msi_ = n < int(GAUDI_NUMBER_OF_CMPLT_QUEUES + 1);
  d.props().msi_vectors = unsigned(n);
  // The CPU queue first: the card's description (engine counts included) comes over it.
  int rc = alloc_cpu_queue(d);
  if (rc) return d.fail(rc, "cannot allocate queue memory");
  if ((rc = init_event_queue(d))) return rc == -ENOMEM ? d.fail(rc, "cannot allocate the event queue") : rc;
  if ((rc = fetch_card_info(d))) return rc;
  if ((rc = alloc_queues(d))) return d.fail(rc, "cannot allocate queue memory");
  init_security(d);
  init_qmans(d);
  if ((rc = d.nic().init_ports())) return d.fail(rc, "NIC bring-up failed");
  return 0;
}

void GaudiAsic::fini(HlDevice& d) {
  if (msi_enabled_) d.os().pci_free_msi(d.pci_dev());
  msi_enabled_ = false;
}

// The memory controller's scrubber (specs/gaudi/sim_blocks.h), polled like the boot status.
int GaudiAsic::scrub_hbm(HlDevice& d, uint64_t addr, uint64_t size) {
  d.wreg(GSIM_HBM_SCRUB_BASE + GSIM_HBM_SCRUB_ADDR_LO, uint32_t(addr));
  d.wreg(GSIM_HBM_SCRUB_BASE + GSIM_HBM_SCRUB_ADDR_HI, uint32_t(addr >> 32));
  d.wreg(GSIM_HBM_SCRUB_BASE + GSIM_HBM_SCRUB_SIZE_LO, uint32_t(size));
  d.wreg(GSIM_HBM_SCRUB_BASE + GSIM_HBM_SCRUB_SIZE_HI, uint32_t(size >> 32));
  d.wreg(GSIM_HBM_SCRUB_BASE + GSIM_HBM_SCRUB_CMD, GSIM_HBM_SCRUB_GO);
  // At least 8 GB/s, as the DMA scrub's deadline assumes; the HBM does far better.
  uint64_t deadline = d.os().now_ns() + uint64_t(d.params().boot_timeout_us) * 1000 + size / 8;
  for (;;) {
    uint32_t st = d.rreg(GSIM_HBM_SCRUB_BASE + GSIM_HBM_SCRUB_STATUS);
    if (st & GSIM_HBM_SCRUB_STATUS_ERR) return -EINVAL;
    if (!(st & GSIM_HBM_SCRUB_STATUS_BUSY)) return 0;
    if (d.os().now_ns() >= deadline) return -ETIMEDOUT;
    d.os().sleep_ns(uint64_t(d.params().boot_poll_us) * 1000);
  }
}

int GaudiAsic::hard_reset(HlDevice& d) {
  d.wreg(mmPSOC_GLOBAL_CONF_SW_ALL_RST, GAUDI_PSOC_SW_ALL_RST_IND);
  // Reset takes the device CPU down too: wait for its firmware as at probe.
  d.os().sleep_ns(uint64_t(d.params().boot_poll_us) * 1000);
  int rc = wait_for_firmware(d);
  if (rc) return rc;
  hbm_bar_known_ = false;
  if ((rc = set_hbm_bar_base(d, GAUDI_DRAM_PHYS_BASE))) return rc;
  init_security(d);
  init_qmans(d);
  if ((rc = init_event_queue(d))) return rc;
  // As Linux after a hard reset: ask the rebooted firmware for the card's description again.
  if ((rc = fetch_card_info(d))) return rc;
  return d.nic().init_ports();
}

}  // namespace hl
