// specs/gaudi/cpucp.h declares CPU-CP layouts as offsets. Here the public structs are laid out
// again field by field (types and array lengths from the public firmware interface), and the
// compiler's offsets must match the header's: both drivers and the firmware model use them.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>

#include "specs/gaudi/cpucp.h"
#include "specs/gaudi/sim_blocks.h"

namespace {

struct Packet {
  uint64_t value;
  uint32_t ctl, fence;
  uint16_t sensor_index, type;  // union with index / pll_index / data_max_size
  uint32_t port_index;
};

struct Info {
  struct {
    uint32_t type, flags;
  } sensors[128];
  uint8_t kernel_version[128];
  uint32_t reserved1, card_type, card_location, cpld_version, infineon_version;
  uint8_t fuse_version[128], thermal_version[128], cpucp_version[128];
  uint32_t infineon_second_stage_version;
  uint64_t dram_size;
  char card_name[16];
  uint64_t tpc_binning_mask, decoder_binning_mask;
  uint8_t sram_binning, dram_binning_mask, memory_repair_flag, edma_binning_mask, xbar_binning_mask,
      interposer_version, substrate_version, eq_health_check_supported;
  uint8_t sec_info[4];
  uint32_t cpld_timestamp;
  uint8_t pll_map[16];
  uint64_t mme_binning_mask;
  uint8_t fw_os_version[128];
};

struct NicInfo {
  uint8_t mac_addrs[128][6];
  uint64_t link_mask[2], pol_tx_mask[8], pol_rx_mask[8], link_ext_mask[2];
  uint8_t qsfp_eeprom[1024];
  uint64_t auto_neg_mask[2];
  uint16_t serdes_type, tx_swap_map[128];
  uint8_t reserved[6];
};

#define EXPECT_OFF(type, member, off) EXPECT_EQ(offsetof(type, member), size_t(off)) << #member

TEST(CpucpLayout, Packet) {
  EXPECT_EQ(sizeof(Packet), size_t(GAUDI_CPUCP_PKT_SIZE));
  EXPECT_OFF(Packet, value, GAUDI_CPUCP_PKT_VALUE);
  EXPECT_OFF(Packet, ctl, GAUDI_CPUCP_PKT_CTL);
  EXPECT_OFF(Packet, fence, GAUDI_CPUCP_PKT_FENCE);
  EXPECT_OFF(Packet, sensor_index, GAUDI_CPUCP_PKT_INDEX);
  EXPECT_OFF(Packet, type, GAUDI_CPUCP_PKT_TYPE);
}

TEST(CpucpLayout, InfoFieldsBothDriversRead) {
  EXPECT_EQ(sizeof(Info), size_t(GAUDI_CPUCP_INFO_SIZE));
  EXPECT_OFF(Info, sensors, GAUDI_CPUCP_INFO_SENSORS);
  EXPECT_OFF(Info, kernel_version, GAUDI_CPUCP_INFO_KERNEL_VERSION);
  EXPECT_OFF(Info, reserved1, GAUDI_CPUCP_INFO_RESERVED1);
  EXPECT_OFF(Info, reserved1, GSIM_CPUCP_INFO_SRAM_BYTES);
  EXPECT_OFF(Info, card_type, GAUDI_CPUCP_INFO_CARD_TYPE);
  EXPECT_OFF(Info, card_location, GAUDI_CPUCP_INFO_CARD_LOCATION);
  EXPECT_OFF(Info, fuse_version, GAUDI_CPUCP_INFO_FUSE_VERSION);
  EXPECT_OFF(Info, thermal_version, GAUDI_CPUCP_INFO_THERMAL_VERSION);
  EXPECT_OFF(Info, cpucp_version, GAUDI_CPUCP_INFO_CPUCP_VERSION);
  EXPECT_OFF(Info, dram_size, GAUDI_CPUCP_INFO_DRAM_SIZE);
  EXPECT_OFF(Info, card_name, GAUDI_CPUCP_INFO_CARD_NAME);
  EXPECT_OFF(Info, tpc_binning_mask, GAUDI_CPUCP_INFO_TPC_BINNING);
  EXPECT_OFF(Info, edma_binning_mask, GAUDI_CPUCP_INFO_EDMA_BINNING);
  EXPECT_OFF(Info, mme_binning_mask, GAUDI_CPUCP_INFO_MME_BINNING);
}

TEST(CpucpLayout, NicInfo) {
  EXPECT_EQ(sizeof(NicInfo), size_t(GAUDI_CPUCP_NIC_INFO_SIZE));
  EXPECT_OFF(NicInfo, mac_addrs, GAUDI_CPUCP_NIC_INFO_MAC_ADDRS);
  EXPECT_OFF(NicInfo, link_mask, GAUDI_CPUCP_NIC_INFO_LINK_MASK);
}

TEST(CpucpLayout, OpcodesAreThePublicOnes) {
  EXPECT_EQ(GAUDI_CPUCP_INFO_GET, 14);
  EXPECT_EQ(GAUDI_CPUCP_TEST, 18);
  EXPECT_EQ(GAUDI_CPUCP_MAX_POWER_GET, 20);
  EXPECT_EQ(GAUDI_CPUCP_EEPROM_DATA_GET, 22);
  EXPECT_EQ(GAUDI_CPUCP_NIC_INFO_GET, 23);
  EXPECT_EQ(GAUDI_CPUCP_TOTAL_ENERGY_GET, 29);
  EXPECT_EQ(GAUDI_CPUCP_POWER_GET, 32);
  EXPECT_EQ(GAUDI_CPUCP_MSI_INFO_SET, 37);
}

}  // namespace
