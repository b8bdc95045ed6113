#include "driver/core/hl_device.hpp"

#include <cerrno>

#include "specs/gaudi/regs.h"

namespace hl {

const char* to_string(DeviceStatus s) {
  switch (s) {
    case DeviceStatus::operational: return "operational";
    case DeviceStatus::in_reset: return "in reset";
    case DeviceStatus::malfunction: return "malfunction";
    case DeviceStatus::needs_reset: return "needs reset";
    case DeviceStatus::in_creation: return "in creation";
  }
  return "unknown";
}

HlDevice::HlDevice(os::Os& os, const DriverParams& params, unsigned pci_dev, unsigned id,
                   std::unique_ptr<Asic> asic)
    : os_(os), params_(params), pci_dev_(pci_dev), id_(id), pci_name_(os.pci_name(pci_dev)),
      asic_(std::move(asic)) {}

HlDevice::~HlDevice() = default;

void HlDevice::log(os::LogLevel lvl, const std::string& msg) {
  os_.log(lvl, "habanalabs hl" + std::to_string(id_) + " " + pci_name_ + ": " + msg);
}

int HlDevice::fail(int err, const std::string& why) {
  probe_error_ = why;
  status_ = DeviceStatus::malfunction;
  log(os::LogLevel::error, "probe failed (" + std::to_string(err) + "): " + why);
  return err;
}

int HlDevice::probe() {
  uint64_t t0 = os_.now_ns();
  status_ = DeviceStatus::in_creation;
  int rc = asic_->early_init(*this);
  if (!rc) rc = asic_->late_init(*this);
  if (!rc) rc = asic_->hw_init(*this);
  probe_ns_ = os_.now_ns() - t0;
  if (rc) {
    asic_->fini(*this);
    return rc;
  }
  probed_ = true;
  status_ = DeviceStatus::operational;
  log(os::LogLevel::info, "probed in " + std::to_string(probe_ns_ / 1000) + " us");
  return 0;
}

void HlDevice::remove() {
  if (!probed_) return;
  asic_->fini(*this);
  probed_ = false;
  status_ = DeviceStatus::in_creation;
}

// BAR 2 opens at the SPI flash window; the registers start GAUDI_CFG_BAR_CFG_OFFSET into it.
uint32_t HlDevice::rreg(uint32_t offset) {
  return os_.mmio_read32(props_.cfg_bar_addr + GAUDI_CFG_BAR_CFG_OFFSET + offset);
}

void HlDevice::wreg(uint32_t offset, uint32_t value) {
  os_.mmio_write32(props_.cfg_bar_addr + GAUDI_CFG_BAR_CFG_OFFSET + offset, value);
}

bool HlDevice::claim_compute(int fd) {
  if (compute_owner_ >= 0) return false;
  compute_owner_ = fd;
  return true;
}

void HlDevice::release_compute(int fd) {
  if (compute_owner_ == fd) compute_owner_ = -1;
}

}  // namespace hl
