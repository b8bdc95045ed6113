#include "models/card/card.hpp"

#include <cmath>

#include "models/common/time.hpp"
#include "models/qman/qman_error.hpp"
#include "specs/gaudi/events.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace gs {

static PciConfigSpace::Ids gaudi_ids() {
  // Class 0x1200: processing accelerator.
  return {devmap::kPciVendorHabana, devmap::kPciDeviceGaudi, devmap::kPciVendorHabana,
          devmap::kPciDeviceGaudi, 0x01, 0x120000};
}

Card::Card(sc_core::sc_module_name name, const CardParams& cp, const PcieParams& pp,
           unsigned global_index, bool never_boots)
    : sc_module(name),
      cp_(cp),
      index_(global_index),
      noc_(ns(cp.noc_latency_ns)),
      hbm_(std::string(name) + ".hbm", cp.hbm_bytes, cp.sustained_hbm_gbps(), ns(cp.hbm_latency_ns)),
      sram_(std::string(name) + ".sram", cp.sram_bytes, cp.sram_gbps, ns(cp.sram_latency_ns)),
      scrub_(std::string(name) + ".hbm_scrub", ns(cp.reg_latency_ns)),
      mmu_(std::string(name) + ".mmu", ns(cp.reg_latency_ns)) {
  std::array<PcieEndpoint::BarWindow, 3> bars{{{devmap::kSramBarSize, devmap::kSramBase},
                                               {devmap::kCfgBarSize, GAUDI_SPI_FLASH_BASE_ADDR},
                                               {pp.hbm_bar_bytes, devmap::kDramBase}}};
  ep_ = std::make_unique<PcieEndpoint>("pcie", pp, gaudi_ids(), bars, devmap::kMsiVectors);
  ep_->connect_card(noc_);
  cpu_ = std::make_unique<DeviceCpu>("cpu", us(cp.boot_us), never_boots, ns(cp.reg_latency_ns), ns(cp.cpu_event_ns), ns(cp.cpu_msg_ns));
  // The firmware's interrupts leave through the PCIe core (built in build_pcie_core).
  cpu_->connect(noc_, [this](unsigned v, sc_core::sc_time d) { pcie_core_->raise_msi(v, d); });
  cpu_->on_sw_all_rst = [this](sc_core::sc_time d) { hard_reset(d); };

  // Register protection: user transactions are checked before the router decodes them; a
  // RAZWI reaches the driver as the firmware reports it, with the address and initiator.
  noc_.filter = [this](tlm::tlm_generic_payload& gp, sc_core::sc_time& d) { return protection_.filter(gp, d); };
  // The driver's runs of protection words go there at once (the host's writes are trusted).
  ep_->set_write_run_sink([this](uint64_t a, const uint32_t* v, size_t n) { return protection_.write_words(a, v, n); });
  protection_.on_razwi = [this](const BusInitiator& who, uint64_t addr, bool write) { report_razwi(who, addr, write); };
  on_hard_reset([this] { protection_.reset(); });
  noc_.map(devmap::kDramBase, cp.hbm_bytes, hbm_, "hbm");
  // The HBM controller's ECC reports reach the driver through the firmware's event queue.
  hbm_.on_ecc_error = [this](uint64_t offset, bool uncorrectable) {
    const uint64_t payload[2] = {devmap::kDramBase + offset, uncorrectable ? 2u : 1u};
    cpu_->post_event(uncorrectable ? GSIM_EVENT_HBM_DERR : GSIM_EVENT_HBM_SERR, payload, 2);
  };
  noc_.map(devmap::kSramBase, cp.sram_bytes, sram_, "sram");
  noc_.map(devmap::kHostBase, devmap::kHostWindow, *ep_, "host");
  build_psoc_clocks();
  build_scrubber();
  build_pcie_core();
  build_sync_managers();
  build_nics();
  build_compute();
  build_engines();
  tell_firmware();
  // Engine errors reach the driver as the firmware reports them: an event-queue entry.
  qman_error_sink = [this](const QmanError& e) { cpu_->post_event(qman_event_type(e.qman_id)); };
  map_cfg_block(GAUDI_BLK_PSOC_GLOBAL_CONF, 0x1000, cpu_->psoc_regs(), "psoc_global_conf");
  map_cfg_block(GAUDI_BLK_CPU_IF, 0x1000, cpu_->cpu_if_regs(), "cpu_if");
  map_cfg_block(GAUDI_BLK_GIC, 0x1000, cpu_->gic_regs(), "gic");
  mmu_.connect(noc_);
  map_cfg_block(GAUDI_BLK_MMU_UP, 0x1000, mmu_.up_regs(), "mmu_up");
  map_cfg_block(GAUDI_BLK_STLB, 0x1000, mmu_.stlb_regs(), "stlb");
}

