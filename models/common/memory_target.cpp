#include "models/common/memory_target.hpp"

namespace gs {

void MemoryTarget::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  uint64_t addr = gp.get_address();
  uint64_t len = gp.get_data_length();
  if (!store_.contains(addr, len)) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (gp.is_write())
    store_.write(addr, gp.get_data_ptr(), len);
  else
    store_.read(addr, gp.get_data_ptr(), len);
  sc_core::sc_time now = sc_core::sc_time_stamp();
  delay = server_.reserve(len, now + delay) - now;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace gs
