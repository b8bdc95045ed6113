#include "models/sync/sync_manager.hpp"

#include <algorithm>
#include <cstring>

#include "models/common/time.hpp"

namespace gs {

namespace {
// Register arrays of the OBJS block: [first, first + 4 * count).
constexpr uint32_t kSobFirst = GAUDI_SM_SOB_OBJ(0);
constexpr uint32_t kAddrLFirst = GAUDI_SM_MON_PAY_ADDRL(0);
constexpr uint32_t kAddrHFirst = GAUDI_SM_MON_PAY_ADDRH(0);
constexpr uint32_t kDataFirst = GAUDI_SM_MON_PAY_DATA(0);
constexpr uint32_t kArmFirst = GAUDI_SM_MON_ARM(0);
constexpr uint32_t kStatusFirst = GAUDI_SM_MON_STATUS(0);
constexpr uint32_t kMonBytes = 4 * GAUDI_SM_NUM_MONITORS;

enum class Kind { kNone, kSob, kAddrL, kAddrH, kData, kArm, kStatus };

// Which register an (aligned) offset names, and its index.
Kind decode(uint32_t off, unsigned* index) {
  if (off % 4) return Kind::kNone;
  if (off >= kSobFirst && off < kSobFirst + 4 * GAUDI_SM_NUM_SOBS) {
    *index = (off - kSobFirst) / 4;
    return Kind::kSob;
  }
  static const std::pair<uint32_t, Kind> mon_arrays[] = {
      {kAddrLFirst, Kind::kAddrL}, {kAddrHFirst, Kind::kAddrH}, {kDataFirst, Kind::kData},
      {kArmFirst, Kind::kArm},     {kStatusFirst, Kind::kStatus}};
  for (const auto& a : mon_arrays) {
    if (off >= a.first && off < a.first + kMonBytes) {
      *index = (off - a.first) / 4;
      return a.second;
    }
  }
  return Kind::kNone;
}

uint32_t field(uint32_t word, uint32_t mask, unsigned shift) { return (word & mask) >> shift; }
}  // namespace

SyncManager::SyncManager(sc_core::sc_module_name name, const SyncParams& p, BusTarget& noc,
                         sc_core::sc_time access_latency)
    : sc_module(name), p_(p), noc_(noc), latency_(access_latency) {}

void SyncManager::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  delay += latency_;
  uint64_t addr = gp.get_address();
  tlm::tlm_response_status st = tlm::TLM_OK_RESPONSE;
  if (!gp.get_data_ptr())  // a timing-only access: registers are never payload
    st = tlm::TLM_COMMAND_ERROR_RESPONSE;
  else if (gp.get_data_length() != 4)
    st = tlm::TLM_BURST_ERROR_RESPONSE;
  else if (gp.get_byte_enable_ptr())
    st = tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  else if (addr % 4 || addr >= kBlockSize)
    st = tlm::TLM_ADDRESS_ERROR_RESPONSE;
  else if (const BusInitiator* who = user_initiator(gp); who && !user_may_access(uint32_t(addr))) {
    if (gp.is_read()) std::memset(gp.get_data_ptr(), 0, 4);
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    ++bad_accesses_;
    if (on_razwi) on_razwi(*who, uint32_t(addr), gp.is_write());
    return;
  }
  else if (gp.is_write()) {
    uint32_t v;
    std::memcpy(&v, gp.get_data_ptr(), 4);
    if (!write_reg(uint32_t(addr), v, delay)) st = tlm::TLM_ADDRESS_ERROR_RESPONSE;
  } else if (gp.is_read()) {
    uint32_t v = 0;
    if (read_reg(uint32_t(addr), v))
      std::memcpy(gp.get_data_ptr(), &v, 4);
    else
      st = tlm::TLM_ADDRESS_ERROR_RESPONSE;
  } else {
    st = tlm::TLM_COMMAND_ERROR_RESPONSE;
  }
  if (st != tlm::TLM_OK_RESPONSE) ++bad_accesses_;
  gp.set_response_status(st);
}

