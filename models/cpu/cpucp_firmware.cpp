// The device CPU firmware's answers to CPU-CP packets, the same for both drivers: the card's
// description (INFO_GET, NIC_INFO_GET, the EEPROM), the queue test, PLL frequencies, the
// power limit, the power and energy readings, PCI access and interrupt unmasking. Packets the
// simulated firmware has no model for are answered "invalid packet", as firmware that does
// not support them does.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "models/cpu/device_cpu.hpp"
#include "specs/gaudi/cpucp.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace gs {

void DeviceCpu::set_card_facts(const CardFacts& f) {
  facts_ = f;
  max_power_mw_ = f.max_power_mw;
  pll_hz_.fill(0);
  pll_hz_[GAUDI_CPUCP_PLL_CPU] = uint64_t(f.cpu_mhz * 1e6);
  pll_hz_[GAUDI_CPUCP_PLL_MME] = uint64_t(f.mme_mhz * 1e6);
  pll_hz_[GAUDI_CPUCP_PLL_TPC] = uint64_t(f.tpc_mhz * 1e6);
}

static void put_string(uint8_t* buf, uint32_t offset, uint32_t room, const std::string& s) {
  std::memcpy(buf + offset, s.data(), std::min<size_t>(s.size(), room - 1));
}

template <class T> static void put(uint8_t* buf, uint32_t offset, T v) { std::memcpy(buf + offset, &v, sizeof v); }

// Bits of the silicon's `total` instances from `present` up: reported binned.
static uint64_t binned(unsigned present, unsigned total) {
  uint64_t all = (1ull << total) - 1, have = (1ull << std::min(present, total)) - 1;
  return all & ~have;
}

// struct cpucp_info: versions, the card's name, type and place, its HBM, the instances binned
// out of the silicon's, one temperature sensor; and the SRAM size in the reserved word
// (gaudisim's, specs/gaudi/sim_blocks.h).
void DeviceCpu::fill_cpucp_info(uint8_t* info) const {
  put_string(info, GAUDI_CPUCP_INFO_KERNEL_VERSION, GAUDI_CPUCP_VERSION_LEN, "gaudisim-fw 1.0\n");
  put_string(info, GAUDI_CPUCP_INFO_CPUCP_VERSION, GAUDI_CPUCP_VERSION_LEN, "gaudisim-cpucp 1.0");
  put_string(info, GAUDI_CPUCP_INFO_FUSE_VERSION, GAUDI_CPUCP_VERSION_LEN, "gaudisim");
  put_string(info, GAUDI_CPUCP_INFO_THERMAL_VERSION, GAUDI_CPUCP_VERSION_LEN, "gaudisim\n");
  put_string(info, GAUDI_CPUCP_INFO_CARD_NAME, GAUDI_CPUCP_CARD_NAME_LEN, facts_.name);
  // One temperature sensor with its input: the driver's hwmon device shows temp1_input.
  put<uint32_t>(info, GAUDI_CPUCP_INFO_SENSORS, GAUDI_CPUCP_SENSOR_TYPE_TEMP);
  put<uint32_t>(info, GAUDI_CPUCP_INFO_SENSORS + 4, GAUDI_CPUCP_SENSOR_TEMP_INPUT);
  put<uint32_t>(info, GAUDI_CPUCP_INFO_CARD_TYPE, GAUDI_CPUCP_CARD_TYPE_PMC);  // an OAM card: all ten NIC ports
  put<uint32_t>(info, GAUDI_CPUCP_INFO_CARD_LOCATION, facts_.card_location);
  put<uint64_t>(info, GAUDI_CPUCP_INFO_DRAM_SIZE, facts_.dram_bytes);
  put<uint64_t>(info, GAUDI_CPUCP_INFO_TPC_BINNING, binned(facts_.tpcs, GAUDI_TPC_NUMBER_OF_ENGINES));
  put<uint64_t>(info, GAUDI_CPUCP_INFO_MME_BINNING, binned(facts_.mmes, GAUDI_MME_NUMBER_OF_MASTER_ENGINES));
  put<uint8_t>(info, GAUDI_CPUCP_INFO_EDMA_BINNING, uint8_t(binned(facts_.dmas, GAUDI_DMA_NUMBER_OF_CHANNELS)));
  put<uint32_t>(info, GSIM_CPUCP_INFO_SRAM_BYTES, facts_.sram_bytes);
}

// The answer of a packet that fills a host buffer (value: its address; index: its room):
// at most the room is written, and the result is the size written.
uint32_t DeviceCpu::write_buffer(uint64_t addr, uint32_t room, const uint8_t* data, uint32_t size,
                                 uint8_t* pkt, sc_core::sc_time& delay) {
  uint64_t n = std::min(room, size);
  if (n && bus_access(*noc_, tlm::TLM_WRITE_COMMAND, addr, const_cast<uint8_t*>(data), unsigned(n), delay) != tlm::TLM_OK_RESPONSE)
    return GAUDI_CPUCP_RC_FAULT;
  std::memcpy(pkt + GAUDI_CPUCP_PKT_VALUE, &n, 8);
  return GAUDI_CPUCP_RC_OK;
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
      uint8_t info[GAUDI_CPUCP_INFO_SIZE] = {};
      fill_cpucp_info(info);
      return write_buffer(value, index, info, sizeof info, pkt, delay);
    }
    case GAUDI_CPUCP_NIC_INFO_GET: {  // the ports the card has, as the link mask
      uint8_t nic[GAUDI_CPUCP_NIC_INFO_SIZE] = {};
      put<uint64_t>(nic, GAUDI_CPUCP_NIC_INFO_LINK_MASK, (1ull << facts_.nic_ports) - 1);
      return write_buffer(value, index, nic, sizeof nic, pkt, delay);
    }
    case GAUDI_CPUCP_EEPROM_DATA_GET: {  // gaudisim's EEPROM image: the serial number
      uint8_t eeprom[GSIM_EEPROM_IMAGE_SIZE] = {};
      put<uint64_t>(eeprom, GSIM_EEPROM_SERIAL, facts_.serial);
      return write_buffer(value, index, eeprom, sizeof eeprom, pkt, delay);
    }
    case GAUDI_CPUCP_POWER_GET:  // type (bits 31..16 of index): only the input, in mW
      if (index >> 16 != GAUDI_CPUCP_POWER_INPUT) return GAUDI_CPUCP_RC_INVALID_PARAMS;
      result(read_power_w ? uint64_t(std::llround(read_power_w() * 1000)) : 0);
      return GAUDI_CPUCP_RC_OK;
    case GAUDI_CPUCP_TOTAL_ENERGY_GET:  // mJ since power-on
      result(read_energy_j ? uint64_t(std::llround(read_energy_j() * 1000)) : 0);
      return GAUDI_CPUCP_RC_OK;
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
