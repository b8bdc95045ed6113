// The PCIe controller registers the upstream Linux driver programs, beyond the standard
// configuration space (facts from the public habanalabs driver, docs/linux-host.md):
//  - ELBI: a window in configuration space (0xFF0 address, 0xFF4 data, 0xFF8 control with
//    bit 31 = write, 0xFFC status: bit 31 done, bit 30 error) through which the host reaches
//    on-chip registers before any BAR is set up. ELBI address a is device address
//    elbi_base + a.
//  - DBI with the iATU: with the AUX DBI register at 0x00300000 the DBI window shows the
//    address translation unit. Inbound region r (registers at 0x100 + 0x200 r: +0x4 control
//    with bit 31 enable, bit 30 BAR match, bits 10..8 BAR; +0x14/+0x18 target) points a BAR
//    at an on-chip address: that is how the driver moves the HBM BAR. Outbound region 0
//    (registers at 0x0) is recorded.
//  - MSI request: a write with bit 0 set raises an MSI vector (bits 5..1: gaudisim's layout,
//    specs/gaudi/regs.h; the 6.12 driver writes 1, vector 0). The driver's completion MSG_PROT
//    targets it; the device CPU and the NICs raise their vectors through the same path. The
//    endpoint sends what its MSI capability allows (enable, vector count, per-vector mask).
#pragma once
#include <cstdint>

#include "models/common/reg_bank.hpp"

namespace gs {

class PcieEndpoint;

namespace pcie_core {
constexpr uint32_t kElbiAddr = 0xFF0, kElbiData = 0xFF4, kElbiCtrl = 0xFF8, kElbiSts = 0xFFC;
constexpr uint32_t kElbiCtrlWrite = 1u << 31;
constexpr uint32_t kElbiStsDone = 1u << 31, kElbiStsErr = 1u << 30;
constexpr uint32_t kAuxDbiIatu = 0x00300000;  // AUX DBI value that selects the iATU
constexpr unsigned kInboundRegions = 8;
}  // namespace pcie_core

class PcieCore {
 public:
  PcieCore(std::string name, PcieEndpoint& ep, sc_core::sc_time latency);

  BusTarget& dbi() { return dbi_; }      // the DBI window (iATU when selected)
  RegBank& aux() { return aux_; }        // holds the AUX DBI register at aux_dbi_offset
  RegBank& msi_req() { return core_; }   // holds the MSI request register at msi_req_offset
  void declare(uint32_t aux_dbi_offset, uint32_t msi_req_offset);
  uint64_t inbound_target(unsigned region) const;
  // An on-chip source (device CPU, NIC) asks for MSI vector v, as a write to MSI_REQ does.
  void raise_msi(unsigned v, sc_core::sc_time delay);
  uint64_t msi_requests() const { return msi_requests_; }
  void reset();

 private:
  class DbiWindow : public BusTarget {
   public:
    explicit DbiWindow(PcieCore& c) : c_(c) {}
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;
   private:
    PcieCore& c_;
  };
  void inbound_changed(unsigned region);

  PcieEndpoint& ep_;
  RegBank iatu_, dbi_core_, aux_, core_;
  DbiWindow dbi_{*this};
  uint32_t aux_dbi_offset_ = 0;
  uint64_t msi_requests_ = 0;
};

}  // namespace gs
