#include "models/pcie/root_complex.hpp"

#include <algorithm>
#include <cstring>

#include "models/common/bus_target.hpp"
#include "models/common/time.hpp"

namespace gs {

RootComplex::RootComplex(sc_core::sc_module_name name, const PcieParams& p)
    : sc_module(name), down("down"), up("up"), p_(p), posted_write_issue_(ns(p.posted_write_issue_ns)) {
  up.register_b_transport(this, &RootComplex::upstream);
  SC_HAS_PROCESS(RootComplex);
  SC_METHOD(deliver_msi);
  sensitive << msi_event_.event();
  dont_initialize();
}

unsigned RootComplex::attach(PcieEndpoint& ep) {
  unsigned n = unsigned(eps_.size());
  eps_.push_back(&ep);
  down.bind(ep.pcie_in);
  ep.pcie_out.bind(up);
  // Firmware enumeration: place each BAR naturally aligned. Memory decoding stays off
  // until the driver enables the device.
  for (unsigned bar = 0; bar < 6; bar += 2) {
    uint64_t size = ep.config().bar_size(bar);
    if (!size) continue;
    next_bar_ = (next_bar_ + size - 1) & ~(size - 1);
    ep.config().write32(pcicfg::kBar0 + 4 * bar, uint32_t(next_bar_));
    ep.config().write32(pcicfg::kBar0 + 4 * bar + 4, uint32_t(next_bar_ >> 32));
    next_bar_ += size;
  }
  return n;
}

uint32_t RootComplex::cfg_read32(unsigned dev, uint32_t offset) {
  sc_core::wait(ns(p_.cfg_access_ns));
  return dev < eps_.size() ? eps_[dev]->cfg_read32(offset) : 0xFFFFFFFFu;
}

void RootComplex::cfg_write32(unsigned dev, uint32_t offset, uint32_t value) {
  sc_core::wait(ns(p_.cfg_access_ns));
  if (dev < eps_.size()) eps_[dev]->cfg_write32(offset, value);
}

void RootComplex::rebuild_windows() {
  windows_.clear();
  for (size_t i = 0; i < eps_.size(); ++i) {
    for (unsigned bar = 0; bar < 3; ++bar) {
      uint64_t base, size;
      if (eps_[i]->bar_window(bar, &base, &size)) windows_.push_back(Window{base, size, int(i)});
    }
  }
  std::sort(windows_.begin(), windows_.end(), [](const Window& a, const Window& b) { return a.base < b.base; });
  windows_overlap_ = false;
  for (size_t i = 0; i < windows_.size(); ++i) {
    const Window& w = windows_[i];
    if (w.base + w.size < w.base || (i + 1 < windows_.size() && windows_[i + 1].base - w.base < w.size))
      windows_overlap_ = true;
  }
  last_window_ = 0;
  windows_stamp_ = PciConfigSpace::changes();
}

int RootComplex::route(uint64_t addr) {
  if (windows_stamp_ != PciConfigSpace::changes()) rebuild_windows();
  if (windows_overlap_) {
    for (size_t i = 0; i < eps_.size(); ++i)
      if (eps_[i]->claims(addr)) return int(i);
    return -1;
  }
  auto inside = [addr](const Window& w) { return addr >= w.base && addr - w.base < w.size; };
  if (last_window_ < windows_.size() && inside(windows_[last_window_])) return windows_[last_window_].device;
  auto it = std::upper_bound(windows_.begin(), windows_.end(), addr,
                             [](uint64_t a, const Window& w) { return a < w.base; });
  if (it == windows_.begin() || !inside(*(it - 1))) return -1;
  last_window_ = size_t(it - 1 - windows_.begin());
  return it[-1].device;
}

// One host access to the endpoint behind port `i`, `delay` ahead of now (in and out).
bool RootComplex::host_access(int i, tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                              sc_core::sc_time& delay) {
  BorrowedPayload borrowed;  // building a payload allocates its extension array
  tlm::tlm_generic_payload& gp = *borrowed;
  gp.set_command(cmd);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  gp.set_address(addr);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(len);
  gp.set_streaming_width(len);
  down[i]->b_transport(gp, delay);
  return gp.is_response_ok();
}

bool RootComplex::mmio_read(uint64_t addr, void* data, unsigned len) {
  ++mmio_reads_;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  int i = route(addr);
  const bool ok = i >= 0 && host_access(i, tlm::TLM_READ_COMMAND, addr, data, len, delay);
  if (!ok) std::memset(data, 0xFF, len);
  sc_core::wait(ns(p_.mmio_read_ns) + delay);
  return ok;
}

bool RootComplex::mmio_write(uint64_t addr, const void* data, unsigned len) {
  bool ok = issue_posted_write(addr, data, len, sc_core::SC_ZERO_TIME);
  sc_core::wait(posted_write_issue_);
  return ok;
}

bool RootComplex::issue_posted_write(uint64_t addr, const void* data, unsigned len, sc_core::sc_time at) {
  ++mmio_writes_;
  int i = route(addr);
  // Issued now: the endpoint's downstream link server charges serialisation and the
  // one-way flight (pcie.latency_ns), so the write reaches the card once, not twice late.
  return i >= 0 && host_access(i, tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(data), len, at);
}

// One write of a batch: what issue_posted_write does, with the batch's payload, handed to the
// endpoint as down[i] would (attach binds down[i] to eps_[i]).
void RootComplex::posted_write32(tlm::tlm_generic_payload& gp, uint64_t addr, const uint32_t* value, sc_core::sc_time at) {
  ++mmio_writes_;
  const int i = route(addr);
  if (i < 0) return;
  gp.set_command(tlm::TLM_WRITE_COMMAND);
  gp.set_byte_enable_ptr(nullptr);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  gp.set_address(addr);
  gp.set_data_ptr(reinterpret_cast<unsigned char*>(const_cast<uint32_t*>(value)));
  gp.set_data_length(4);
  gp.set_streaming_width(4);
  eps_[i]->host_access(gp, at);
}

// Writes into one endpoint's BAR: routed once, decoded once (PcieEndpoint::host_write_run32).
// A write it does not take goes alone, as above.
size_t RootComplex::posted_run32(tlm::tlm_generic_payload& gp, const uint64_t* addrs, const uint32_t* values, size_t n,
                                 sc_core::sc_time& at) {
  const int i = route(addrs[0]);
  // Overlapping windows (a confused driver's) are asked in device order per write, as above.
  const size_t done = i >= 0 && !windows_overlap_ ? eps_[i]->host_write_run32(gp, addrs, values, n, at, posted_write_issue_) : 0;
  if (done == 0) {
    posted_write32(gp, addrs[0], &values[0], at);
    at += posted_write_issue_;
    return 1;
  }
  mmio_writes_ += done;
  for (size_t k = 0; k < done; ++k) at += posted_write_issue_;
  return done;
}

void RootComplex::upstream(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  uint64_t a = gp.get_address();
  unsigned len = gp.get_data_length();
  if (a >= kMsiWindow && a < kMsiWindow + kMsiWindowSize) {
    if (!gp.is_write() || len != 4 || !gp.get_data_ptr()) {
      gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
      return;
    }
    uint32_t data;
    std::memcpy(&data, gp.get_data_ptr(), 4);
    sc_core::sc_time when = sc_core::sc_time_stamp() + delay;
    pending_.emplace(when, data, seq_++);
    msi_event_.notify(delay);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  // No host memory there (the IOMMU-less host answers Unsupported Request), or a user buffer
  // whose pages are gone: either way the device sees its request fail, never the simulator.
  if (mem_.dma(a, gp.get_data_ptr(), len, gp.is_write()) != HostMemory::Access::ok) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void RootComplex::deliver_msi() {
  sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!pending_.empty() && std::get<0>(*pending_.begin()) <= now) {
    uint32_t data = std::get<1>(*pending_.begin());
    pending_.erase(pending_.begin());
    if (sink_) sink_(data);
  }
  if (!pending_.empty()) msi_event_.notify(std::get<0>(*pending_.begin()) - now);
}

}  // namespace gs
