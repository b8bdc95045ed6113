// The fake device CPU's answers to CPU-CP packets: what a driver unit test needs to probe a
// card (its description through INFO_GET, NIC_INFO_GET, EEPROM_DATA_GET, the clocks and the
// power limit) and to read power and energy. Buffers are written at the public offsets
// (specs/gaudi/cpucp.h); the layouts' own test is the card model's (tests/models/cpucp_test).
#include <algorithm>
#include <cstring>
#include <vector>

#include "fake_os.hpp"
#include "specs/gaudi/cpucp.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace hl::test {

namespace {
template <class T> void put(std::vector<uint8_t>& b, uint32_t off, T v) { std::memcpy(b.data() + off, &v, sizeof v); }
uint64_t binned(unsigned present, unsigned total) { return ((1ull << total) - 1) & ~((1ull << std::min(present, total)) - 1); }
}  // namespace

uint32_t FakeOs::execute_cpucp(FakeDevice& d, uint8_t* msg) {
  const FakeCard& c = d.card;
  uint64_t value;
  uint32_t ctl, index;
  std::memcpy(&value, msg + GSIM_CPU_MSG_VALUE, 8);
  std::memcpy(&ctl, msg + GSIM_CPU_MSG_CTL, 4);
  std::memcpy(&index, msg + GSIM_CPU_MSG_INDEX, 4);
  std::vector<uint8_t> buf;
  uint64_t result = value;
  switch (ctl >> GSIM_CPU_MSG_OPCODE_SHIFT) {
    case GAUDI_CPUCP_INFO_GET:
      buf.resize(GAUDI_CPUCP_INFO_SIZE);
      put(buf, GAUDI_CPUCP_INFO_DRAM_SIZE, c.hbm_bytes);
      put(buf, GAUDI_CPUCP_INFO_CARD_LOCATION, c.index);
      put(buf, GSIM_CPUCP_INFO_SRAM_BYTES, c.sram_bytes);
      put(buf, GAUDI_CPUCP_INFO_TPC_BINNING, binned(c.tpc, GAUDI_TPC_NUMBER_OF_ENGINES));
      put(buf, GAUDI_CPUCP_INFO_MME_BINNING, binned(c.mme, GAUDI_MME_NUMBER_OF_MASTER_ENGINES));
      put(buf, GAUDI_CPUCP_INFO_EDMA_BINNING, uint8_t(binned(c.dma, GAUDI_DMA_NUMBER_OF_CHANNELS)));
      std::memcpy(buf.data() + GAUDI_CPUCP_INFO_CARD_NAME, c.name.data(), std::min<size_t>(c.name.size(), 15));
      std::memcpy(buf.data() + GAUDI_CPUCP_INFO_CPUCP_VERSION, "fake-cpucp 2.0", 14);
      break;
    case GAUDI_CPUCP_NIC_INFO_GET:
      buf.resize(GAUDI_CPUCP_NIC_INFO_SIZE);
      put(buf, GAUDI_CPUCP_NIC_INFO_LINK_MASK, (1ull << c.nic_ports) - 1);
      break;
    case GAUDI_CPUCP_EEPROM_DATA_GET:
      buf.resize(GSIM_EEPROM_IMAGE_SIZE);
      put(buf, GSIM_EEPROM_SERIAL, c.serial);
      break;
    case GAUDI_CPUCP_FREQUENCY_GET: {
      uint32_t mhz = index == GAUDI_CPUCP_PLL_TPC ? c.tpc_mhz : index == GAUDI_CPUCP_PLL_MME ? c.mme_mhz
                   : index == GAUDI_CPUCP_PLL_CPU ? c.cpu_mhz : 0;
      result = uint64_t(mhz) * 1000000;
      break;
    }
    case GAUDI_CPUCP_MAX_POWER_GET: result = c.max_power_mw; break;
    case GAUDI_CPUCP_POWER_GET: result = c.power_mw; break;
    case GAUDI_CPUCP_TOTAL_ENERGY_GET: result = c.energy_mj; break;
    default: break;  // NOP and the NIC messages: done, the value unchanged
  }
  if (!buf.empty()) {
    uint32_t n = std::min<uint32_t>(index, uint32_t(buf.size()));
    uint8_t* dst = host_bytes(value, n);
    if (!dst) return GAUDI_CPUCP_RC_FAULT;
    std::memcpy(dst, buf.data(), n);
    result = n;
  }
  std::memcpy(msg + GSIM_CPU_MSG_VALUE, &result, 8);
  return GAUDI_CPUCP_RC_OK;
}

}  // namespace hl::test
