// The card's PCIe endpoint: configuration space, BAR decode into the card's address map,
// device-initiated DMA to the host (gated by Bus Master Enable and charged against the
// link), and MSI generation. Generic: the card tells it where each BAR lands on chip.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/common/bandwidth_server.hpp"
#include "models/common/bus_target.hpp"
#include "models/pcie/config_space.hpp"
#include "models/pcie/pcie_params.hpp"

namespace gs {

class PcieEndpoint : public sc_core::sc_module, public BusTarget {
 public:
  struct BarWindow {
    uint64_t size = 0;         // 0: BAR absent
    uint64_t device_base = 0;  // on-chip address of the BAR's first byte
  };

  tlm_utils::simple_target_socket<PcieEndpoint> pcie_in;      // from the root complex
  tlm_utils::simple_initiator_socket<PcieEndpoint> pcie_out;  // towards the root complex

  PcieEndpoint(sc_core::sc_module_name name, const PcieParams& p, const PciConfigSpace::Ids& ids,
               const std::array<BarWindow, 3>& bars, unsigned msi_vectors);

  // Where BAR accesses go: the card's on-chip router (device addresses).
  void connect_card(BusTarget& noc) { card_ = &noc; }
  // Move a BAR's window (the HBM BAR is moved by the driver through the card's ATU).
  void set_bar_device_base(unsigned bar, uint64_t base) { bars_[bar / 2].device_base = base; }

  // Host -> device access (what pcie_in receives); the payload address is the host address.
  void host_access(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  // Posted 32-bit writes of values[k] to host address addrs[k], issued at + k x step after
  // now: what host_access does for each, with the BAR decoded once. Returns how many it
  // handled, from the first: those up to the first that is not in the first one's BAR, or
  // after one that changed a config space or the BAR's translation (the caller sends the
  // rest again). gp: any payload, its fields are set here.
  size_t host_write_run32(tlm::tlm_generic_payload& gp, const uint64_t* addrs, const uint32_t* values, size_t n,
                          sc_core::sc_time at, sc_core::sc_time step);
  // What the card does with a whole run of such writes at device address `addr`, when it
  // can do it at once (the register protection words of a page): true if it did (exactly
  // what the writes one by one would have done), false to get them one by one.
  using WriteRunSink = std::function<bool(uint64_t addr, const uint32_t* values, size_t n)>;
  void set_write_run_sink(WriteRunSink sink) { write_run_sink_ = std::move(sink); }
  uint64_t write_runs_taken() const { return write_runs_taken_; }  // by the sink (tests)
  // Device -> host access; the payload address is the host bus address.
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;
  // Raise MSI vector `v` (0..31); folded into the enabled vectors as the PCI spec says.
  // Returns false if MSI is off or bus mastering is disabled (the message is lost) or the
  // vector is masked in the MSI capability (the message is pending until unmasked).
  bool raise_msi(unsigned v, sc_core::sc_time delay = sc_core::SC_ZERO_TIME);

  PciConfigSpace& config() { return cfg_; }
  // Host configuration accesses: the standard space plus the ELBI window (pcie_core.hpp),
  // which reaches on-chip registers at elbi_base + address.
  uint32_t cfg_read32(uint32_t offset);
  void cfg_write32(uint32_t offset, uint32_t value);
  void set_elbi_base(uint64_t device_base) { elbi_base_ = device_base; }
  // True if the host address hits one of this endpoint's enabled BARs.
  bool claims(uint64_t host_addr) const;
  // The host addresses BAR i (0..2) decodes now: false when it decodes none.
  bool bar_window(unsigned i, uint64_t* base, uint64_t* size) const;
  // Behind a PCIe switch: this endpoint's traffic crosses `owner`'s link to the host (both
  // directions), competing with the owner's. The switch's own latency is not modelled.
  void share_link(PcieEndpoint& owner) {
    up_link_ = owner.up_link_;
    down_link_ = owner.down_link_;
  }
  BandwidthServer& upstream() { return *up_link_; }
  BandwidthServer& downstream() { return *down_link_; }
  uint64_t dma_errors() const { return dma_errors_; }
  // An injected fault (fault script pcie_timeout): read requests the card sends until `until`
  // get no completion; each fails after pcie.completion_timeout_us with an error response
  // to the engine that asked, and no data.
  void drop_read_completions(sc_core::sc_time until) { drop_until_ = until; }
  uint64_t completion_timeouts() const { return completion_timeouts_; }
  uint64_t msi_sent() const { return msi_sent_; }
  uint64_t msi_held() const { return msi_held_; }  // messages a vector mask held back

 private:
  void to_card(tlm::tlm_generic_payload& gp, uint64_t device_addr, sc_core::sc_time& delay);
  int bar_hit(uint64_t host_addr) const;
  void send_unmasked_pending();

  const PcieParams& p_;
  PciConfigSpace cfg_;
  std::array<BarWindow, 3> bars_;
  struct DecodedBar {
    uint64_t base = 0, size = 0;  // size 0: decodes nothing
  };
  mutable std::array<DecodedBar, 3> decoded_{};  // bar_window(i) as of decoded_stamp_
  mutable uint64_t decoded_stamp_ = ~0ull;       // PciConfigSpace::changes() when decoded
  BusTarget* card_ = nullptr;
  WriteRunSink write_run_sink_;
  uint64_t write_runs_taken_ = 0;
  BandwidthServer up_;    // device -> host: DMA writes, MSI, read completions to the host
  BandwidthServer down_;  // host -> device: MMIO writes, DMA read data
  BandwidthServer read_tags_;  // DMA reads in flight: read_tags x MRRS per round trip
  BandwidthServer* up_link_ = &up_;      // the link actually used (another endpoint's when shared)
  BandwidthServer* down_link_ = &down_;
  uint64_t elbi_base_ = 0;
  uint32_t elbi_addr_ = 0, elbi_data_ = 0, elbi_sts_ = 0;
  uint64_t dma_errors_ = 0, completion_timeouts_ = 0;
  sc_core::sc_time drop_until_ = sc_core::SC_ZERO_TIME;
  uint64_t msi_sent_ = 0, msi_held_ = 0;
};

}  // namespace gs
