#include "models/pcie/pcie_core.hpp"

#include <cstring>

#include "models/pcie/bar_translation.hpp"
#include "models/pcie/endpoint.hpp"
#include "specs/gaudi/pcie_core.h"
#include "specs/gaudi/regs.h"

namespace gs {

using namespace pcie_core;

PcieCore::PcieCore(std::string name, PcieEndpoint& ep, sc_core::sc_time latency)
    : ep_(ep),
      iatu_(name + ".iatu", latency),
      dbi_core_(name + ".dbi", latency),
      aux_(name + ".aux", latency),
      core_(name + ".core", latency) {
  iatu_.add(0x000, "OUTBOUND0_CTRL1");
  iatu_.add(0x004, "OUTBOUND0_CTRL2");
  iatu_.add(0x008, "OUTBOUND0_BASE_LO");
  iatu_.add(0x00C, "OUTBOUND0_BASE_HI");
  iatu_.add(0x010, "OUTBOUND0_LIMIT_LO");
  iatu_.add(0x014, "OUTBOUND0_TARGET_LO");
  iatu_.add(0x018, "OUTBOUND0_TARGET_HI");
  iatu_.add(0x020, "OUTBOUND0_LIMIT_HI");
  // A region's BAR moves when its control or target is written (inbound_changed). Regions
  // 0..2 come up pointing BARs 0, 2, 4 at their default windows (SRAM, SPI flash + CFG, HBM
  // from 0): gaudisim's assumption of what the boot ROM leaves; both drivers program them.
  const uint64_t defaults[3] = {GAUDI_SRAM_BASE_ADDR, GAUDI_SPI_FLASH_BASE_ADDR, GAUDI_DRAM_PHYS_BASE};
  for (unsigned r = 0; r < kInboundRegions; ++r) {
    uint32_t o = GAUDI_IATU_INBOUND(r);
    std::string n = "INBOUND" + std::to_string(r) + "_";
    auto remap = [this, r](RegBank::Reg&, sc_core::sc_time) { inbound_changed(r); };
    const bool preset = r < 3;
    const uint32_t bar = 2 * r;
    const uint64_t target = preset ? defaults[r] : 0;
    const uint32_t ctrl = GAUDI_IATU_CTRL2_ENABLE | GAUDI_IATU_CTRL2_BAR_MATCH | bar << GAUDI_IATU_CTRL2_BAR_SHIFT;
    iatu_.add(o + 0x00, n + "CTRL1");
    iatu_.add(o + 0x04, n + "CTRL2", preset ? ctrl : 0).on_write = remap;
    iatu_.add(o + 0x08, n + "BASE_LO");
    iatu_.add(o + 0x0C, n + "BASE_HI");
    iatu_.add(o + 0x10, n + "LIMIT_LO");
    iatu_.add(o + 0x14, n + "TARGET_LO", uint32_t(target)).on_write = remap;
    iatu_.add(o + 0x18, n + "TARGET_HI", uint32_t(target >> 32)).on_write = remap;
  }
}

void PcieCore::declare(uint32_t aux_dbi_offset, uint32_t msi_req_offset) {
  aux_dbi_offset_ = aux_dbi_offset;
  aux_.add(aux_dbi_offset, "AUX_DBI");
  core_.add(msi_req_offset, "MSI_REQ").on_write = [this](RegBank::Reg& r, sc_core::sc_time d) {
    const uint32_t v = r.value;
    r.value = 0;
    if (v & GAUDI_PCIE_CORE_MSI_REQ_GO)
      raise_msi((v & GAUDI_PCIE_CORE_MSI_REQ_VECTOR_MASK) >> GAUDI_PCIE_CORE_MSI_REQ_VECTOR_SHIFT, d);
  };
}

void PcieCore::raise_msi(unsigned v, sc_core::sc_time delay) {
  ++msi_requests_;
  ep_.raise_msi(v, delay);
}

uint64_t PcieCore::inbound_target(unsigned r) const {
  uint32_t o = 0x100 + 0x200 * r;
  return uint64_t(iatu_.value(o + 0x18)) << 32 | iatu_.value(o + 0x14);
}

// A region enabled in BAR-match mode points its whole BAR at the target address (the
// lowest-numbered such region wins); a BAR no region matches is not translated at all.
// Any region's change can move any BAR, so all three are worked out again.
void PcieCore::inbound_changed(unsigned) {
  for (unsigned bar = 0; bar <= 4; bar += 2) {
    uint64_t base = kBarUntranslated;
    for (unsigned r = kInboundRegions; r-- > 0;) {
      const uint32_t ctrl = iatu_.value(GAUDI_IATU_INBOUND(r) + GAUDI_IATU_CTRL2);
      if ((ctrl & GAUDI_IATU_CTRL2_ENABLE) && (ctrl & GAUDI_IATU_CTRL2_BAR_MATCH) &&
          ((ctrl & GAUDI_IATU_CTRL2_BAR_MASK) >> GAUDI_IATU_CTRL2_BAR_SHIFT) == bar)
        base = inbound_target(r);
    }
    ep_.set_bar_device_base(bar, base);
  }
}

void PcieCore::reset() {
  iatu_.reset_all();
  aux_.reset_all();
  inbound_changed(0);
}

void PcieCore::DbiWindow::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  bool iatu = c_.aux_.value(c_.aux_dbi_offset_) == kAuxDbiIatu;
  (iatu ? c_.iatu_ : c_.dbi_core_).b_transport(gp, delay);
  // The DBI core registers are not modelled: accesses there complete and read zero.
  if (!iatu && !gp.is_response_ok()) {
    if (gp.is_read() && gp.get_data_ptr()) std::memset(gp.get_data_ptr(), 0, gp.get_data_length());
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
}

}  // namespace gs
