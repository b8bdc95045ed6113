// What the driver learns about a card during probe: the PCI IDs and BARs from configuration
// space, the rest from the device CPU's firmware (CPU-CP INFO_GET and friends).
#pragma once
#include <cstdint>
#include <string>

namespace hl {

struct AsicProps {
  uint16_t vendor_id = 0, device_id = 0;
  uint8_t revision_id = 0;
  uint64_t hbm_bytes = 0;
  uint32_t sram_bytes = 0;
  uint32_t tpc_cores = 0, mme_engines = 0, dma_channels = 0, nic_ports = 0;
  uint64_t serial = 0;
  uint32_t card_index = 0;  // cpucp_info card_location (INFO's module_id)
  std::string card_name, cpucp_version, kernel_version, fuse_version, thermal_version;
  uint32_t tpc_mhz = 0, mme_mhz = 0, cpu_mhz = 0;
  uint32_t max_power_mw = 0;  // board power limit (sysfs max_power)
  uint64_t sram_bar_addr = 0, cfg_bar_addr = 0, hbm_bar_addr = 0;  // host physical
  unsigned msi_vectors = 0;
};

}  // namespace hl
