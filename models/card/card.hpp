// One GAUDI card: PCIe endpoint, on-chip router and address map, HBM and SRAM, the device
// CPU and the register blocks that describe the card. Engines, queue managers, the sync
// manager and the NIC attach to the router as later parts add them.
#pragma once
#include <memory>
#include <string>
#include <systemc>

#include "models/card/card_params.hpp"
#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/reg_bank.hpp"
#include "models/cpu/device_cpu.hpp"
#include "models/pcie/endpoint.hpp"
#include "models/pcie/pcie_params.hpp"

namespace gs {

// The device address map (device view), from GAUDI's public headers.
namespace devmap {
constexpr uint64_t kDramBase = 0x0ull;
constexpr uint64_t kSramBase = 0x7FF0000000ull;
constexpr uint64_t kCfgBase = 0x7FFC000000ull;
constexpr uint64_t kCfgBarSize = 128ull << 20;
constexpr uint64_t kSramBarSize = 64ull << 20;
constexpr uint64_t kHostBase = 0x8000000000ull;  // device addresses from here go to the host
constexpr uint64_t kHostWindow = 1ull << 40;
constexpr uint16_t kPciVendorHabana = 0x1da3;
constexpr uint16_t kPciDeviceGaudi = 0x1000;
constexpr unsigned kMsiVectors = 32;
}  // namespace devmap

class Card : public sc_core::sc_module {
 public:
  Card(sc_core::sc_module_name name, const CardParams& cp, const PcieParams& pp, unsigned global_index,
       bool never_boots);

  PcieEndpoint& pcie() { return *ep_; }
  AddressRouter& noc() { return noc_; }
  MemoryTarget& hbm() { return hbm_; }
  MemoryTarget& sram() { return sram_; }
  DeviceCpu& cpu() { return *cpu_; }
  unsigned index() const { return index_; }
  const CardParams& params() const { return cp_; }

  // Map a register block at CFG_BASE + offset (used by the parts that attach later).
  void map_cfg_block(uint32_t offset, uint64_t size, BusTarget& t, std::string name);

 private:
  void build_info_block();
  void build_bridge_block();

  const CardParams& cp_;
  unsigned index_;
  AddressRouter noc_;
  MemoryTarget hbm_;
  MemoryTarget sram_;
  std::unique_ptr<PcieEndpoint> ep_;
  std::unique_ptr<DeviceCpu> cpu_;
  RegBank info_;
  RegBank bridge_;
};

}  // namespace gs
