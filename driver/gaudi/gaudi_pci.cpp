// The PCIe controller as the driver programs it, and host access to device memory through the
// BARs. The ELBI window in configuration space reaches on-chip registers without a BAR; through
// it the iATU's inbound region for BAR 4 points the HBM BAR at the part of HBM the driver wants
// to reach (Linux: set_dram_bar_base over hl_pci_set_inbound_region).
#include <cerrno>

#include "driver/core/hl_device.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "driver/os/pci_regs.hpp"
#include "specs/gaudi/pcie_core.h"
#include "specs/gaudi/regs.h"

namespace hl {

namespace {
constexpr unsigned kElbiPolls = 10;  // the core answers within a configuration cycle or two
}

int GaudiAsic::elbi_write(HlDevice& d, uint64_t device_addr, uint32_t value) {
  os::Os& os = d.os();
  const unsigned dev = d.pci_dev();
  os.pci_cfg_write32(dev, GAUDI_PCI_CONFIG_ELBI_STS, 0);
  os.pci_cfg_write32(dev, GAUDI_PCI_CONFIG_ELBI_ADDR, uint32_t(device_addr));
  os.pci_cfg_write32(dev, GAUDI_PCI_CONFIG_ELBI_DATA, value);
  os.pci_cfg_write32(dev, GAUDI_PCI_CONFIG_ELBI_CTRL, GAUDI_PCI_CONFIG_ELBI_CTRL_WRITE);
  for (unsigned i = 0; i < kElbiPolls; ++i) {
    const uint32_t sts = os.pci_cfg_read32(dev, GAUDI_PCI_CONFIG_ELBI_STS);
    if (sts & GAUDI_PCI_CONFIG_ELBI_STS_ERR) return -EIO;  // also a device gone (all-ones)
    if (sts & GAUDI_PCI_CONFIG_ELBI_STS_DONE) return 0;
    os.sleep_ns(1000);
  }
  return -ETIMEDOUT;
}

int GaudiAsic::set_hbm_bar_base(HlDevice& d, uint64_t addr) {
  if (hbm_bar_known_ && hbm_bar_base_ == addr) return 0;
  const uint64_t region = GAUDI_CFG_BASE + GAUDI_BLK_PCIE_DBI + GAUDI_IATU_INBOUND(GAUDI_IATU_HBM_REGION);
  // The DBI window shows the iATU while AUX_DBI selects it; it is given back afterwards.
  int rc = elbi_write(d, GAUDI_CFG_BASE + mmPCIE_AUX_DBI, GAUDI_PCIE_AUX_DBI_IATU);
  if (!rc) rc = elbi_write(d, region + GAUDI_IATU_TARGET_LO, uint32_t(addr));
  if (!rc) rc = elbi_write(d, region + GAUDI_IATU_TARGET_HI, uint32_t(addr >> 32));
  if (!rc)
    rc = elbi_write(d, region + GAUDI_IATU_CTRL2,
                    GAUDI_IATU_CTRL2_ENABLE | GAUDI_IATU_CTRL2_BAR_MATCH | GAUDI_HBM_BAR_ID << GAUDI_IATU_CTRL2_BAR_SHIFT);
  const int back = elbi_write(d, GAUDI_CFG_BASE + mmPCIE_AUX_DBI, 0);
  hbm_bar_known_ = !rc && !back;
  hbm_bar_base_ = addr;
  return rc ? rc : back;
}

// The PCI way (Linux's PCI core does it at enumeration): all-ones into the 64-bit BAR, the
// bits that stay zero give the size, then the address goes back.
uint64_t GaudiAsic::hbm_bar_bytes(HlDevice& d) {
  if (hbm_bar_bytes_) return hbm_bar_bytes_;
  os::Os& os = d.os();
  const unsigned dev = d.pci_dev();
  const uint32_t lo = pci::kBar0 + 4 * GAUDI_HBM_BAR_ID, hi = lo + 4;
  const uint32_t old_lo = os.pci_cfg_read32(dev, lo), old_hi = os.pci_cfg_read32(dev, hi);
  os.pci_cfg_write32(dev, lo, ~0u);
  os.pci_cfg_write32(dev, hi, ~0u);
  const uint64_t mask = uint64_t(os.pci_cfg_read32(dev, hi)) << 32 | (os.pci_cfg_read32(dev, lo) & ~0xFu);
  os.pci_cfg_write32(dev, lo, old_lo);
  os.pci_cfg_write32(dev, hi, old_hi);
  hbm_bar_bytes_ = mask ? ~mask + 1 : 0;
  return hbm_bar_bytes_;
}

// As Linux's debugfs data32/data64: HBM through the HBM BAR moved over the address, SRAM
// through BAR 0, registers through BAR 2.
int GaudiAsic::access_dev_mem(HlDevice& d, uint64_t addr, unsigned size, uint64_t* val, bool write) {
  if ((size != 4 && size != 8) || addr % size) return -EINVAL;
  const AsicProps& p = d.props();
  uint64_t host = 0;
  static_assert(GAUDI_DRAM_PHYS_BASE == 0, "HBM starts at device address 0 (addr >= base always)");
  if (addr < p.hbm_bytes && size <= p.hbm_bytes - addr) {
    const uint64_t bar = hbm_bar_bytes(d);
    if (!bar || (bar & (bar - 1))) return -ENODEV;
    const uint64_t base = addr & ~(bar - 1);
    if (int rc = set_hbm_bar_base(d, base)) return rc;
    host = p.hbm_bar_addr + (addr - base);
  } else if (addr >= GAUDI_SRAM_BASE_ADDR && addr - GAUDI_SRAM_BASE_ADDR + size <= p.sram_bytes) {
    host = p.sram_bar_addr + (addr - GAUDI_SRAM_BASE_ADDR);
  } else if (addr >= GAUDI_CFG_BASE && addr - GAUDI_CFG_BASE + size <= GAUDI_CFG_SIZE) {
    host = p.cfg_bar_addr + GAUDI_CFG_BAR_CFG_OFFSET + (addr - GAUDI_CFG_BASE);
  } else {
    return -EFAULT;
  }
  os::Os& os = d.os();
  if (write && size == 4) os.mmio_write32(host, uint32_t(*val));
  else if (write) os.mmio_write64(host, *val);
  else *val = size == 4 ? os.mmio_read32(host) : os.mmio_read64(host);
  return 0;
}

}  // namespace hl