void Card::map_cfg_block(uint32_t offset, uint64_t size, BusTarget& t, std::string name, bool prot_bits) {
  noc_.map(devmap::kCfgBase + offset, size, t, std::move(name));
  if (prot_bits) protection_.add_pb_block(offset, uint32_t(size));
}

// The HBM scrubber: zeroes a range at the HBM's bandwidth (the sparse store drops the pages).
void Card::build_scrubber() {
  for (uint32_t r : {GSIM_HBM_SCRUB_ADDR_LO, GSIM_HBM_SCRUB_ADDR_HI, GSIM_HBM_SCRUB_SIZE_LO, GSIM_HBM_SCRUB_SIZE_HI})
    scrub_.add(r, "SCRUB_" + std::to_string(r));
  scrub_.add(GSIM_HBM_SCRUB_STATUS, "SCRUB_STATUS", 0, false).on_read = [this](const RegBank::Reg& r) {
    return r.value | (sc_core::sc_time_stamp() < scrub_done_ ? GSIM_HBM_SCRUB_STATUS_BUSY : 0u);
  };
  scrub_.add(GSIM_HBM_SCRUB_CMD, "SCRUB_CMD").on_write = [this](RegBank::Reg& r, sc_core::sc_time d) {
    if (r.value != GSIM_HBM_SCRUB_GO) return;
    r.value = 0;
    const uint64_t addr = uint64_t(scrub_.value(GSIM_HBM_SCRUB_ADDR_HI)) << 32 | scrub_.value(GSIM_HBM_SCRUB_ADDR_LO);
    const uint64_t size = uint64_t(scrub_.value(GSIM_HBM_SCRUB_SIZE_HI)) << 32 | scrub_.value(GSIM_HBM_SCRUB_SIZE_LO);
    const bool ok = addr >= devmap::kDramBase && hbm_.store().contains(addr - devmap::kDramBase, size);
    scrub_.set(GSIM_HBM_SCRUB_STATUS, ok ? 0 : GSIM_HBM_SCRUB_STATUS_ERR);
    if (!ok) return;
    hbm_.store().fill(addr - devmap::kDramBase, 0, size);
    scrub_done_ = hbm_.server().reserve(size, sc_core::sc_time_stamp() + d);
  };
  on_hard_reset([this] { scrub_.reset_all(); });
  map_cfg_block(GSIM_HBM_SCRUB_BASE, GSIM_BLOCK_SIZE, scrub_, "hbm_scrub");
}

void Card::report_razwi(const BusInitiator& who, uint64_t addr, bool write) {
  ++razwis_;
  const uint64_t payload[2] = {addr, uint64_t(who.id) | uint64_t(write) << 32};
  cpu_->post_event(GAUDI_EVENT_RAZWI_OR_ADC, payload, 2);
}

// The card's description lives in its firmware, as on silicon: the driver asks for it with
// CPU-CP packets (INFO_GET, NIC_INFO_GET, EEPROM_DATA_GET, FREQUENCY_GET, MAX_POWER_GET).
void Card::tell_firmware() {
  DeviceCpu::CardFacts f;
  f.name = cp_.name;
  f.dram_bytes = cp_.hbm_bytes;
  f.sram_bytes = uint32_t(cp_.sram_bytes);
  f.card_location = index_;
  f.serial = cp_.serial_base + index_;
  f.tpcs = unsigned(tpc_cores_.size());
  f.mmes = unsigned(mme_engines_.size());
  f.dmas = unsigned(dma_cores_.size());
  f.nic_ports = cp_.nic_ports;
  f.cpu_mhz = cp_.cpu_clock_mhz;
  f.tpc_mhz = cp_.tpc_clock_mhz;
  f.mme_mhz = cp_.mme_clock_mhz;
  f.max_power_mw = uint64_t(std::llround(cp_.power.max_w * 1000));
  cpu_->set_card_facts(f);
  cpu_->read_power_w = [this] { return power_w(); };
  cpu_->read_energy_j = [this] { return energy_j(); };
}

