#include "models/card/reg_protection.hpp"

#include <cstring>
#include <unordered_map>

#include "specs/gaudi/regs.h"

namespace gs {

namespace {
constexpr uint32_t kPage = 0x1000;
constexpr uint32_t kOpen = 0xFFFFFFFFu;
}  // namespace

RegProtection::PageSlots& RegProtection::page_slots() {
  static PageSlots slots{std::vector<uint16_t>(GAUDI_CFG_SIZE / kPage, 0)};
  return slots;
}

// The distinct word sets in use, each with the number of pages holding it. Node-based: the
// words stay where they are until the last holder lets go. Hashed, not ordered: a write
// looks up two sets (the new words, the old), and ordering compares word by word. Never
// destroyed: instances may outlive static destruction (worlds left to the process exit).
class RegProtection::SharedWords {
 public:
  static const Words* hold(const Words& w) {
    auto it = holders().try_emplace(w, 0).first;
    ++it->second;
    return &it->first;
  }
  static void let_go(const Words* w) {
    if (!w) return;
    auto it = holders().find(*w);
    if (--it->second == 0) holders().erase(it);
  }
  static const Words& open() {
    static const Words all_open = [] {
      Words w;
      w.fill(kOpen);
      return w;
    }();
    return all_open;
  }

 private:
  struct Hash {
    size_t operator()(const Words& w) const {
      uint64_t h = 0x9E3779B97F4A7C15ull;
      for (uint32_t v : w) h = (h ^ v) * 0x100000001B3ull;
      return size_t(h ^ h >> 29);
    }
  };
  static std::unordered_map<Words, uint64_t, Hash>& holders() {
    static auto* m = new std::unordered_map<Words, uint64_t, Hash>;
    return *m;
  }
};

RegProtection::~RegProtection() {
  for (const Words* w : words_) SharedWords::let_go(w);
}

void RegProtection::add_pb_block(uint32_t offset, uint32_t size) {
  last_page_ = ~0u;  // a page looked up before may have none yet
  PageSlots& slots = page_slots();
  words_.reserve(slots.used);  // a card after the first adds what the first added: one allocation
  for (uint32_t p = offset / kPage; p < (offset + size + kPage - 1) / kPage; ++p) {
    uint16_t& s = slots.of_page.at(p);
    if (!s) s = ++slots.used;
    if (words_.size() < s) words_.resize(s, nullptr);
    SharedWords::let_go(words_[s - 1]);
    words_[s - 1] = SharedWords::hold(SharedWords::open());
  }
}

void RegProtection::store(int slot, uint32_t first, const uint32_t* values, size_t n) {
  const Words*& held = words_[size_t(slot)];
  Words w = *held;
  std::memcpy(&w[first], values, 4 * n);
  const Words* now = SharedWords::hold(w);
  SharedWords::let_go(held);
  held = now;
}

void RegProtection::add_self_policed(uint32_t offset, uint32_t size) {
  for (uint32_t p = offset / kPage; p < (offset + size + kPage - 1) / kPage; ++p) self_policed_.insert(p);
}

void RegProtection::reset() {
  for (const Words*& w : words_) {
    if (!w) continue;
    SharedWords::let_go(w);
    w = SharedWords::hold(SharedWords::open());
  }
}

int RegProtection::slot_of(uint32_t page) const {
  if (page != last_page_) {
    const std::vector<uint16_t>& slots = page_slots().of_page;
    const uint32_t s = page < slots.size() ? slots[page] : 0;
    last_slot_ = s && s <= words_.size() && words_[s - 1] ? int(s - 1) : -1;
    last_page_ = page;
  }
  return last_slot_;
}

bool RegProtection::user_may_access(uint32_t reg) const {
  const Words* words = words_of(reg / kPage);
  if (!words) return self_policed_.count(reg / kPage) > 0;
  uint32_t in_page = reg % kPage;
  if (in_page >= GAUDI_PROT_BITS_OFFS) return false;
  return (*words)[in_page >> 7] >> ((in_page & 0x7F) >> 2) & 1u;
}

bool RegProtection::razwi(tlm::tlm_generic_payload& gp, const BusInitiator& who, uint64_t addr) {
  ++razwis_;
  if (gp.is_read() && gp.get_data_ptr()) std::memset(gp.get_data_ptr(), 0, gp.get_data_length());
  gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
  if (on_razwi) on_razwi(who, addr, gp.is_write());
  return true;
}

bool RegProtection::write_words(uint64_t addr, const uint32_t* values, size_t n) {
  if (addr < GAUDI_CFG_BASE || addr >= GAUDI_CFG_BASE + GAUDI_CFG_SIZE || addr % 4) return false;
  const uint32_t off = uint32_t(addr - GAUDI_CFG_BASE), in_page = off % kPage;
  if (in_page < GAUDI_PROT_BITS_OFFS || n > (kPage - in_page) / 4) return false;
  const int slot = slot_of(off / kPage);
  if (slot < 0) return false;
  store(slot, (in_page - GAUDI_PROT_BITS_OFFS) / 4, values, n);
  return true;
}

bool RegProtection::filter(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  const uint64_t addr = gp.get_address();
  const uint64_t len = gp.get_data_length();
  if (addr < GAUDI_CFG_BASE || addr >= GAUDI_CFG_BASE + GAUDI_CFG_SIZE) return false;  // memory
  const uint32_t off = uint32_t(addr - GAUDI_CFG_BASE);
  const BusInitiator* who = user_initiator(gp);
  const int slot = slot_of(off / kPage);
  const uint32_t in_page = off % kPage;
  if (slot >= 0 && in_page >= GAUDI_PROT_BITS_OFFS) {  // the protection words themselves
    if (who) return razwi(gp, *who, addr);
    if (!gp.get_data_ptr()) {  // a timing-only access: registers are never payload
      gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
      return true;
    }
    if (len != 4 || off % 4) {
      gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
      return true;
    }
    const uint32_t word = (in_page - GAUDI_PROT_BITS_OFFS) / 4;
    if (gp.is_write()) {
      uint32_t v;
      std::memcpy(&v, gp.get_data_ptr(), 4);
      store(slot, word, &v, 1);
    } else {
      std::memcpy(gp.get_data_ptr(), &(*words_[size_t(slot)])[word], 4);
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
  }
  if (!who) return false;
  // Every register the access covers must be open to users.
  for (uint64_t r = off & ~3ull; r < off + len; r += 4)
    if (!user_may_access(uint32_t(r))) return razwi(gp, *who, GAUDI_CFG_BASE + r);
  return false;
}

}  // namespace gs
