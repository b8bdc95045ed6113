// The device CPU's firmware as the upstream driver talks to it: the two boot-FIT handshakes,
// then CPU-CP packets on the CPU queue (24-byte cpucp_packet in host memory, answered with
// the fence value): TEST echoes, INFO_GET writes cpucp_info, frequencies round-trip, the
// temperature sensor answers, unknown packets are refused.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>

#include "models/common/memory_target.hpp"
#include "models/cpu/device_cpu.hpp"
#include "specs/gaudi/cpucp.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

using sc_core::sc_time;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;

constexpr uint64_t kPq = 0x1000, kPkt = 0x2000, kInfo = 0x3000;

struct CpuWorld {
  MemoryTarget host{"host", 1 << 20, 100.0, SC_ZERO_TIME};  // stands for host memory
  DeviceCpu cpu{"cpu", sc_time(100, SC_US), false, SC_ZERO_TIME, SC_ZERO_TIME, SC_ZERO_TIME};
  uint32_t pi = 0;

  CpuWorld() { cpu.connect(host, nullptr); }
  void psoc(uint32_t reg, uint32_t v) { write(cpu.psoc_regs(), reg - GAUDI_BLK_PSOC_GLOBAL_CONF, v); }
  uint32_t psoc(uint32_t reg) { return cpu.psoc_regs().value(reg - GAUDI_BLK_PSOC_GLOBAL_CONF); }
  void cpu_if(uint32_t reg, uint32_t v) { write(cpu.cpu_if_regs(), reg - GAUDI_BLK_CPU_IF, v); }
  static void write(RegBank& b, uint32_t off, uint32_t v) {
    sc_time d = SC_ZERO_TIME;
    ASSERT_EQ(bus_access(b, tlm::TLM_WRITE_COMMAND, off, &v, 4, d), tlm::TLM_OK_RESPONSE);
  }
  // Boot as the upstream static loader does: boot FIT, then the Linux FIT.
  void boot() {
    sc_core::sc_start(sc_time(200, SC_US));
    ASSERT_EQ(psoc(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS), uint32_t(GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT));
    psoc(mmCPU_CMD_STATUS_TO_HOST, GAUDI_CPU_MSG_CLR);
    psoc(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU, GAUDI_KMD_MSG_FIT_RDY);
    ASSERT_EQ(psoc(mmCPU_CMD_STATUS_TO_HOST), uint32_t(GAUDI_CPU_MSG_OK));
    sc_core::sc_start(sc_time(200, SC_US));
    ASSERT_EQ(psoc(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS), uint32_t(GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT));
    psoc(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU, GAUDI_KMD_MSG_FIT_RDY);
    sc_core::sc_start(sc_time(200, SC_US));
    ASSERT_TRUE(cpu.ready());
    cpu_if(mmCPU_IF_PQ_BASE_ADDR_LOW, uint32_t(kPq));
    cpu_if(mmCPU_IF_PQ_BASE_ADDR_HIGH, 0);
    cpu_if(mmCPU_IF_PQ_LENGTH, 16 * GAUDI_PQ_ENTRY_SIZE);
  }
  // Sends one packet and returns it as the firmware left it.
  std::array<uint8_t, GAUDI_CPUCP_PKT_SIZE> send(uint32_t opcode, uint64_t value, uint32_t index) {
    std::array<uint8_t, GAUDI_CPUCP_PKT_SIZE> p{};
    uint32_t ctl = opcode << GAUDI_CPUCP_OPCODE_SHIFT, fence = ~0u;
    std::memcpy(&p[GAUDI_CPUCP_PKT_VALUE], &value, 8);
    std::memcpy(&p[GAUDI_CPUCP_PKT_CTL], &ctl, 4);
    std::memcpy(&p[GAUDI_CPUCP_PKT_FENCE], &fence, 4);
    std::memcpy(&p[GAUDI_CPUCP_PKT_INDEX], &index, 4);
    host.store().write(kPkt, p.data(), p.size());
    gaudi_qman_pq_entry e{kPkt, GAUDI_CPUCP_PKT_SIZE, 0};
    host.store().write(kPq + (pi % 16) * GAUDI_PQ_ENTRY_SIZE, &e, sizeof e);
    pi = (pi + 1) % 32;
    cpu_if(mmCPU_IF_PF_PQ_PI, pi);
    sc_core::sc_start(sc_time(10, SC_US));
    host.store().read(kPkt, p.data(), p.size());
    return p;
  }
  static uint64_t value(const std::array<uint8_t, GAUDI_CPUCP_PKT_SIZE>& p) {
    uint64_t v;
    std::memcpy(&v, &p[GAUDI_CPUCP_PKT_VALUE], 8);
    return v;
  }
  static uint32_t word(const std::array<uint8_t, GAUDI_CPUCP_PKT_SIZE>& p, uint32_t off) {
    uint32_t v;
    std::memcpy(&v, &p[off], 4);
    return v;
  }
  static uint32_t rc(const std::array<uint8_t, GAUDI_CPUCP_PKT_SIZE>& p) { return word(p, GAUDI_CPUCP_PKT_CTL) >> 12 & 0xF; }
};