// The PCIe core (gaudisim's own PCIe bridge block is gone: the HBM BAR moves through the
// iATU, a hard reset is PSOC SW_ALL_RST).
void Card::build_pcie_core() {
  // The PCIe controller as both drivers program it: ELBI, iATU, MSI request (every MSI of
  // the card goes through it).
  pcie_core_ = std::make_unique<PcieCore>(std::string(name()) + ".pcie_core", *ep_, ns(cp_.reg_latency_ns));
  pcie_core_->declare(mmPCIE_AUX_DBI - GAUDI_BLK_PCIE_AUX, mmPCIE_CORE_MSI_REQ - GAUDI_BLK_PCIE_CORE);
  ep_->set_elbi_base(GAUDI_ELBI_DEVICE_BASE);
  map_cfg_block(GAUDI_BLK_PCIE_DBI, 0x1000, pcie_core_->dbi(), "pcie_dbi");
  map_cfg_block(GAUDI_BLK_PCIE_CORE, 0x1000, pcie_core_->msi_req(), "pcie_core");
  map_cfg_block(GAUDI_BLK_PCIE_AUX, 0x1000, pcie_core_->aux(), "pcie_aux");
}

}  // namespace gs

namespace gs {

// GAUDI's QMAN event ids (specs/gaudi/events.h) from the QMAN's first uAPI queue id.
// Queue numbering (4 streams per QMAN): DMA 0-1 at 0, the CPU queue at 8, DMA 2-7 from 9,
// MME masters from 33, TPC from 41, NIC from 73 (docs/uapi.md).
uint16_t qman_event_type(unsigned first_queue_id) {
  unsigned q = first_queue_id;
  if (q < 8) return uint16_t(GAUDI_EVENT_DMA0_QM + q / 4);
  if (q < 33) return uint16_t(GAUDI_EVENT_DMA0_QM + 2 + (q - 9) / 4);
  if (q < 41) return q < 37 ? GAUDI_EVENT_MME2_QM : GAUDI_EVENT_MME0_QM;  // MME_0_* is MME2's QMAN
  if (q < 73) return uint16_t(GAUDI_EVENT_TPC0_QM + (q - 41) / 4);
  return uint16_t(GAUDI_EVENT_NIC0_QM0 + (q - 73) / 4);
}

// RAZWI initiator id (specs/gaudi/events.h) of the engine whose QMAN serves `first_queue_id`.
uint32_t razwi_initiator(unsigned first_queue_id) {
  unsigned q = first_queue_id;
  if (q < 8) return GSIM_RAZWI_INIT_DMA(q / 4);
  if (q < 33) return GSIM_RAZWI_INIT_DMA(2 + (q - 9) / 4);
  if (q < 41) return GSIM_RAZWI_INIT_MME(q < 37 ? 2 : 0);  // MME_0_* is MME2's QMAN
  if (q < 73) return GSIM_RAZWI_INIT_TPC((q - 41) / 4);
  return GSIM_RAZWI_INIT_NIC((q - 73) / 4);
}

void Card::on_hard_reset(std::function<void()> fn) { reset_hooks_.push_back(std::move(fn)); }

// Hard reset, the only reset GAUDI has: every part returns to its reset state and the
// device CPU boots again. Memory contents survive, as DRAM does across a reset.
void Card::hard_reset(sc_core::sc_time) {
  ++hard_resets_;
  for (auto& hook : reset_hooks_) hook();
  mmu_.reset();
  cpu_->restart(us(cp_.reset_us));
}

}  // namespace gs
