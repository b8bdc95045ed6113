// One GAUDI card: PCIe endpoint, on-chip router and address map, HBM and SRAM, the device
// CPU and the register blocks that describe the card. Engines, queue managers, the sync
// manager and the NIC attach to the router as later parts add them.
#pragma once
#include <array>
#include <functional>
#include <memory>
#include <vector>
#include <string>
#include <systemc>

#include "models/card/card_params.hpp"
#include "specs/gaudi/queues.h"
#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/reg_bank.hpp"
#include "models/cpu/device_cpu.hpp"
#include "models/cpu/psoc_clocks.hpp"
#include "models/mmu/device_mmu.hpp"
#include "models/mmu/mmu_port.hpp"
#include "models/pcie/endpoint.hpp"
#include "models/pcie/pcie_core.hpp"
#include "models/pcie/pcie_params.hpp"
#include "models/qman/qman_error.hpp"
#include "models/card/reg_protection.hpp"
#include "specs/gaudi/regs.h"

namespace gs {

// The device address map (device view), from GAUDI's public headers.
namespace devmap {
constexpr uint64_t kDramBase = GAUDI_DRAM_PHYS_BASE;
constexpr uint64_t kSramBase = GAUDI_SRAM_BASE_ADDR;
constexpr uint64_t kCfgBase = GAUDI_CFG_BASE;
constexpr uint64_t kCfgBarSize = GAUDI_CFG_BAR_SIZE;
constexpr uint64_t kSramBarSize = GAUDI_SRAM_BAR_SIZE;
constexpr uint64_t kHostBase = GAUDI_HOST_PHYS_BASE;  // device addresses from here go to the host
constexpr uint64_t kHostWindow = GAUDI_HOST_PHYS_SIZE;
constexpr uint16_t kPciVendorHabana = GAUDI_PCI_VENDOR_ID;
constexpr uint16_t kPciDeviceGaudi = GAUDI_PCI_DEVICE_ID;
constexpr unsigned kMsiVectors = GAUDI_MSI_ENTRIES;
}  // namespace devmap

class SyncManager;
class DmaCore;
class Qman;
class QmanEngine;
class TpcCore;
class MmeEngine;
class NicPort;
class NetPort;

// GAUDI event id of the QMAN whose stream 0 is uAPI queue `first_queue_id`.
uint16_t qman_event_type(unsigned first_queue_id);
// RAZWI initiator id of the engine whose QMAN serves uAPI queue `first_queue_id`.
uint32_t razwi_initiator(unsigned first_queue_id);

class Card : public sc_core::sc_module {
 public:
  Card(sc_core::sc_module_name name, const CardParams& cp, const PcieParams& pp, unsigned global_index,
       bool never_boots);

  PcieEndpoint& pcie() { return *ep_; }
  AddressRouter& noc() { return noc_; }
  MemoryTarget& hbm() { return hbm_; }
  MemoryTarget& sram() { return sram_; }
  DeviceCpu& cpu() { return *cpu_; }
  DeviceMmu& mmu() { return mmu_; }
  PcieCore& pcie_core() { return *pcie_core_; }
  // Sync manager by id: SyncManager::kEN, kES, kWN, kWS (card_sync.cpp).
  SyncManager& sync_manager(unsigned id);
  // Engines and their QMANs (card_engines.cpp). Each accessor throws std::out_of_range for
  // an engine this card does not have.
  DmaCore& dma_core(unsigned n);
  Qman& dma_qman(unsigned n);
  Qman& mme_qman(unsigned master);  // master 0 = MME0's QMAN, 1 = MME2's
  Qman& tpc_qman(unsigned n);
  Qman& nic_qman(unsigned engine);
  // Compute engines (card_compute.cpp): TPC core n, MME master 0 (MME0) or 1 (MME2).
  TpcCore& tpc(unsigned n);
  MmeEngine& mme(unsigned master);
  unsigned dma_count() const { return unsigned(dma_cores_.size()); }
  unsigned tpc_count() const { return unsigned(tpc_cores_.size()); }
  unsigned mme_count() const { return unsigned(mme_engines_.size()); }
  // NIC ports (card_nic.cpp): port p is NIC engine p, the engine of nic_qman(p). nic_port()
  // is what the topology builder cables; both throw std::out_of_range past nic_ports().
  NicPort& nic(unsigned port);
  NetPort& nic_port(unsigned port);
  unsigned nic_ports() const { return unsigned(nics_.size()); }
  // uAPI queue id (specs/gaudi/queues.h) -> the QMAN serving it; *stream gets the stream.
  // Throws std::out_of_range for the CPU queue and engines the card does not have.
  Qman& qman_by_queue_id(unsigned uapi_queue_id, unsigned* stream = nullptr);
  Qman* find_qman_by_queue_id(unsigned uapi_queue_id);  // nullptr instead of throwing
  const std::vector<Qman*>& qmans() const { return qmans_; }
  // Every QMAN error of this card, in order; then qman_error_sink (if set) is called with it.
  // The sink runs in a method process: it may not wait.
  std::function<void(const QmanError&)> qman_error_sink;
  const std::vector<QmanError>& qman_errors() const { return qman_errors_; }
  unsigned index() const { return index_; }
  const CardParams& params() const { return cp_; }

