// The device CPU firmware's answers to the upstream driver's CPU-CP packets: the card's
// description (INFO_GET), the queue test, PLL frequencies and the power limit the driver
// sets, PCI access and interrupt unmasking. Packets the simulated firmware has no model for
// are answered "invalid packet", as firmware that does not support them does.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "models/cpu/device_cpu.hpp"
#include "specs/gaudi/cpucp.h"

namespace gs {

void DeviceCpu::set_card_facts(const CardFacts& f) {
  facts_ = f;
  pll_hz_.fill(0);
  pll_hz_[GAUDI_CPUCP_PLL_CPU] = uint64_t(f.cpu_mhz * 1e6);
  pll_hz_[GAUDI_CPUCP_PLL_MME] = uint64_t(f.mme_mhz * 1e6);
  pll_hz_[GAUDI_CPUCP_PLL_TPC] = uint64_t(f.tpc_mhz * 1e6);
}

static void put_string(uint8_t* info, uint32_t offset, uint32_t room, const char* s) {
  std::strncpy(reinterpret_cast<char*>(info + offset), s, room - 1);
}

uint32_t DeviceCpu::execute_cpucp(uint32_t opcode, uint8_t* pkt, uint32_t len, sc_core::sc_time& delay) {
  (void)len;
  uint64_t value;
  uint32_t index;
  std::memcpy(&value, pkt + GAUDI_CPUCP_PKT_VALUE, 8);
  std::memcpy(&index, pkt + GAUDI_CPUCP_PKT_INDEX, 4);
  auto result = [&](uint64_t v) { std::memcpy(pkt + GAUDI_CPUCP_PKT_VALUE, &v, 8); };
  switch (opcode) {
    case GAUDI_CPUCP_TEST:  // the queue test: the value comes back unchanged
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_INFO_GET: {
      // value: where to write struct cpucp_info; index: the room the driver gave.
      uint8_t info[GAUDI_CPUCP_INFO_SIZE] = {};
      put_string(info, GAUDI_CPUCP_INFO_KERNEL_VERSION, GAUDI_CPUCP_VERSION_LEN, "gaudisim-fw 1.0\n");
      put_string(info, GAUDI_CPUCP_INFO_CPUCP_VERSION, GAUDI_CPUCP_VERSION_LEN, "gaudisim-cpucp 1.0");
      put_string(info, GAUDI_CPUCP_INFO_CARD_NAME, GAUDI_CPUCP_CARD_NAME_LEN, "gaudisim");
      // One temperature sensor with its input: the driver's hwmon device shows temp1_input.
      const uint32_t sensor[2] = {GAUDI_CPUCP_SENSOR_TYPE_TEMP, GAUDI_CPUCP_SENSOR_TEMP_INPUT};
      std::memcpy(info + GAUDI_CPUCP_INFO_SENSORS, sensor, sizeof sensor);
      uint32_t card_type = GAUDI_CPUCP_CARD_TYPE_PMC;  // an OAM card: all ten NIC ports
      std::memcpy(info + GAUDI_CPUCP_INFO_CARD_TYPE, &card_type, 4);
      std::memcpy(info + GAUDI_CPUCP_INFO_DRAM_SIZE, &facts_.dram_bytes, 8);
      uint32_t n = std::min<uint32_t>(index, sizeof info);
      if (bus_access(*noc_, tlm::TLM_WRITE_COMMAND, value, info, n, delay) != tlm::TLM_OK_RESPONSE)
        return GAUDI_CPUCP_RC_FAULT;
      result(n);
      return GAUDI_CPUCP_RC_OK;
    }
    case GAUDI_CPUCP_TEMPERATURE_GET: {
      // index: u16 sensor, u16 attribute (hwmon's numbering, as the INFO flags).
      const uint32_t sensor = index & 0xffffu, attr = index >> 16;
      if (sensor != 0 || attr != GAUDI_CPUCP_TEMP_INPUT) return GAUDI_CPUCP_RC_INVALID_PARAMS;
      if (!read_temperature_c) return GAUDI_CPUCP_RC_FAULT;
      result(uint64_t(int64_t(std::llround(read_temperature_c(sensor) * 1000))));  // millidegrees
      return GAUDI_CPUCP_RC_OK;
    }
    case GAUDI_CPUCP_FREQUENCY_GET:
    case GAUDI_CPUCP_FREQUENCY_CURR_GET:
      if (index >= pll_hz_.size()) return GAUDI_CPUCP_RC_INVALID_PARAMS;
      result(pll_hz_[index]);
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_FREQUENCY_SET:
      if (index >= pll_hz_.size()) return GAUDI_CPUCP_RC_INVALID_PARAMS;
      pll_hz_[index] = value;
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_MAX_POWER_GET:
      result(max_power_mw_);
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_MAX_POWER_SET:
      max_power_mw_ = value;
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_PCIE_REPLAY_CNT_GET:  // the simulated link never replays a TLP
      result(0);
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_EEPROM_DATA_GET:  // no EEPROM contents: zero bytes
      result(0);
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_DISABLE_PCI_ACCESS:
    case GAUDI_CPUCP_ENABLE_PCI_ACCESS:
    case GAUDI_CPUCP_UNMASK_RAZWI_IRQ:
    case GAUDI_CPUCP_UNMASK_RAZWI_IRQ_ARRAY:
    case GAUDI_CPUCP_MSI_INFO_SET:
      return GAUDI_CPUCP_RC_OK;
  }
  return GAUDI_CPUCP_RC_INVALID_PKT;
}

}  // namespace gs