DeviceCpu::CardFacts facts() {
  DeviceCpu::CardFacts f;
  f.name = "HL205";
  f.dram_bytes = 32ull << 30;
  f.sram_bytes = 20u << 20;
  f.card_location = 6;
  f.serial = 0x4741554449000006ull;
  f.tpcs = 6, f.mmes = 1, f.dmas = 5, f.nic_ports = 7;
  f.cpu_mhz = 1000, f.tpc_mhz = 1650, f.mme_mhz = 1500;
  f.max_power_mw = 350000;
  return f;
}

template <class T> T at(const uint8_t* b, uint32_t off) {
  T v;
  std::memcpy(&v, b + off, sizeof v);
  return v;
}

TEST(CpuCp, TestInfoFrequenciesAndRefusals) {
  CpuWorld w;
  w.cpu.set_card_facts(facts());
  w.boot();
  auto t = w.send(GAUDI_CPUCP_TEST, GAUDI_CPUCP_FENCE_VAL, 0);
  EXPECT_EQ(w.word(t, GAUDI_CPUCP_PKT_FENCE), GAUDI_CPUCP_FENCE_VAL);
  EXPECT_EQ(w.rc(t), 0u);
  EXPECT_EQ(w.value(t), GAUDI_CPUCP_FENCE_VAL);

  auto i = w.send(GAUDI_CPUCP_INFO_GET, kInfo, GAUDI_CPUCP_INFO_SIZE);
  EXPECT_EQ(w.rc(i), 0u);
  EXPECT_EQ(w.value(i), GAUDI_CPUCP_INFO_SIZE);
  uint8_t info[GAUDI_CPUCP_INFO_SIZE];
  w.host.store().read(kInfo, info, sizeof info);
  uint64_t dram;
  std::memcpy(&dram, info + GAUDI_CPUCP_INFO_DRAM_SIZE, 8);
  EXPECT_EQ(dram, 32ull << 30);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(info + GAUDI_CPUCP_INFO_CARD_NAME)), "HL205");
  EXPECT_EQ(std::string(reinterpret_cast<char*>(info + GAUDI_CPUCP_INFO_CPUCP_VERSION)), "gaudisim-cpucp 1.0");
  EXPECT_EQ(at<uint32_t>(info, GAUDI_CPUCP_INFO_CARD_LOCATION), 6u);
  EXPECT_EQ(at<uint32_t>(info, GAUDI_CPUCP_INFO_CARD_TYPE), 1u) << "PMC (OAM)";
  // The silicon's instances the card lacks are reported binned.
  EXPECT_EQ(at<uint64_t>(info, GAUDI_CPUCP_INFO_TPC_BINNING), 0xC0u) << "TPC 6 and 7";
  EXPECT_EQ(at<uint64_t>(info, GAUDI_CPUCP_INFO_MME_BINNING), 0x2u) << "the second master (MME2)";
  EXPECT_EQ(at<uint8_t>(info, GAUDI_CPUCP_INFO_EDMA_BINNING), 0xE0u) << "DMA 5..7";
  EXPECT_EQ(at<uint32_t>(info, GAUDI_CPUCP_INFO_RESERVED1), 20u << 20) << "gaudisim's SRAM size";
  uint32_t sensor_type;
  std::memcpy(&sensor_type, info + GAUDI_CPUCP_INFO_SENSORS, 4);
  EXPECT_EQ(sensor_type, GAUDI_CPUCP_SENSOR_TYPE_TEMP);

  auto f = w.send(GAUDI_CPUCP_FREQUENCY_GET, 0, GAUDI_CPUCP_PLL_TPC);
  EXPECT_EQ(w.value(f), 1650000000u);
  w.send(GAUDI_CPUCP_FREQUENCY_SET, 1200000000u, GAUDI_CPUCP_PLL_TPC);
  EXPECT_EQ(w.value(w.send(GAUDI_CPUCP_FREQUENCY_GET, 0, GAUDI_CPUCP_PLL_TPC)), 1200000000u);
  EXPECT_EQ(w.rc(w.send(GAUDI_CPUCP_FREQUENCY_GET, 0, 99)), uint32_t(GAUDI_CPUCP_RC_INVALID_PARAMS));

  auto bad = w.send(60, 0, 0);  // a packet the firmware does not know
  EXPECT_EQ(w.word(bad, GAUDI_CPUCP_PKT_FENCE), GAUDI_CPUCP_FENCE_VAL) << "answered, not dropped";
  EXPECT_EQ(w.rc(bad), uint32_t(GAUDI_CPUCP_RC_INVALID_PKT));
  EXPECT_EQ(w.rc(w.send(GAUDI_CPUCP_TEMPERATURE_GET, 0, 1u << 16)), uint32_t(GAUDI_CPUCP_RC_FAULT)) << "no sensor model";

  // With a sensor: sensor 0's input in millidegrees; other sensors and attributes refused.
  uint32_t sensor_flags;
  std::memcpy(&sensor_flags, info + GAUDI_CPUCP_INFO_SENSORS + 4, 4);
  EXPECT_EQ(sensor_flags, 0x2u) << "HWMON_T_INPUT";
  w.cpu.read_temperature_c = [](unsigned) { return 51.2346; };
  const uint32_t input = 1u << 16;  // sensor 0, attribute hwmon_temp_input
  auto temp = w.send(GAUDI_CPUCP_TEMPERATURE_GET, 0, input);
  EXPECT_EQ(w.rc(temp), 0u);
  EXPECT_EQ(w.value(temp), 51235u);
  EXPECT_EQ(w.rc(w.send(GAUDI_CPUCP_TEMPERATURE_GET, 0, input | 1)), uint32_t(GAUDI_CPUCP_RC_INVALID_PARAMS)) << "sensor 1";
  EXPECT_EQ(w.rc(w.send(GAUDI_CPUCP_TEMPERATURE_GET, 0, 7u << 16)), uint32_t(GAUDI_CPUCP_RC_INVALID_PARAMS))
      << "hwmon_temp_max: not reported";
}

