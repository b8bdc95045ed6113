#include "models/common/address_router.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/common/reg_layout.hpp"

namespace gs {

void AddressRouter::map(uint64_t base, uint64_t size, BusTarget& target, std::string name) {
  auto next = std::lower_bound(windows_.begin(), windows_.end(), base,
                               [](const Window& w, uint64_t b) { return w.base < b; });
  if (next != windows_.end() && next->base < base + size)
    throw std::invalid_argument("AddressRouter: " + name + " overlaps " + names_[size_t(next - windows_.begin())]);
  if (next != windows_.begin()) {
    auto prev = std::prev(next);
    if (prev->base + prev->size > base)
      throw std::invalid_argument("AddressRouter: " + name + " overlaps " + names_[size_t(prev - windows_.begin())]);
  }
  const size_t at = size_t(next - windows_.begin());
  windows_.insert(next, Window{base, size, &target});
  names_.insert(names_.begin() + long(at), RegLayout::intern(name));
}

const AddressRouter::Window* AddressRouter::find(uint64_t addr, uint64_t len) const {
  if (holds(last_, addr, len)) return &last_;
  const Window* w = search(addr, len);
  if (w) last_ = *w;
  return w;
}

const AddressRouter::Window* AddressRouter::search(uint64_t addr, uint64_t len) const {
  auto it = std::upper_bound(windows_.begin(), windows_.end(), addr,
                             [](uint64_t a, const Window& w) { return a < w.base; });
  if (it == windows_.begin()) return nullptr;
  --it;
  return holds(*it, addr, len) ? &*it : nullptr;
}

std::string AddressRouter::name_of(uint64_t addr) const {
  const Window* w = search(addr, 1);
  return w ? names_[size_t(w - windows_.data())] : std::string();
}

void AddressRouter::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  if (filter && filter(gp, delay)) return;
  const uint64_t addr = gp.get_address();
  const Window* w = find(addr, gp.get_data_length());
  if (!w) {
    ++decode_errors_;
    last_error_ = addr;
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  delay += hop_;
  gp.set_address(addr - w->base);
  w->target->b_transport(gp, delay);
  gp.set_address(addr);
}

}  // namespace gs
