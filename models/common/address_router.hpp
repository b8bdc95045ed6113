// An address decoder: routes a transaction to the target whose window holds its address,
// rebasing the address to the window. Unmapped addresses answer with an address error
// and are counted, so a stray engine access is visible instead of silently absorbed.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/common/bus_target.hpp"

namespace gs {

// Cache-line aligned: what every access reads (the vtable pointer, the filter, the last
// window hit) is the object's first line, the hop latency starts the second.
class alignas(64) AddressRouter : public BusTarget {
 public:
  explicit AddressRouter(sc_core::sc_time hop_latency = sc_core::SC_ZERO_TIME) : hop_(hop_latency) {}

  // Windows must not overlap; throws std::invalid_argument if they do.
  void map(uint64_t base, uint64_t size, BusTarget& target, std::string name);
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;
  // Looks at every transaction first (the card's register protection): true when it
  // served or refused it itself.
  std::function<bool(tlm::tlm_generic_payload&, sc_core::sc_time&)> filter;

 private:
  // The windows sorted by base, in one array: a look-up that misses the last hit searches a
  // few contiguous lines instead of walking tree nodes spread over the heap (a NIC's frames
  // alternate between windows, and at 1024 cards every card's router is cold per frame).
  struct Window {
    uint64_t base, size;
    BusTarget* target;
  };
  // A copy of the last window hit, beside the filter: streams of accesses mostly stay in one
  // window (a NIC writing HBM, the driver a block), and at 1024 cards reading it from the
  // array was a cache miss per access (most of AddressRouter::find's samples). Size 0: none.
  mutable Window last_{0, 0, nullptr};

 public:
  // Name of the window holding addr, or "" (for logs and error reports).
  std::string name_of(uint64_t addr) const;
  uint64_t decode_errors() const { return decode_errors_; }
  uint64_t last_error_address() const { return last_error_; }

 private:
  static bool holds(const Window& w, uint64_t addr, uint64_t len) {
    return addr - w.base < w.size && len <= w.size - (addr - w.base);
  }
  const Window* find(uint64_t addr, uint64_t len) const;
  const Window* search(uint64_t addr, uint64_t len) const;  // in the array: the copy missed

  sc_core::sc_time hop_;
  std::vector<Window> windows_;
  // names_[i] is windows_[i]'s, interned (RegLayout::intern): every card maps the same
  // blocks, and a string per window was 4 KB per card.
  std::vector<const char*> names_;
  uint64_t decode_errors_ = 0, last_error_ = 0;
};

}  // namespace gs