  // Map a register block at CFG_BASE + offset (used by the parts that attach later). Blocks
  // with protection bits are those of the engines: user CBs may write the registers the
  // driver leaves open; users reach no other block (RegProtection).
  void map_cfg_block(uint32_t offset, uint64_t size, BusTarget& t, std::string name, bool prot_bits = false);
  RegProtection& protection() { return protection_; }
  // Parts register what they do on a hard reset (queues stop, counters clear, ...).
  void on_hard_reset(std::function<void()> fn);
  void hard_reset(sc_core::sc_time delay = sc_core::SC_ZERO_TIME);
  unsigned hard_resets() const { return hard_resets_; }
  uint64_t razwis() const { return razwis_; }  // user accesses refused by the protection
  // Energy model (card_power.cpp, power.* keys): joules since power-on, watts drawn now.
  double energy_j() const;
  double power_w() const;
  // Thermal model (card_power.cpp): the die temperature now, in degrees Celsius.
  double temperature_c();

 private:
  void tell_firmware();        // what the device CPU's firmware reports about this card
  void build_psoc_clocks();    // card_power.cpp: CPU PLL and timestamp, the thermal sensor
  void build_sync_managers();  // card_sync.cpp
  void build_engines();        // card_engines.cpp: QMANs and the engines behind them
  void build_compute();        // card_compute.cpp: TPC cores and MME masters (before QMANs)
  void build_nics();           // card_nic.cpp: before build_engines (a QMAN takes its engine at birth)
  void build_pcie_core();      // ELBI, iATU, MSI request: both drivers' PCIe controller
  void report_razwi(const BusInitiator& who, uint64_t addr, bool write);
  void build_scrubber();

  const CardParams& cp_;
  unsigned index_;
  AddressRouter noc_;
  RegProtection protection_;
  MemoryTarget hbm_;
  MemoryTarget sram_;
  std::unique_ptr<PcieEndpoint> ep_;
  std::unique_ptr<DeviceCpu> cpu_;
  std::unique_ptr<PsocClocks> clocks_;
  // Thermal model state: the temperature at the last read, when, and the energy then.
  bool temp_known_ = false;
  double temp_c_ = 0, temp_at_s_ = 0, temp_energy_j_ = 0;
  RegBank scrub_;
  sc_core::sc_time scrub_done_;
  std::unique_ptr<PcieCore> pcie_core_;
  DeviceMmu mmu_;
  std::vector<std::function<void()>> reset_hooks_;
  std::array<SyncManager*, 4> sync_{};  // owned by parts_
  Qman* add_qman(const char* name, uint32_t block, unsigned first_queue_id, QmanEngine* engine);
  std::vector<NicPort*> nics_;         // owned by parts_
  std::vector<std::unique_ptr<MmuPort>> mmu_ports_;  // the DMA cores' paths through the MMU
  std::vector<DmaCore*> dma_cores_;
  std::vector<std::unique_ptr<RegBank>> mme_status_;  // the MMEs' ARCH_STATUS     // owned by parts_, like every QMAN below
  std::vector<TpcCore*> tpc_cores_;
  std::vector<MmeEngine*> mme_engines_;
  std::vector<Qman*> qmans_;
  std::vector<Qman*> dma_qmans_, mme_qmans_, tpc_qmans_, nic_qmans_;
  static constexpr unsigned kQueueIds = GAUDI_QID_COUNT;
  std::array<Qman*, kQueueIds> queue_qman_{};  // by uAPI queue id; stream = id - qman id
  std::vector<QmanError> qman_errors_;
  std::vector<std::unique_ptr<sc_core::sc_module>> parts_;
  // A sync manager's GLBL block (card_sync.cpp): the driver's ranges, with protection bits.
  struct SyncGlbl {
    SyncGlbl(SyncManager& sm, std::string name, sc_core::sc_time latency);
    static const RegLayoutOf<SyncGlbl>& layout();  // shared by every sync manager
    SyncManager& sm;
    RegBank regs;
  };
  std::vector<std::unique_ptr<SyncGlbl>> sm_glbl_;
  unsigned hard_resets_ = 0;
  uint64_t razwis_ = 0;
};

}  // namespace gs
