#include "models/pcie/config_space.hpp"

namespace gs {
using namespace pcicfg;

static unsigned log2_ceil(unsigned v) {
  unsigned l = 0;
  while ((1u << l) < v) ++l;
  return l;
}

void PciConfigSpace::set(uint32_t offset, uint32_t value, uint32_t writable_mask) {
  regs_.at(offset / 4) = value;
  wmask_[offset / 4] = writable_mask;
  ++changes_;
}

PciConfigSpace::PciConfigSpace(const Ids& ids, const std::array<uint64_t, 3>& bar_sizes,
                               unsigned msi_vectors, unsigned link_speed_code, unsigned link_width)
    : bar_sizes_(bar_sizes) {
  set(kVendorDevice, uint32_t(ids.device) << 16 | ids.vendor, 0);
  // Command: memory space, bus master, interrupt disable are writable. Status: capability list.
  set(kCommandStatus, 0x0010u << 16, (1u << 1) | (1u << 2) | (1u << 10));
  set(kClassRevision, ids.class_code << 8 | ids.revision, 0);
  set(kHeader, 0, 0);
  for (unsigned i = 0; i < 3; ++i) {
    uint64_t size = bar_sizes[i];
    uint32_t lo = kBar0 + 8 * i;
    if (!size) continue;
    // Memory, 64-bit (type 10b), prefetchable; the low address bits below the size read 0.
    set(lo, 0xC, uint32_t(~(size - 1)) & ~0xFu);
    set(lo + 4, 0, uint32_t(~(size - 1) >> 32));
  }
  set(kSubsystem, uint32_t(ids.subsys_device) << 16 | ids.subsys_vendor, 0);
  set(kCapPtr, kMsiCap, 0);
  // MSI: 64-bit and per-vector-mask capable, Multiple Message Capable = log2(vectors);
  // enable + MME writable; a mask bit per implemented vector, pending bits read-only.
  uint32_t msi_ctl = (1u << 8) | (1u << 7) | (log2_ceil(msi_vectors) << 1);
  set(kMsiCap, (msi_ctl << 16) | (kPcieCap << 8) | 0x05, (0x71u) << 16);
  set(kMsiCap + 4, 0, 0xFFFFFFFCu);
  set(kMsiCap + 8, 0, 0xFFFFFFFFu);
  set(kMsiCap + 12, 0, 0xFFFFu);
  set(kMsiMask, 0, msi_vectors >= 32 ? 0xFFFFFFFFu : (1u << msi_vectors) - 1);
  set(kMsiPending, 0, 0);
  // PCI Express capability v2, endpoint; link capabilities and status report speed/width.
  set(kPcieCap, (0x0002u << 16) | 0x10, 0);
  uint32_t link = (link_width << 4) | link_speed_code;
  set(kPcieCap + 0x0C, link, 0);
  set(kPcieCap + 0x10, link << 16, 0);
}

uint32_t PciConfigSpace::read32(uint32_t offset) const {
  if (offset >= kSpaceBytes || offset % 4) return 0xFFFFFFFFu;
  return offset / 4 < kKeptWords ? regs_[offset / 4] : 0;
}

void PciConfigSpace::write32(uint32_t offset, uint32_t value) {
  if (offset >= kSpaceBytes || offset % 4) return;
  ++changes_;  // as for any write, even one that changes nothing
  if (offset / 4 >= kKeptWords) return;
  uint32_t m = wmask_[offset / 4];
  uint32_t& r = regs_[offset / 4];
  r = (r & ~m) | (value & m);
}

uint64_t PciConfigSpace::bar_base(unsigned n) const {
  uint32_t lo = kBar0 + 4 * n;
  return (uint64_t(regs_[(lo + 4) / 4]) << 32) | (regs_[lo / 4] & ~0xFu);
}

bool PciConfigSpace::msi_enabled() const { return (regs_[kMsiCap / 4] >> 16) & kMsiEnable; }

unsigned PciConfigSpace::msi_vectors_enabled() const {
  unsigned ctl = regs_[kMsiCap / 4] >> 16;
  unsigned mmc = (ctl >> 1) & 7, mme = (ctl >> 4) & 7;
  return 1u << (mme < mmc ? mme : mmc);
}

uint64_t PciConfigSpace::msi_address() const {
  return (uint64_t(regs_[(kMsiCap + 8) / 4]) << 32) | regs_[(kMsiCap + 4) / 4];
}

uint16_t PciConfigSpace::msi_data() const { return uint16_t(regs_[(kMsiCap + 12) / 4]); }

}  // namespace gs
