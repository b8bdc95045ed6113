// What the driver learns about a card during probe.
#pragma once
#include <cstdint>

namespace hl {

struct AsicProps {
  uint16_t vendor_id = 0, device_id = 0;
  uint8_t revision_id = 0;
  uint64_t hbm_bytes = 0;
  uint32_t sram_bytes = 0;
  uint32_t tpc_cores = 0, mme_engines = 0, dma_channels = 0, nic_ports = 0;
  uint64_t serial = 0;
  uint32_t card_index = 0;
  uint32_t tpc_mhz = 0, mme_mhz = 0, cpu_mhz = 0;
  uint32_t max_power_mw = 0;  // board power limit (sysfs max_power)
  uint64_t sram_bar_addr = 0, cfg_bar_addr = 0, hbm_bar_addr = 0;  // host physical
  unsigned msi_vectors = 0;
};

}  // namespace hl
