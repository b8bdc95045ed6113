// The card's description, asked of the device CPU's firmware as the Linux driver does: CPU-CP
// INFO_GET (struct cpucp_info in a host buffer) once the CPU queue is up, then the PLL clocks
// (FREQUENCY_GET) and the board power limit (MAX_POWER_GET). What cpucp_info has no field for
// comes from public packets too: the NIC ports from NIC_INFO_GET's link mask, the serial from
// the EEPROM image (EEPROM_DATA_GET). docs/uapi.md lists where this differs from Linux.
#include <bitset>
#include <cerrno>
#include <cstring>
#include <vector>

#include "driver/core/hl_device.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "specs/gaudi/cpucp.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace hl {

namespace {

template <class T> T field(const uint8_t* buf, uint32_t offset) {
  T v;
  std::memcpy(&v, buf + offset, sizeof v);
  return v;
}

std::string text(const uint8_t* buf, uint32_t offset, uint32_t room) {
  const char* s = reinterpret_cast<const char*>(buf + offset);
  return std::string(s, strnlen(s, room));
}

// Instances present out of the silicon's `total`: those whose binning bit is clear.
uint32_t unbinned(uint64_t binning_mask, unsigned total) {
  uint64_t all = total >= 64 ? ~0ull : (1ull << total) - 1;
  return uint32_t(std::bitset<64>(~binning_mask & all).count());
}

}  // namespace

int GaudiAsic::cpucp_read_buffer(HlDevice& d, uint32_t opcode, void* out, uint32_t room) {
  uint64_t bus = 0;
  void* buf = d.os().dma_alloc_coherent(room, &bus);
  if (!buf) return -ENOMEM;
  std::memset(buf, 0, room);
  uint64_t value = host_to_device(bus);
  int rc = send_cpu_message(d, opcode, room, &value);
  if (!rc) std::memcpy(out, buf, room);
  d.os().dma_free_coherent(buf, room, bus);
  return rc;
}

int GaudiAsic::fetch_cpucp_info(HlDevice& d) {
  std::vector<uint8_t> info(GAUDI_CPUCP_INFO_SIZE);
  if (int rc = cpucp_read_buffer(d, GAUDI_CPUCP_INFO_GET, info.data(), GAUDI_CPUCP_INFO_SIZE)) return rc;
  const uint8_t* b = info.data();
  AsicProps& p = d.props();
  p.hbm_bytes = field<uint64_t>(b, GAUDI_CPUCP_INFO_DRAM_SIZE);
  p.card_index = field<uint32_t>(b, GAUDI_CPUCP_INFO_CARD_LOCATION);
  p.card_name = text(b, GAUDI_CPUCP_INFO_CARD_NAME, GAUDI_CPUCP_CARD_NAME_LEN);
  if (p.card_name.empty()) p.card_name = "HL205";  // as Linux: GAUDI_DEFAULT_CARD_NAME
  p.cpucp_version = text(b, GAUDI_CPUCP_INFO_CPUCP_VERSION, GAUDI_CPUCP_VERSION_LEN);
  p.kernel_version = text(b, GAUDI_CPUCP_INFO_KERNEL_VERSION, GAUDI_CPUCP_VERSION_LEN);
  p.fuse_version = text(b, GAUDI_CPUCP_INFO_FUSE_VERSION, GAUDI_CPUCP_VERSION_LEN);
  p.thermal_version = text(b, GAUDI_CPUCP_INFO_THERMAL_VERSION, GAUDI_CPUCP_VERSION_LEN);
  p.tpc_cores = unbinned(field<uint64_t>(b, GAUDI_CPUCP_INFO_TPC_BINNING), GAUDI_TPC_NUMBER_OF_ENGINES);
  p.mme_engines = unbinned(field<uint64_t>(b, GAUDI_CPUCP_INFO_MME_BINNING), GAUDI_MME_NUMBER_OF_MASTER_ENGINES);
  p.dma_channels = unbinned(field<uint8_t>(b, GAUDI_CPUCP_INFO_EDMA_BINNING), GAUDI_DMA_NUMBER_OF_CHANNELS);
  uint32_t sram = field<uint32_t>(b, GSIM_CPUCP_INFO_SRAM_BYTES);
  p.sram_bytes = sram ? sram : GSIM_SRAM_BYTES_DEFAULT;
  return 0;
}

// The ports with a link in NIC_INFO_GET's mask; gaudisim's driver drives ports 0..n-1.
int GaudiAsic::fetch_nic_ports(HlDevice& d) {
  std::vector<uint8_t> nic(GAUDI_CPUCP_NIC_INFO_SIZE);
  if (int rc = cpucp_read_buffer(d, GAUDI_CPUCP_NIC_INFO_GET, nic.data(), GAUDI_CPUCP_NIC_INFO_SIZE)) return rc;
  uint64_t mask = field<uint64_t>(nic.data(), GAUDI_CPUCP_NIC_INFO_LINK_MASK);
  unsigned n = 0;
  while (n < GAUDI_NIC_NUMBER_OF_ENGINES && (mask >> n & 1)) ++n;
  d.props().nic_ports = n;
  return 0;
}

int GaudiAsic::fetch_serial(HlDevice& d) {
  uint8_t eeprom[GSIM_EEPROM_IMAGE_SIZE] = {};
  if (int rc = cpucp_read_buffer(d, GAUDI_CPUCP_EEPROM_DATA_GET, eeprom, sizeof eeprom)) return rc;
  d.props().serial = field<uint64_t>(eeprom, GSIM_EEPROM_SERIAL);
  return 0;
}

int GaudiAsic::fetch_card_info(HlDevice& d) {
  int rc = fetch_cpucp_info(d);
  if (rc) return d.fail(rc, "cannot get the card's description from the firmware (CPU-CP INFO_GET)");
  if ((rc = fetch_nic_ports(d)) || (rc = fetch_serial(d)))
    return d.fail(rc, "cannot get the NIC ports or the EEPROM from the firmware");
  AsicProps& p = d.props();
  auto mhz = [&](uint32_t pll, uint32_t* out) {
    uint64_t hz = 0;
    int r = send_cpu_message(d, GAUDI_CPUCP_FREQUENCY_GET, pll, &hz);
    *out = uint32_t(hz / 1000000);
    return r;
  };
  if ((rc = mhz(GAUDI_CPUCP_PLL_CPU, &p.cpu_mhz)) || (rc = mhz(GAUDI_CPUCP_PLL_TPC, &p.tpc_mhz)) ||
      (rc = mhz(GAUDI_CPUCP_PLL_MME, &p.mme_mhz)))
    return d.fail(rc, "cannot get the PLL frequencies from the firmware");
  uint64_t mw = 0;
  if ((rc = send_cpu_message(d, GAUDI_CPUCP_MAX_POWER_GET, 0, &mw)))
    return d.fail(rc, "cannot get the power limit from the firmware");
  p.max_power_mw = uint32_t(mw);
  return 0;
}

// The card's energy model, behind the firmware as on Linux (CPU-CP POWER_GET, TOTAL_ENERGY_GET).
int GaudiAsic::power_mw(HlDevice& d, uint64_t* mw) {
  *mw = 0;
  return send_cpu_message(d, GAUDI_CPUCP_POWER_GET, GAUDI_CPUCP_POWER_INPUT << 16, mw);
}

int GaudiAsic::energy_mj(HlDevice& d, uint64_t* mj) {
  *mj = 0;
  return send_cpu_message(d, GAUDI_CPUCP_TOTAL_ENERGY_GET, 0, mj);
}

}  // namespace hl
