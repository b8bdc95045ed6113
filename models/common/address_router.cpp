#include "models/common/address_router.hpp"

#include <stdexcept>

namespace gs {

void AddressRouter::map(uint64_t base, uint64_t size, BusTarget& target, std::string name) {
  auto next = windows_.lower_bound(base);
  if (next != windows_.end() && next->first < base + size)
    throw std::invalid_argument("AddressRouter: " + name + " overlaps " + next->second.name);
  if (next != windows_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second.size > base)
      throw std::invalid_argument("AddressRouter: " + name + " overlaps " + prev->second.name);
  }
  windows_.emplace(base, Window{size, &target, std::move(name)});
}

const AddressRouter::Window* AddressRouter::find(uint64_t addr, uint64_t len, uint64_t* base) const {
  // Streams of accesses mostly stay in one window (a NIC writing HBM, the driver a block).
  if (last_ && addr - last_base_ < last_->size && len <= last_->size - (addr - last_base_)) {
    *base = last_base_;
    return last_;
  }
  auto it = windows_.upper_bound(addr);
  if (it == windows_.begin()) return nullptr;
  --it;
  uint64_t off = addr - it->first;
  if (off >= it->second.size || len > it->second.size - off) return nullptr;
  *base = last_base_ = it->first;
  return last_ = &it->second;  // map nodes never move; windows are never removed
}

std::string AddressRouter::name_of(uint64_t addr) const {
  uint64_t base;
  const Window* w = find(addr, 1, &base);
  return w ? w->name : std::string();
}

void AddressRouter::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  if (filter && filter(gp, delay)) return;
  uint64_t addr = gp.get_address(), base = 0;
  const Window* w = find(addr, gp.get_data_length(), &base);
  if (!w) {
    ++decode_errors_;
    last_error_ = addr;
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  delay += hop_;
  gp.set_address(addr - base);
  w->target->b_transport(gp, delay);
  gp.set_address(addr);
}

}  // namespace gs
