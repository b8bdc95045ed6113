#include "models/common/reg_bank.hpp"

#include <algorithm>
#include <stdexcept>

namespace gs {

void RegBank::init_values() {
  values_.reset(new uint32_t[layout_->size()]);
  reset_all();
}

RegBank::Reg& RegBank::add(uint32_t offset, const std::string& name, uint32_t reset, bool writable) {
  if (layout_) throw std::logic_error(name_ + ": a bank of a shared layout takes no add()");
  if (offset % 4) throw std::invalid_argument(name_ + ": register offset must be 4-aligned");
  // Blocks declare mostly in increasing offsets: the index then stays in order. Otherwise
  // it is sorted on the next look-up, which refuses two registers at one offset.
  if (!index_.empty() && index_.back().offset >= offset) {
    if (index_.back().offset == offset) throw std::invalid_argument(name_ + ": two registers at one offset");
    sorted_ = false;
  }
  // Blocks double up to 64 registers (a QMAN's 175 fit in 184: little unused memory).
  auto block_size = [](size_t b) { return kFirstBlock << std::min<size_t>(b, 3); };
  uint32_t b = 0, first = 0;  // the block of register count_, and its first position
  while (first + block_size(b) <= count_) first += block_size(b++);
  if (b == blocks_.size()) blocks_.emplace_back(new Reg[block_size(b)]);
  Reg& r = blocks_[b][count_ - first];
  r.offset = offset;
  r.name = RegLayout::intern(name);
  r.value = r.reset = reset;
  r.writable = writable;
  index_.push_back(Slot{offset, &r});
  ++count_;
  return r;
}

void RegBank::sort_index() const {
  if (sorted_) return;
  std::sort(index_.begin(), index_.end(), [](const Slot& a, const Slot& b) { return a.offset < b.offset; });
  sorted_ = true;
  for (size_t i = 1; i < index_.size(); ++i)
    if (index_[i].offset == index_[i - 1].offset) throw std::invalid_argument(name_ + ": two registers at one offset");
}

const RegBank::Reg* RegBank::find(uint32_t offset) const {
  sort_index();
  auto it = std::lower_bound(index_.begin(), index_.end(), offset,
                             [](const Slot& s, uint32_t o) { return s.offset < o; });
  return it != index_.end() && it->offset == offset ? it->reg : nullptr;
}

RegBank::Reg* RegBank::find(uint32_t offset) {
  return const_cast<Reg*>(static_cast<const RegBank&>(*this).find(offset));
}

uint32_t* RegBank::slot(uint32_t offset) const {
  if (layout_) {
    const long i = layout_->index_of(offset);
    return i < 0 ? nullptr : &values_[i];
  }
  sort_index();
  auto it = std::lower_bound(index_.begin(), index_.end(), offset,
                             [](const Slot& s, uint32_t o) { return s.offset < o; });
  return it != index_.end() && it->offset == offset ? &it->reg->value : nullptr;
}

const uint32_t* RegBank::value_ptr(uint32_t offset) const { return slot(offset); }

bool RegBank::has(uint32_t offset) const { return value_ptr(offset) != nullptr; }

const char* RegBank::reg_name(uint32_t offset) const {
  if (layout_) {
    const long i = layout_->index_of(offset);
    return i < 0 ? nullptr : layout_->entry(i).name;
  }
  const Reg* r = find(offset);
  return r ? r->name : nullptr;
}

uint32_t RegBank::listed_value(uint32_t offset) const {
  const uint32_t* v = slot(offset);
  return v ? *v : 0;
}

void RegBank::set(uint32_t offset, uint32_t v) {
  if (uint32_t* p = slot(offset)) *p = v;
}

void RegBank::reset_all() {
  if (layout_) {
    for (size_t i = 0; i < layout_->size(); ++i) values_[i] = layout_->entry(i).reset;
    return;
  }
  for (Slot& s : index_) s.reg->value = s.reg->reset;
}

bool RegBank::layout_access32(bool write, uint32_t offset, uint32_t& data, sc_core::sc_time delay) {
  const long i = layout_->index_of(offset);
  if (i < 0) return false;
  const RegLayout::Entry& e = layout_->entry(i);
  uint32_t& value = values_[i];
  if (write) {
    if (!e.writable) return true;  // writes to read-only registers are ignored, as on silicon
    value = data;
    if (e.write) e.write(owner_, e.write_fn, e.write_arg, value, delay);
  } else {
    data = e.read ? e.read(owner_, e.read_fn, e.read_arg) : value;
  }
  return true;
}

bool RegBank::access32(bool write, uint32_t offset, uint32_t& data, sc_core::sc_time delay) {
  if (layout_) return layout_access32(write, offset, data, delay);
  Reg* r = find(offset);
  if (!r) return false;
  if (write) {
    if (!r->writable) return true;  // writes to read-only registers are ignored, as on silicon
    r->value = data;
    if (r->on_write) r->on_write(*r, delay);
  } else {
    data = r->on_read ? r->on_read(*r) : r->value;
  }
  return true;
}

void RegBank::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  uint64_t addr = gp.get_address();
  unsigned len = gp.get_data_length();
  bool write = gp.is_write();
  delay += latency_;
  if (!gp.get_data_ptr()) {  // a timing-only access: registers are never payload
    ++bad_accesses_;
    gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  if ((len != 4 && len != 8) || addr % 4) {
    ++bad_accesses_;
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  unsigned char* p = gp.get_data_ptr();
  // A 64-bit access is two 32-bit ones, low word first (little endian).
  for (unsigned i = 0; i < len; i += 4) {
    uint32_t word = 0;
    if (write) std::memcpy(&word, p + i, 4);
    if (!access32(write, static_cast<uint32_t>(addr + i), word, delay)) {
      ++bad_accesses_;
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (!write) std::memcpy(p + i, &word, 4);
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace gs