// The packets gaudisim's driver takes the rest of the card from: NIC ports, the EEPROM's
// serial, the power limit, power and energy; a buffer never grows past the room given.
TEST(CpuCp, NicInfoEepromPowerAndEnergy) {
  CpuWorld w;
  w.cpu.set_card_facts(facts());
  w.cpu.read_power_w = [] { return 123.4567; };
  w.cpu.read_energy_j = [] { return 9.87654; };
  w.boot();
  uint8_t buf[GAUDI_CPUCP_NIC_INFO_SIZE];
  auto n = w.send(GAUDI_CPUCP_NIC_INFO_GET, kInfo, GAUDI_CPUCP_NIC_INFO_SIZE);
  EXPECT_EQ(w.rc(n), 0u);
  EXPECT_EQ(w.value(n), GAUDI_CPUCP_NIC_INFO_SIZE);
  w.host.store().read(kInfo, buf, sizeof buf);
  EXPECT_EQ(at<uint64_t>(buf, GAUDI_CPUCP_NIC_INFO_LINK_MASK), 0x7Fu) << "ports 0..6";

  const uint64_t canary = 0x5A5A5A5A5A5A5A5Aull;
  w.host.store().write(kInfo + 8, &canary, 8);
  auto e = w.send(GAUDI_CPUCP_EEPROM_DATA_GET, kInfo, 64);
  EXPECT_EQ(w.rc(e), 0u);
  EXPECT_EQ(w.value(e), 8u) << "the image's size";
  w.host.store().read(kInfo, buf, 16);
  EXPECT_EQ(at<uint64_t>(buf, 0), 0x4741554449000006ull);
  EXPECT_EQ(at<uint64_t>(buf, 8), canary) << "nothing written past the image";
  auto small = w.send(GAUDI_CPUCP_INFO_GET, kInfo + 0x1000, 16);
  EXPECT_EQ(w.value(small), 16u) << "INFO_GET cut to the room given";

  EXPECT_EQ(w.value(w.send(GAUDI_CPUCP_MAX_POWER_GET, 0, 0)), 350000u);
  w.send(GAUDI_CPUCP_MAX_POWER_SET, 200000, 0);
  EXPECT_EQ(w.value(w.send(GAUDI_CPUCP_MAX_POWER_GET, 0, 0)), 200000u);
  auto p = w.send(GAUDI_CPUCP_POWER_GET, 0, GAUDI_CPUCP_POWER_INPUT << 16);
  EXPECT_EQ(w.rc(p), 0u);
  EXPECT_EQ(w.value(p), 123457u) << "mW";
  EXPECT_EQ(w.rc(w.send(GAUDI_CPUCP_POWER_GET, 0, 9u << 16)), uint32_t(GAUDI_CPUCP_RC_INVALID_PARAMS)) << "highest";
  EXPECT_EQ(w.value(w.send(GAUDI_CPUCP_TOTAL_ENERGY_GET, 0, 0)), 9877u) << "mJ";
}

}  // namespace
}  // namespace gs::test