// Sync objects and monitors of the driver's ranges are not the user's.
bool SyncManager::user_may_access(uint32_t offset) const {
  unsigned i = 0;
  switch (decode(offset, &i)) {
    case Kind::kSob: return i >= first_user_sob_ || (user_open_[i / 32] >> (i % 32) & 1u);
    case Kind::kNone: return true;  // answered with an address error anyway
    default: return i >= first_user_mon_;
  }
}

bool SyncManager::write_reg(uint32_t offset, uint32_t value, sc_core::sc_time delay) {
  unsigned i = 0;
  switch (decode(offset, &i)) {
    case Kind::kSob: sob_write(i, value, delay); return true;
    case Kind::kAddrL: objs().mon[i].addr_lo = value; return true;
    case Kind::kAddrH: objs().mon[i].addr_hi = value; return true;
    case Kind::kData: objs().mon[i].data = value; return true;
    case Kind::kArm: arm(i, value, delay); return true;
    case Kind::kStatus: return true;  // read only: writes are ignored, as on silicon
    case Kind::kNone: break;
  }
  return false;
}

bool SyncManager::read_reg(uint32_t offset, uint32_t& value) const {
  unsigned i = 0;
  switch (decode(offset, &i)) {
    case Kind::kSob: value = view().sob[i]; return true;
    case Kind::kAddrL: value = view().mon[i].addr_lo; return true;
    case Kind::kAddrH: value = view().mon[i].addr_hi; return true;
    case Kind::kData: value = view().mon[i].data; return true;
    case Kind::kArm: value = view().mon[i].arm; return true;
    case Kind::kStatus: value = mon_status(i); return true;
    case Kind::kNone: break;
  }
  return false;
}

void SyncManager::sob_write(unsigned i, uint32_t value_word, sc_core::sc_time delay) {
  if (i >= kSobs) return;
  ++sob_writes_;
  uint32_t v = value_word & GAUDI_SM_SOB_VAL_MASK;
  uint16_t& sob = objs().sob[i];
  if (value_word & GAUDI_SM_SOB_INC_MASK) v = (sob + v) & GAUDI_SM_SOB_VAL_MASK;
  sob = uint16_t(v);
  check_group(i / GAUDI_SM_SOBS_PER_MONITOR, delay);
}

uint32_t SyncManager::mon_status(unsigned m) const {
  if (m >= kMonitors || !view().mon[m].armed) return 0;
  const Monitor& mon = view().mon[m];
  uint32_t pending = mon.triggered ? 0 : pending_mask(mon);
  return GAUDI_SM_MON_STATUS_VALID_MASK |
         ((pending << GAUDI_SM_MON_STATUS_PENDING_SHIFT) & GAUDI_SM_MON_STATUS_PENDING_MASK);
}

void SyncManager::arm(unsigned m, uint32_t value, sc_core::sc_time delay) {
  Monitor& mon = objs().mon[m];
  if (mon.armed && !mon.triggered) unindex(m);
  ++arms_;
  ++mon.gen;  // a payload already on its way still goes out, but no longer disarms this arm
  mon.arm = value;
  mon.armed = true;
  mon.triggered = false;
  if (condition(mon)) {
    trigger(m, delay);
  } else {
    objs_->by_group[field(value, GAUDI_SM_MON_ARM_SID_MASK, GAUDI_SM_MON_ARM_SID_SHIFT)].push_back(
        uint16_t(m));
  }
}

