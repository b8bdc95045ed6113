#include "models/mmu/mmu_port.hpp"

#include <algorithm>

namespace gs {

static constexpr uint32_t kAsidMask = 0x3FF;
static constexpr uint32_t kBypass = 1u << 10;
static constexpr uint64_t kPage = 4096;

void MmuPort::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  uint64_t va = gp.get_address();
  uint32_t props = props_ ? props_() : kBypass;
  if (!mmu_.translates(va) || (props & kBypass)) {
    next_.b_transport(gp, delay);
    return;
  }
  // One sub-access per page: consecutive virtual pages need not be contiguous.
  uint8_t* data = gp.get_data_ptr();  // null: a timing-only access (sim.payload=timing)
  const uint64_t len = gp.get_data_length();
  for (uint64_t done = 0; done < len;) {
    uint64_t n = std::min(len - done, kPage - (va + done) % kPage);
    uint64_t pa = 0;
    if (!mmu_.translate(props & kAsidMask, va + done, &pa, delay) ||
        bus_access(next_, gp.get_command(), pa, data ? data + done : nullptr, n, delay) != tlm::TLM_OK_RESPONSE) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    done += n;
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace gs
