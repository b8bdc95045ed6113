#include "models/common/memory_target.hpp"

#include <cstdio>

namespace gs {

void MemoryTarget::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  uint64_t addr = gp.get_address();
  uint64_t len = gp.get_data_length();
  if (!store_.contains(addr, len)) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (gp.is_write()) {
    if (!store_.write(addr, gp.get_data_ptr(), len)) {
      // The simulator's host is out of memory for this memory's pages: the write fails on
      // the bus (the engine reports it as its error, which fails the submission), the
      // simulation goes on, and the reason is said once.
      if (!oom_reported_)
        std::fprintf(stderr, "gaudisim: %s: out of host memory for simulated memory (%llu MiB resident): "
                             "writes to it fail and the device reports them as errors\n",
                     name_.c_str(), static_cast<unsigned long long>(store_.resident_bytes() >> 20));
      oom_reported_ = true;
      gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
  } else {
    store_.read(addr, gp.get_data_ptr(), len);
  }
  sc_core::sc_time now = sc_core::sc_time_stamp();
  delay = server_.reserve(len, now + delay) - now;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace gs
