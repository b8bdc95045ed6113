// What an on-chip router calls: a TLM-2.0 blocking transport with an annotated delay.
// The payload address is relative to the target's base. Loosely timed: the target does
// its work at call time and adds its latency to `delay`; effects that other parts must see
// later (a doorbell, an interrupt) are scheduled at now + delay by the target itself.
#pragma once
#include <cstdint>
#include <cstring>
#include <systemc>
#include <vector>
#include <tlm>

#include "models/common/shared_block.hpp"

namespace gs {

class BusTarget {
 public:
  virtual ~BusTarget() = default;
  virtual void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) = 0;
};

// A generic payload allocates its extension array when it is built, and the helpers below
// issue one transaction per NIC frame or DMA chunk: they borrow a recycled one instead, set
// every field a fresh one would have, and give it back (extensions cleared) when done. A
// nested access (a target calling another) borrows another. Single-threaded like the kernel.
class BorrowedPayload {
 public:
  BorrowedPayload() {
    std::vector<tlm::tlm_generic_payload*>& f = free_list();
    if (f.empty()) {
      gp_ = new tlm::tlm_generic_payload;
    } else {
      gp_ = f.back();
      f.pop_back();
    }
    gp_->set_dmi_allowed(false);
    gp_->set_gp_option(tlm::TLM_MIN_PAYLOAD);
    gp_->set_byte_enable_length(0);
  }
  ~BorrowedPayload() { free_list().push_back(gp_); }
  BorrowedPayload(const BorrowedPayload&) = delete;
  BorrowedPayload& operator=(const BorrowedPayload&) = delete;
  tlm::tlm_generic_payload& operator*() { return *gp_; }

 private:
  static std::vector<tlm::tlm_generic_payload*>& free_list() {
    static auto* list = new std::vector<tlm::tlm_generic_payload*>;  // never destroyed: used until exit
    return *list;
  }
  tlm::tlm_generic_payload* gp_;
};

// Helpers for initiators that just want to move bytes. `share`: payload in blocks that a
// memory may take or lend by reference (models/common/shared_block.hpp).
inline tlm::tlm_response_status bus_access(BusTarget& t, tlm::tlm_command cmd, uint64_t addr,
                                           void* data, uint64_t len, sc_core::sc_time& delay,
                                           BlockShare* share = nullptr) {
  BorrowedPayload borrowed;
  tlm::tlm_generic_payload& gp = *borrowed;
  gp.set_command(cmd);
  gp.set_address(addr);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(static_cast<unsigned>(len));
  gp.set_streaming_width(static_cast<unsigned>(len));
  gp.set_byte_enable_ptr(nullptr);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  if (share) gp.set_extension(share);
  t.b_transport(gp, delay);
  if (share) gp.clear_extension(share);  // the caller's
  return gp.get_response_status();
}

// A timing-only access (sim.payload=timing): the transaction carries no data pointer.
// Memories check the address and charge their time but store and return no bytes;
// register blocks refuse it (TLM_COMMAND_ERROR_RESPONSE): registers are never payload.
inline tlm::tlm_response_status bus_timing_access(BusTarget& t, tlm::tlm_command cmd, uint64_t addr,
                                                  uint64_t len, sc_core::sc_time& delay) {
  return bus_access(t, cmd, addr, nullptr, len, delay);
}

// Either of the two, by whether there are bytes to move.
inline tlm::tlm_response_status bus_payload_access(BusTarget& t, tlm::tlm_command cmd, uint64_t addr,
                                                   void* data, uint64_t len, sc_core::sc_time& delay,
                                                   BlockShare* share = nullptr) {
  return data ? bus_access(t, cmd, addr, data, len, delay, share) : bus_timing_access(t, cmd, addr, len, delay);
}

}  // namespace gs
