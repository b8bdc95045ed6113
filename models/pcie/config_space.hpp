// Type-0 PCI configuration space of an endpoint: header, 64-bit memory BARs with sizing,
// a multi-message MSI capability with per-vector masking and a PCI Express capability. Write masks decide which
// bits software can change, exactly as on silicon.
#pragma once
#include <array>
#include <cstdint>

namespace gs {

namespace pcicfg {
constexpr uint32_t kVendorDevice = 0x00;
constexpr uint32_t kCommandStatus = 0x04;
constexpr uint32_t kClassRevision = 0x08;
constexpr uint32_t kHeader = 0x0C;
constexpr uint32_t kBar0 = 0x10;
constexpr uint32_t kSubsystem = 0x2C;
constexpr uint32_t kCapPtr = 0x34;
constexpr uint32_t kMsiCap = 0x50;      // id 0x05: control at +2, addr lo +4, hi +8, data +12,
                                        // mask bits +16, pending bits +20 (64-bit, per-vector masking)
constexpr uint32_t kMsiMask = kMsiCap + 0x10;
constexpr uint32_t kMsiPending = kMsiCap + 0x14;
constexpr uint32_t kPcieCap = 0x70;     // id 0x10: link capabilities +0x0C, link status +0x12
constexpr uint16_t kCmdMemory = 1u << 1;
constexpr uint16_t kCmdBusMaster = 1u << 2;
constexpr uint16_t kMsiEnable = 1u << 0;
}  // namespace pcicfg

class PciConfigSpace {
 public:
  struct Ids {
    uint16_t vendor, device, subsys_vendor, subsys_device;
    uint8_t revision;
    uint32_t class_code;  // 24 bits: base, sub, prog-if
  };
  // bar_sizes[i] for the 64-bit BARs at index 0, 2, 4 (zero: absent). msi_vectors: 1..32.
  PciConfigSpace(const Ids& ids, const std::array<uint64_t, 3>& bar_sizes, unsigned msi_vectors,
                 unsigned link_speed_code, unsigned link_width);

  uint32_t read32(uint32_t offset) const;
  void write32(uint32_t offset, uint32_t value);
  // Counts every change to any config space of the process: whoever caches address
  // decoding (the root complex's BAR windows) rebuilds when it moved.
  static uint64_t changes() { return changes_; }

  uint16_t command() const { return uint16_t(read32(pcicfg::kCommandStatus)); }
  bool memory_enabled() const { return command() & pcicfg::kCmdMemory; }
  bool bus_master() const { return command() & pcicfg::kCmdBusMaster; }
  // Base address programmed in 64-bit BAR n (0, 2 or 4), size of that BAR.
  uint64_t bar_base(unsigned n) const;
  uint64_t bar_size(unsigned n) const { return bar_sizes_[n / 2]; }

  bool msi_enabled() const;
  unsigned msi_vectors_enabled() const;  // from Multiple Message Enable: 1, 2, 4, ... 32
  uint64_t msi_address() const;
  uint16_t msi_data() const;
  // Per-vector masking (PCI spec): a masked vector's message is held as a pending bit and
  // sent when software clears the mask.
  bool msi_masked(unsigned vector) const { return (regs_[pcicfg::kMsiMask / 4] >> vector) & 1; }
  uint32_t msi_pending() const { return regs_[pcicfg::kMsiPending / 4]; }
  void set_msi_pending(uint32_t bits) { regs_[pcicfg::kMsiPending / 4] = bits; }

 private:
  void set(uint32_t offset, uint32_t value, uint32_t writable_mask);

  // The 4 KiB space's registers all sit in its first 256 bytes (the PCI header and the MSI
  // and PCI Express capabilities): the extended space above holds no capability, reads 0 and
  // ignores writes, so it keeps no words (two 4 KiB tables were 8 KiB per card).
  static constexpr uint32_t kSpaceBytes = 4096;
  static constexpr uint32_t kKeptWords = 64;
  static inline uint64_t changes_ = 0;
  std::array<uint32_t, kKeptWords> regs_{};
  std::array<uint32_t, kKeptWords> wmask_{};
  std::array<uint64_t, 3> bar_sizes_;
};

}  // namespace gs
