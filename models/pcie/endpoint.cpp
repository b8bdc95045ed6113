#include "models/pcie/endpoint.hpp"

#include <algorithm>

#include "models/common/sim_now.hpp"
#include "models/common/time.hpp"
#include "models/pcie/bar_translation.hpp"
#include "models/pcie/pcie_core.hpp"

namespace gs {

PcieEndpoint::PcieEndpoint(sc_core::sc_module_name name, const PcieParams& p,
                           const PciConfigSpace::Ids& ids, const std::array<BarWindow, 3>& bars,
                           unsigned msi_vectors)
    : sc_module(name),
      pcie_in("pcie_in"),
      pcie_out("pcie_out"),
      p_(p),
      cfg_(ids, {bars[0].size, bars[1].size, bars[2].size}, msi_vectors,
           /*speed code*/ p.gts_per_lane >= 16 ? 4 : p.gts_per_lane >= 8 ? 3 : 2, p.lanes),
      bars_(bars),
      up_(std::string(name) + ".up", p.link_gbytes_per_s(), ns(p.latency_ns)),
      down_(std::string(name) + ".down", p.link_gbytes_per_s(), ns(p.latency_ns)),
      read_tags_(std::string(name) + ".read_tags", p.read_tag_gbytes_per_s(), ns(2 * p.latency_ns)) {
  pcie_in.register_b_transport(this, &PcieEndpoint::host_access);
}

bool PcieEndpoint::bar_window(unsigned i, uint64_t* base, uint64_t* size) const {
  *base = cfg_.bar_base(2 * i), *size = bars_[i].size;
  return cfg_.memory_enabled() && *size && *base;
}

// Decoding reads the config space (command register, two BAR words each): every MMIO write
// of a bring-up table asks, so the decoded windows are kept until a config space changes.
int PcieEndpoint::bar_hit(uint64_t a) const {
  if (decoded_stamp_ != PciConfigSpace::changes()) {
    for (unsigned i = 0; i < 3; ++i)
      if (!bar_window(i, &decoded_[i].base, &decoded_[i].size)) decoded_[i] = DecodedBar{};
    decoded_stamp_ = PciConfigSpace::changes();
  }
  for (unsigned i = 0; i < 3; ++i)
    if (decoded_[i].size && a >= decoded_[i].base && a - decoded_[i].base < decoded_[i].size) return int(i);
  return -1;
}

uint32_t PcieEndpoint::cfg_read32(uint32_t off) {
  switch (off) {
    case pcie_core::kElbiAddr: return elbi_addr_;
    case pcie_core::kElbiData: return elbi_data_;
    case pcie_core::kElbiCtrl: return 0;
    case pcie_core::kElbiSts: return elbi_sts_;
    default: return cfg_.read32(off);
  }
}

// An ELBI access happens when the control register is written; the status says done or error.
void PcieEndpoint::cfg_write32(uint32_t off, uint32_t v) {
  switch (off) {
    case pcie_core::kElbiAddr: elbi_addr_ = v; return;
    case pcie_core::kElbiData: elbi_data_ = v; return;
    case pcie_core::kElbiSts: elbi_sts_ = 0; return;  // cleared by any write
    case pcie_core::kElbiCtrl: {
      bool write = v & pcie_core::kElbiCtrlWrite;
      sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
      uint32_t data = elbi_data_;
      bool ok = card_ && bus_access(*card_, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND,
                                    elbi_base_ + elbi_addr_, &data, 4, delay) == tlm::TLM_OK_RESPONSE;
      if (ok && !write) elbi_data_ = data;
      elbi_sts_ = ok ? pcie_core::kElbiStsDone : pcie_core::kElbiStsErr;
      return;
    }
    default:
      cfg_.write32(off, v);
      if (off == pcicfg::kMsiMask) send_unmasked_pending();
  }
}

// Messages held by a mask go out once it is cleared (and MSI may be sent at all).
void PcieEndpoint::send_unmasked_pending() {
  uint32_t pending = cfg_.msi_pending();
  for (unsigned v = 0; v < 32; ++v) {
    if (!((pending >> v) & 1) || cfg_.msi_masked(v)) continue;
    cfg_.set_msi_pending(cfg_.msi_pending() & ~(1u << v));
    raise_msi(v);
  }
}

bool PcieEndpoint::claims(uint64_t host_addr) const { return bar_hit(host_addr) >= 0; }

void PcieEndpoint::host_access(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  int bar = bar_hit(gp.get_address());
  // Unsupported Request (the host reads all-ones): no BAR, or no iATU region translates it.
  if (bar < 0 || !card_ || bars_[bar].device_base == kBarUntranslated) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  to_card(gp, bars_[bar].device_base + (gp.get_address() - decoded_[bar].base), delay);
}

// A request a BAR decoded goes to the card at its device address; posted write data first
// crosses the downstream link. The payload leaves with the host address it came with.
void PcieEndpoint::to_card(tlm::tlm_generic_payload& gp, uint64_t device_addr, sc_core::sc_time& delay) {
  if (gp.is_write()) {
    const sc_core::sc_time now = sim_now();
    delay = down_link_->reserve(p_.wire_bytes(gp.get_data_length()), now + delay) - now;
  }
  const uint64_t host_addr = gp.get_address();
  gp.set_address(device_addr);
  card_->b_transport(gp, delay);
  gp.set_address(host_addr);
}

size_t PcieEndpoint::host_write_run32(tlm::tlm_generic_payload& gp, const uint64_t* addrs, const uint32_t* values,
                                      size_t n, sc_core::sc_time at, sc_core::sc_time step) {
  const int bar = bar_hit(addrs[0]);
  if (bar < 0 || !card_ || bars_[bar].device_base == kBarUntranslated) return 0;
  const DecodedBar w = decoded_[bar];
  for (int i = 0; i < bar; ++i)  // a lower BAR overlapping this one would claim some of them
    if (decoded_[i].size && decoded_[i].base < w.base + w.size && w.base < decoded_[i].base + decoded_[i].size) return 0;
  size_t inside = 1;
  while (inside < n && addrs[inside] - w.base < w.size) ++inside;
  const uint64_t device_base = bars_[bar].device_base, stamp = PciConfigSpace::changes();
  const uint64_t wire = p_.wire_bytes(4);
  const sc_core::sc_time now = sim_now();
  size_t k = 0;
  while (k < inside && PciConfigSpace::changes() == stamp && bars_[bar].device_base == device_base) {
    size_t run = 1;  // writes to consecutive addresses from k
    while (k + run < inside && addrs[k + run] == addrs[k] + 4 * run) ++run;
    // The card takes them at once or not at all, and nothing it does depends on the link:
    // their TLPs are charged after, each as before.
    if (run > 1 && write_run_sink_ && write_run_sink_(device_base + addrs[k] - w.base, values + k, run)) {
      ++write_runs_taken_;
      down_link_->reserve_spaced(wire, now + at, step, run);
      for (const size_t end = k + run; k < end; ++k) at += step;
      continue;
    }
    for (const size_t end = k + run; k < end && PciConfigSpace::changes() == stamp && bars_[bar].device_base == device_base;
         ++k, at += step) {
      gp.set_command(tlm::TLM_WRITE_COMMAND);
      gp.set_byte_enable_ptr(nullptr);
      gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      gp.set_address(addrs[k]);
      gp.set_data_ptr(reinterpret_cast<unsigned char*>(const_cast<uint32_t*>(values + k)));
      gp.set_data_length(4);
      gp.set_streaming_width(4);
      sc_core::sc_time delay = at;
      to_card(gp, device_base + addrs[k] - w.base, delay);
    }
  }
  return k;
}

void PcieEndpoint::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  if (!cfg_.bus_master()) {  // Bus Master Enable off: the request never leaves the card
    ++dma_errors_;
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const sc_core::sc_time now = sim_now();
  const uint64_t len = gp.get_data_length();
  if (gp.is_write()) {
    delay = up_link_->reserve(p_.wire_bytes(len), now + delay) - now;
  } else {
    // Read requests (MRRS each) fly up; completions (read_completion_bytes each) start back
    // once the first request has landed. At most read_tags requests are out per round trip.
    const sc_core::sc_time start = now + delay;
    up_link_->reserve(p_.read_request_wire_bytes(len), start);
    if (start < drop_until_) {  // the host never answers: the requester's timer expires
      ++completion_timeouts_, ++dma_errors_;
      delay += us(p_.completion_timeout_us);
      gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
    const sc_core::sc_time first_lands = start + transfer_time(p_.tlp_overhead_bytes, up_link_->gbytes_per_s()) + ns(p_.latency_ns);
    sc_core::sc_time done = down_link_->reserve(p_.completion_wire_bytes(len), first_lands);
    done = std::max(done, read_tags_.reserve(len, start));
    delay = done - now;
  }
  pcie_out->b_transport(gp, delay);
  if (!gp.is_response_ok()) ++dma_errors_;
}

bool PcieEndpoint::raise_msi(unsigned v, sc_core::sc_time delay) {
  if (!cfg_.msi_enabled() || !cfg_.bus_master()) return false;
  // With fewer vectors enabled than requested, the low bits select the vector.
  unsigned n = cfg_.msi_vectors_enabled();
  v &= n - 1;
  if (cfg_.msi_masked(v)) {  // held until unmasked
    cfg_.set_msi_pending(cfg_.msi_pending() | 1u << v);
    ++msi_held_;
    return false;
  }
  uint32_t data = (cfg_.msi_data() & ~(n - 1)) | v;
  tlm::tlm_generic_payload gp;
  gp.set_command(tlm::TLM_WRITE_COMMAND);
  gp.set_address(cfg_.msi_address());
  gp.set_data_ptr(reinterpret_cast<unsigned char*>(&data));
  gp.set_data_length(4);
  gp.set_streaming_width(4);
  b_transport(gp, delay);
  if (gp.is_response_ok()) ++msi_sent_;
  return gp.is_response_ok();
}

}  // namespace gs