uint32_t SyncManager::pending_mask(const Monitor& mon) const {
  unsigned sid = field(mon.arm, GAUDI_SM_MON_ARM_SID_MASK, GAUDI_SM_MON_ARM_SID_SHIFT);
  uint32_t hw_mask = field(mon.arm, GAUDI_SM_MON_ARM_MASK_MASK, GAUDI_SM_MON_ARM_MASK_SHIFT);
  bool equal = field(mon.arm, GAUDI_SM_MON_ARM_SOP_MASK, GAUDI_SM_MON_ARM_SOP_SHIFT) != 0;
  uint32_t target = field(mon.arm, GAUDI_SM_MON_ARM_SOD_MASK, GAUDI_SM_MON_ARM_SOD_SHIFT);
  uint32_t pending = 0;
  for (unsigned b = 0; b < GAUDI_SM_SOBS_PER_MONITOR; ++b) {
    if (hw_mask & (1u << b)) continue;  // a set bit leaves the object out
    uint32_t v = view().sob[sid * GAUDI_SM_SOBS_PER_MONITOR + b];
    if (equal ? v != target : v < target) pending |= 1u << b;
  }
  return pending;
}

// Every selected object satisfies the mode (vacuously true when the mask selects none).
bool SyncManager::condition(const Monitor& mon) const { return pending_mask(mon) == 0; }

void SyncManager::check_group(unsigned group, sc_core::sc_time delay) {
  Objects& o = objs();
  auto& list = o.by_group[group];
  // trigger() erases list[k] (and touches nothing else): fires keep the order of arming.
  for (size_t k = 0; k < list.size();) {
    if (condition(o.mon[list[k]]))
      trigger(list[k], delay);
    else
      ++k;
  }
}

void SyncManager::unindex(unsigned m) {
  unsigned sid = field(objs_->mon[m].arm, GAUDI_SM_MON_ARM_SID_MASK, GAUDI_SM_MON_ARM_SID_SHIFT);
  auto& list = objs_->by_group[sid];
  auto it = std::find(list.begin(), list.end(), uint16_t(m));
  if (it != list.end()) list.erase(it);
}

void SyncManager::trigger(unsigned m, sc_core::sc_time delay) {
  Monitor& mon = objs_->mon[m];
  unindex(m);
  mon.triggered = true;
  // Address and data are taken now: rewriting them cannot change a payload in flight.
  uint64_t addr = uint64_t(mon.addr_hi) << 32 | mon.addr_lo;
  sc_core::sc_time when = delay + ns(p_.monitor_latency_ns);
  pending_.emplace(sc_core::sc_time_stamp() + when, Fire{m, mon.gen, addr, mon.data});
  fire_ev_.notify(when);  // an earlier pending notification wins, as wanted
}

void SyncManager::fire_due() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!pending_.empty() && pending_.begin()->first <= now) {
    Fire f = pending_.begin()->second;
    pending_.erase(pending_.begin());
    Monitor& mon = objs_->mon[f.mon];
    if (mon.gen == f.gen) {  // disarm first: the payload may re-arm this very monitor
      mon.armed = false;
      mon.triggered = false;
    }
    ++fires_;
    uint32_t data = f.data;
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    const BusInitiator* who = f.mon >= first_user_mon_ ? &who_ : nullptr;  // the driver's monitors are trusted
    if (bus_access_as(who, noc_, tlm::TLM_WRITE_COMMAND, f.addr, &data, 4, d) != tlm::TLM_OK_RESPONSE) {
      ++payload_errors_;
      if (on_error) on_error(f.mon, f.addr);
    }
  }
  if (!pending_.empty()) fire_ev_.notify(pending_.begin()->first - now);
}

SyncManager::Objects& SyncManager::objs() {
  if (!objs_) objs_ = std::make_unique<Objects>();
  return *objs_;
}

const SyncManager::Objects& SyncManager::view() const {
  static const Objects idle;  // what a manager nobody wrote to reads: all zero, nothing armed
  return objs_ ? *objs_ : idle;
}

void SyncManager::reset() {
  if (objs_) {
    objs_->sob.fill(0);
    for (auto& mon : objs_->mon) {
      uint32_t gen = mon.gen + 1;
      mon = Monitor{};
      mon.gen = gen;
    }
    for (auto& list : objs_->by_group) list.clear();
  }
  first_user_sob_ = first_user_mon_ = 0;
  user_open_.fill(0);
  pending_.clear();
  fire_ev_.cancel();
}

}  // namespace gs
