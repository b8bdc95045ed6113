#include "linux_host/virt_pci_card.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace gs {

VirtPciCard::VirtPciCard(sc_core::sc_module_name name, Card& card, const PcieParams& pp)
    : sc_module(name), to_card("to_card"), from_card("from_card"), card_(card), pp_(pp) {
  to_card.bind(card.pcie().pcie_in);
  card.pcie().pcie_out.bind(from_card);
  from_card.register_b_transport(this, &VirtPciCard::upstream);
  SC_HAS_PROCESS(VirtPciCard);
  SC_THREAD(command_thread);
}

// Free-running: the guest's call pipe. Time-travel: remembered for the server, which sends
// it in-band while the guest waits on the calendar.
void VirtPciCard::signal(unsigned q) {
  if (!conn_) return;
  if (!raised_) {
    conn_->queue(q).notify();
  } else {
    call_pending_[q] = true;
    raised_->notify(sc_core::SC_ZERO_TIME);
  }
}

// Device -> host: an MSI write (the address the guest programmed into the MSI capability)
// or DMA into the guest's memory at a guest-physical address.
// GAUDISIM_LH_TRACE=FILE: every guest access (op, BAR, offset, size, first 8 bytes) and
// every card DMA, one line each, for following the driver's steps.
static FILE* trace_file() {
  static FILE* f = [] {
    const char* path = std::getenv("GAUDISIM_LH_TRACE");
    return path && *path ? std::fopen(path, "w") : nullptr;
  }();
  return f;
}

static void trace_access(const char* what, unsigned bar, uint64_t off, uint64_t size, const uint8_t* data) {
  FILE* f = trace_file();
  if (!f) return;
  uint64_t v = 0;
  std::memcpy(&v, data, std::min<uint64_t>(size, 8));
  std::fprintf(f, "%s %u 0x%llx %llu 0x%llx\n", what, bar, (unsigned long long)off, (unsigned long long)size,
               (unsigned long long)v);
}

