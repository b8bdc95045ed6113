// Who issued an on-chip transaction, for the card's register protection. A transaction
// without this extension is trusted (the host through a BAR, the device CPU, a QMAN's own
// fetches, a MSG_PROT of a trusted CP). User work carries one: the packets a CP executes,
// the data and completion writes of the engines, the payloads of user monitors. The card's
// protection bits and the sync managers' driver ranges police those (RAZWI).
#pragma once
#include <cstdint>
#include <tlm>

#include "models/common/bus_target.hpp"

namespace gs {

struct BusInitiator : tlm::tlm_extension<BusInitiator> {
  uint32_t id = 0;             // RAZWI initiator id (specs/gaudi/events.h GSIM_RAZWI_INIT_*)
  const char* name = "";       // for logs: the issuing module
  BusInitiator() = default;
  BusInitiator(uint32_t i, const char* n) : id(i), name(n) {}
  tlm::tlm_extension_base* clone() const override { return new BusInitiator(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override { *this = static_cast<const BusInitiator&>(e); }
};

// The user initiator of gp, or nullptr for a trusted transaction.
inline const BusInitiator* user_initiator(tlm::tlm_generic_payload& gp) {
  BusInitiator* b = nullptr;
  gp.get_extension(b);
  return b;
}

// bus_access on behalf of a user initiator (nullptr: trusted, like plain bus_access).
inline tlm::tlm_response_status bus_access_as(const BusInitiator* who, BusTarget& t, tlm::tlm_command cmd,
                                              uint64_t addr, void* data, uint64_t len, sc_core::sc_time& delay,
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
  if (who) gp.set_extension(const_cast<BusInitiator*>(who));
  if (share) gp.set_extension(share);
  t.b_transport(gp, delay);
  if (who) gp.clear_extension(who);  // not ours to free
  if (share) gp.clear_extension(share);
  return gp.get_response_status();
}

}  // namespace gs
