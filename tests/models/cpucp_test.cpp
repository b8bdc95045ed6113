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

TEST(CpuCp, TestInfoFrequenciesAndRefusals) {
  CpuWorld w;
  w.cpu.set_card_facts({32ull << 30, 1000, 1650, 1500});
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
  EXPECT_EQ(std::string(reinterpret_cast<char*>(info + GAUDI_CPUCP_INFO_CARD_NAME)), "gaudisim");
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

}  // namespace
}  // namespace gs::test