void VirtPciCard::upstream(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  PciConfigSpace& cfg = card_.pcie().config();
  uint64_t a = gp.get_address();
  unsigned len = gp.get_data_length();
  if (gp.is_write() && cfg.msi_enabled() && a == cfg.msi_address() && len >= 2) {
    uint32_t data = 0;
    std::memcpy(&data, gp.get_data_ptr(), std::min(len, 4u));
    trace_access("MSI", 0, a, 4, gp.get_data_ptr());
    pending_msi_.push_back(data);
    flush_interrupts();
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  uint8_t* p = conn_ ? conn_->memory().by_guest(a, len) : nullptr;
  if (!p) {
    ++dma_errors_;
    std::fprintf(stderr, "%s: DMA %s outside guest memory: 0x%llx + %u\n", name(),
                 gp.is_write() ? "write" : "read", (unsigned long long)a, len);
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  trace_access(gp.is_write() ? "DW" : "DR", 0, a, len, gp.get_data_ptr());
  if (gp.is_write())
    std::memcpy(p, gp.get_data_ptr(), len);
  else
    std::memcpy(gp.get_data_ptr(), p, len);
  dma_bytes_ += len;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void VirtPciCard::flush_interrupts() {
  if (!conn_) return;
  Virtqueue& q = conn_->queue(pcidev::kIrqQueue);
  bool sent = false;
  Virtqueue::Chain c;
  while (!pending_msi_.empty() && q.pop(conn_->memory(), c)) {
    struct {
      pcidev::Msg m;
      uint32_t data;
    } __attribute__((packed)) msg{{pcidev::kMsi, 0, 0, 4, card_.pcie().config().msi_address()}, pending_msi_.front()};
    pending_msi_.pop_front();
    q.push(c, c.write(&msg, sizeof msg));
    ++msis_;
    sent = true;
  }
  if (sent) signal(pcidev::kIrqQueue);
}

// Configuration space is dword-organised: narrower accesses read-modify-write the dword.
void VirtPciCard::cfg_access(bool write, uint32_t off, uint32_t size, uint8_t* data) {
  PcieEndpoint& ep = card_.pcie();
  for (uint32_t done = 0; done < size;) {
    uint32_t a = off + done, dw = a & ~3u, shift = a & 3u, n = std::min(4 - shift, size - done);
    // A full-dword write must not read first: ELBI control and status act on writes.
    uint32_t v = (write && n == 4) ? 0 : dw < 4096 ? ep.cfg_read32(dw) : 0xffffffffu;
    if (write) {
      std::memcpy(reinterpret_cast<uint8_t*>(&v) + shift, data + done, n);
      if (dw < 4096) ep.cfg_write32(dw, v);
    } else {
      std::memcpy(data + done, reinterpret_cast<uint8_t*>(&v) + shift, n);
    }
    done += n;
  }
  wait(sc_core::sc_time(pp_.cfg_access_ns, sc_core::SC_NS));
}

bool VirtPciCard::bar_access(bool write, unsigned bar, uint64_t off, uint8_t* data, uint64_t len) {
  PciConfigSpace& cfg = card_.pcie().config();
  if (bar > 5 || bar % 2) return false;
  uint64_t base = cfg.bar_base(bar);
  // Register BAR: split into dwords (register banks take 32-bit accesses); memories whole.
  uint64_t step = (bar == 2) ? 4 : len;
  bool ok = true;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  for (uint64_t done = 0; done < len; done += step) {
    uint64_t n = std::min(step, len - done);
    tlm::tlm_generic_payload gp;
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(base + off + done);
    gp.set_data_ptr(data + done);
    gp.set_data_length(unsigned(n));
    gp.set_streaming_width(unsigned(n));
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    to_card->b_transport(gp, delay);
    if (!gp.is_response_ok()) {
      ok = false;
      Unmodelled& u = unmodelled_[uint64_t(bar) << 56 | ((off + done) & ~0xfffull)];
      ++(write ? u.writes : u.reads);
      if (!write) std::memset(data + done, 0xff, n);
    }
  }
  if (!write) delay += sc_core::sc_time(pp_.mmio_read_ns, sc_core::SC_NS);
  wait(delay);
  return ok;
}

uint32_t VirtPciCard::handle(const pcidev::Msg& m, const uint8_t* data, Virtqueue::Chain& c) {
  std::vector<uint8_t> buf(m.size);
  uint32_t n = handle_op(m, data, buf, c);
  trace_access(m.op == pcidev::kMmioRead ? "R" : m.op == pcidev::kCfgRead ? "CR"
               : m.op == pcidev::kCfgWrite && m.bar == 0 && m.size <= 8 ? "CW" : "W",
               m.bar, m.addr, m.size, m.op == pcidev::kMmioRead || m.op == pcidev::kCfgRead ? buf.data() : data);
  return n;
}

uint32_t VirtPciCard::handle_op(const pcidev::Msg& m, const uint8_t* data, std::vector<uint8_t>& buf,
                                Virtqueue::Chain& c) {
  switch (m.op) {
    case pcidev::kCfgRead:
      cfg_access(false, uint32_t(m.addr), m.size, buf.data());
      return conn_ ? c.write(buf.data(), m.size) : 0;  // the guest may have left meanwhile
    case pcidev::kCfgWrite:
      // UML 6.12 sends memset_io() as CFG_WRITE with the BAR and one data byte.
      if (m.bar != 0 || m.size > 8) {
        std::memset(buf.data(), data[0], m.size);
        bar_access(true, m.bar, m.addr, buf.data(), m.size);
      } else {
        cfg_access(true, uint32_t(m.addr), m.size, const_cast<uint8_t*>(data));
      }
      return 0;
    case pcidev::kMmioRead:
      bar_access(false, m.bar, m.addr, buf.data(), m.size);
      return conn_ ? c.write(buf.data(), m.size) : 0;
    case pcidev::kMmioWrite:
      std::memcpy(buf.data(), data, m.size);
      bar_access(true, m.bar, m.addr, buf.data(), m.size);
      return 0;
    case pcidev::kMmioMemset:
      std::memset(buf.data(), data[0], m.size);
      bar_access(true, m.bar, m.addr, buf.data(), m.size);
      return 0;
    default:
      std::fprintf(stderr, "%s: unexpected virt-pci op %u\n", name(), m.op);
      return 0;
  }
}

unsigned VirtPciCard::serve_commands() {
  if (!conn_) return 0;
  Virtqueue& q = conn_->queue(pcidev::kCmdQueue);
  q.drain_kick();
  unsigned n = 0;
  Virtqueue::Chain c;
  while (q.pop(conn_->memory(), c)) {
    todo_.push_back(std::move(c));
    ++n;
  }
  if (n) todo_added_.notify(sc_core::SC_ZERO_TIME);
  return n;
}

void VirtPciCard::command_thread() {
  for (;;) {
    while (todo_.empty()) wait(todo_added_);
    Virtqueue::Chain c = std::move(todo_.front());
    todo_.pop_front();
    uint32_t written = 0;
    if (c.readable.size() >= sizeof(pcidev::Msg)) {
      pcidev::Msg m;
      std::memcpy(&m, c.readable.data(), sizeof m);
      size_t avail = c.readable.size() - sizeof m;
      bool one_byte = m.op == pcidev::kMmioMemset || (m.op == pcidev::kCfgWrite && (m.bar || m.size > 8));
      bool needs_data = m.op == pcidev::kCfgWrite || m.op == pcidev::kMmioWrite || m.op == pcidev::kMmioMemset;
      if (!needs_data || avail >= (one_byte ? 1u : m.size))
        written = handle(m, c.readable.data() + sizeof m, c);
    }
    if (!conn_) continue;  // the guest went away while the command ran
    conn_->queue(pcidev::kCmdQueue).push(c, written);
    // The guest frees a posted write's buffer when the queue is signalled (a full ring
    // refuses reads); a read's answer it polls for. Time travel signals only for the former,
    // as each signal costs the guest a calendar round trip.
    posted_done_ |= c.writable.empty();
    if (todo_.empty() && (posted_done_ || !raised_)) {
      signal(pcidev::kCmdQueue);
      posted_done_ = false;
    }
  }
}

}  // namespace gs
