// PCI configuration-space facts the driver relies on (from the PCI specification, as the
// kernel's pci_regs.h gives them to drivers).
#pragma once
#include <cstdint>

namespace hl::pci {
constexpr uint32_t kVendorId = 0x00;
constexpr uint32_t kCommand = 0x04;
constexpr uint32_t kClassRevision = 0x08;  // revision id in the low byte
constexpr uint32_t kBar0 = 0x10;
constexpr uint16_t kCommandMemory = 1u << 1;
constexpr uint16_t kCommandMaster = 1u << 2;
constexpr uint16_t kVendorHabana = 0x1da3;
constexpr uint16_t kDeviceGaudi = 0x1000;
}  // namespace hl::pci
