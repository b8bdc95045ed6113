// The host side of the PCI bus: owns host DRAM, enumerates endpoints (assigns BARs as
// firmware would), carries host MMIO to the endpoint that claims the address, serves
// device DMA into host memory, and turns MSI writes into interrupt deliveries.
#pragma once
#include <cstdint>
#include <functional>
#include <set>
#include <tuple>
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <vector>

#include "models/common/bus_target.hpp"
#include "models/common/timed_wake.hpp"
#include "models/pcie/endpoint.hpp"
#include "models/pcie/host_memory.hpp"
#include "models/pcie/pcie_params.hpp"

namespace gs {

class RootComplex : public sc_core::sc_module {
 public:
  static constexpr uint64_t kMsiWindow = 0xFEE00000ull;  // x86 MSI doorbell
  static constexpr uint64_t kMsiWindowSize = 0x100000ull;
  static constexpr uint64_t kMmioBase = 0x4000000000ull;  // BARs are placed from here

  tlm_utils::multi_passthrough_initiator_socket<RootComplex> down;
  tlm_utils::multi_passthrough_target_socket<RootComplex> up;

  RootComplex(sc_core::sc_module_name name, const PcieParams& p);

  // Elaboration: bind an endpoint and give it a bus/device number and BAR addresses.
  unsigned attach(PcieEndpoint& ep);
  unsigned device_count() const { return unsigned(eps_.size()); }
  // PCI address of device n, as "bus:dev.fn".
  unsigned bus_of(unsigned n) const { return 1 + n; }

  // Host CPU side: call from an SC_THREAD; each call blocks for its bus time.
  uint32_t cfg_read32(unsigned dev, uint32_t offset);
  void cfg_write32(unsigned dev, uint32_t offset, uint32_t value);
  // Returns false on Unsupported Request (reads then return all-ones).
  bool mmio_read(uint64_t addr, void* data, unsigned len);
  bool mmio_write(uint64_t addr, const void* data, unsigned len);  // posted
  // Loosely timed posted writes (TLM-2.0 temporal decoupling): the write leaves the CPU
  // `at` after now (the bus and the card see it then) and the caller waits for its batch
  // once, `at` + posted_write_issue() after the last one, instead of once per write.
  bool issue_posted_write(uint64_t addr, const void* data, unsigned len, sc_core::sc_time at);
  sc_core::sc_time posted_write_issue() const { return posted_write_issue_; }
  // A bring-up table of posted 32-bit writes (any type with `addr` and a uint32_t `value`):
  // write k goes out k x posted_write_issue() after now, exactly as issue_posted_write would
  // send it, but through one payload and straight to the endpoint; the writes that follow
  // one another into one endpoint's BAR are routed and decoded once (posted_run32). Returns
  // the time the CPU takes to issue them all (the caller's one wait).
  template <class Write>
  sc_core::sc_time issue_posted_writes32(const Write* writes, size_t n) {
    BorrowedPayload borrowed;
    sc_core::sc_time at = sc_core::SC_ZERO_TIME;
    uint64_t addrs[kMaxPostedRun];
    uint32_t values[kMaxPostedRun];
    for (size_t k = 0; k < n;) {
      const size_t m = n - k < kMaxPostedRun ? n - k : kMaxPostedRun;
      for (size_t j = 0; j < m; ++j) addrs[j] = writes[k + j].addr, values[j] = writes[k + j].value;
      k += posted_run32(*borrowed, addrs, values, m, at);
    }
    return at;
  }

  // Interrupt delivery: called from a method process when an MSI write lands.
  void set_msi_sink(std::function<void(uint32_t data)> sink) { sink_ = std::move(sink); }

  HostMemory& memory() { return mem_; }
  uint64_t mmio_reads() const { return mmio_reads_; }
  uint64_t mmio_writes() const { return mmio_writes_; }

 private:
  void upstream(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void deliver_msi();
  int route(uint64_t addr);
  void posted_write32(tlm::tlm_generic_payload& gp, uint64_t addr, const uint32_t* value, sc_core::sc_time at);
  // Issues the first of the writes, from `at` on (advanced by posted_write_issue_ per write),
  // and those after it that its endpoint takes with it; returns how many were issued.
  static constexpr size_t kMaxPostedRun = 64;
  size_t posted_run32(tlm::tlm_generic_payload& gp, const uint64_t* addrs, const uint32_t* values, size_t n,
                      sc_core::sc_time& at);
  bool host_access(int i, tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, sc_core::sc_time& delay);
  void rebuild_windows();

  const PcieParams& p_;
  const sc_core::sc_time posted_write_issue_;
  HostMemory mem_;
  std::vector<PcieEndpoint*> eps_;
  // Every BAR window that decodes, sorted by base, rebuilt when a config space changed: a
  // probe writes tens of thousands of registers, and asking each device in turn was a
  // third of a 32-card start-up. Overlapping windows (only a confused driver programs
  // them) fall back to asking in device order, the first claim winning as before.
  struct Window {
    uint64_t base, size;
    int device;
  };
  std::vector<Window> windows_;
  uint64_t windows_stamp_ = ~uint64_t(0);
  bool windows_overlap_ = false;
  size_t last_window_ = 0;
  uint64_t next_bar_ = kMmioBase;
  std::function<void(uint32_t)> sink_;
  // Pending MSIs by (delivery time, message data = device and vector, arrival): messages of
  // the same instant reach the host in device order, not in the order the kernel happened to
  // run their cards (which differs between a partitioned and a single-process run).
  std::set<std::tuple<sc_core::sc_time, uint32_t, uint64_t>> pending_;
  uint64_t seq_ = 0;
  TimedWake msi_event_{name(), [this] { deliver_msi(); }};  // a fixed order among the instant's wakes (timed_wake.hpp)
  uint64_t mmio_reads_ = 0, mmio_writes_ = 0;
};

}  // namespace gs
