// One of GAUDI's four sync managers (E_N, E_S, W_N, W_S): 2048 sync objects (15-bit
// counters) and 512 monitors. A monitor is armed on a group of 8 objects with a mask, a
// mode (>= or ==) and a value; when the condition holds it writes its 32-bit payload to a
// 64-bit device address (a QMAN fence counter, host memory, another sync object) through
// the card's router, monitor_latency_ns later, and disarms.
//
// Bus view: the OBJS block (GAUDI_BLK_SYNC_MNGR_OBJS), offsets decoded arithmetically:
//   SOB_OBJ(i) 0x1000+4i, MON_PAY_ADDRL(m) 0x3000+4m, MON_PAY_ADDRH(m) 0x3800+4m,
//   MON_PAY_DATA(m) 0x4000+4m, MON_ARM(m) 0x4800+4m, MON_STATUS(m) 0x5000+4m (read only).
// Only aligned 32-bit accesses; anything else answers with an error response.
//
// Event driven: an SOB write checks only the monitors armed on its group (an index by
// group); matched monitors go into a time-ordered queue that one SC_METHOD drains.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <systemc>
#include <vector>

#include "models/common/bus_initiator.hpp"
#include "models/common/bus_target.hpp"
#include "models/common/lazy_wake.hpp"
#include "models/sync/sync_params.hpp"
#include "specs/gaudi/regs.h"

namespace gs {

class SyncManager : public sc_core::sc_module, public BusTarget {
 public:
  static constexpr unsigned kSobs = GAUDI_SM_NUM_SOBS;
  static constexpr unsigned kMonitors = GAUDI_SM_NUM_MONITORS;
  static constexpr unsigned kGroups = kSobs / GAUDI_SM_SOBS_PER_MONITOR;
  static constexpr uint32_t kBlockSize = 0x6000;  // bytes of the OBJS block the card maps
  // The four instances, in the Linux driver's order (enum gaudi_sync_mgr_blocks).
  enum Id : unsigned { kEN = 0, kES = 1, kWN = 2, kWS = 3 };

  // `noc` carries the payload writes (device addresses); `access_latency` is added to
  // every bus access, like a register block's.
  SyncManager(sc_core::sc_module_name name, const SyncParams& p, BusTarget& noc,
              sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME);

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;

  // Register access by block offset, as the bus does (false: no such register). A write
  // takes effect at now + delay (monitor fires are timed from there).
  bool write_reg(uint32_t offset, uint32_t value, sc_core::sc_time delay = sc_core::SC_ZERO_TIME);
  bool read_reg(uint32_t offset, uint32_t& value) const;

  // Sync objects. sob_write applies a SOB_OBJ word (bit 31 set: add the low 15 bits modulo
  // 2^15; clear: set them), exactly like a bus write; used by engines that signal directly.
  uint32_t sob(unsigned i) const { return i < kSobs ? view().sob[i] : 0; }
  void sob_write(unsigned i, uint32_t value_word, sc_core::sc_time delay = sc_core::SC_ZERO_TIME);

  // Monitors. armed(): waiting for its condition or for its payload write to go out.
  bool armed(unsigned m) const { return m < kMonitors && view().mon[m].armed; }
  uint32_t mon_status(unsigned m) const;  // MON_STATUS value

  // Hard reset: objects to 0, monitors disarmed and cleared, pending payloads dropped,
  // driver ranges back to 0.
  void reset();

  // The driver's ranges (GSIM_SM_GLBL_FIRST_USER_*): user accesses below them are refused
  // (on_razwi, error response); monitors from `mon` on send user payloads as `initiator_id`.
  void set_user_floor(unsigned sob, unsigned mon) { first_user_sob_ = sob; first_user_mon_ = mon; }
  // GSIM_SM_GLBL_USER_SOB_OPEN word w: objects below the floor that users may touch anyway.
  void set_user_open(unsigned w, uint32_t bits) {
    if (w < user_open_.size()) user_open_[w] = bits;
  }
  unsigned first_user_sob() const { return first_user_sob_; }
  unsigned first_user_mon() const { return first_user_mon_; }
  void set_initiator(uint32_t id, const char* name) { who_ = BusInitiator(id, name); }
  // initiator, block offset, write?
  std::function<void(const BusInitiator&, uint32_t, bool)> on_razwi;

  // Called when a payload write fails (address error, host unreachable, ...).
  std::function<void(unsigned mon, uint64_t addr)> on_error;

  bool objects_made() const { return objs_ != nullptr; }  // false until the first write to them
  uint64_t sob_writes() const { return sob_writes_; }
  uint64_t monitor_arms() const { return arms_; }
  uint64_t monitor_fires() const { return fires_; }      // payload writes issued
  uint64_t payload_errors() const { return payload_errors_; }
  uint64_t bad_accesses() const { return bad_accesses_; }  // bus accesses answered with an error

 private:
  struct Monitor {
    uint32_t addr_lo = 0, addr_hi = 0, data = 0, arm = 0;
    bool armed = false;
    bool triggered = false;  // condition met, payload write scheduled
    uint32_t gen = 0;        // bumps on every arm and reset: stale fires disarm nothing
  };
  struct Fire {
    unsigned mon;
    uint32_t gen;
    uint64_t addr;
    uint32_t data;
  };

  void arm(unsigned m, uint32_t value, sc_core::sc_time delay);
  bool condition(const Monitor& mon) const;
  uint32_t pending_mask(const Monitor& mon) const;  // selected objects not yet satisfied
  void check_group(unsigned group, sc_core::sc_time delay);
  void trigger(unsigned m, sc_core::sc_time delay);
  void unindex(unsigned m);
  void fire_due();  // the wake's action

  const SyncParams& p_;
  BusTarget& noc_;
  sc_core::sc_time latency_;
  // The objects and monitors (22 KB), made at the first write to them: most managers of a
  // large run are never used, and an idle card's memory is what limits the card count.
  struct Objects {
    std::array<uint16_t, kSobs> sob{};
    std::array<Monitor, kMonitors> mon{};
    std::array<std::vector<uint16_t>, kGroups> by_group;  // armed, untriggered monitors
  };
  Objects& objs();             // made on first use
  const Objects& view() const;  // all zero until made
  std::unique_ptr<Objects> objs_;
  std::multimap<sc_core::sc_time, Fire> pending_;        // equal times keep arrival order
  LazyWake fire_ev_{this, "", "fire_due", [this] { fire_due(); }};  // a fixed order among the instant's wakes (lazy_wake.hpp)
  bool user_may_access(uint32_t offset) const;
  unsigned first_user_sob_ = 0, first_user_mon_ = 0;
  std::array<uint32_t, kSobs / 32> user_open_{};
  BusInitiator who_;
  uint64_t sob_writes_ = 0, arms_ = 0, fires_ = 0, payload_errors_ = 0, bad_accesses_ = 0;
};

}  // namespace gs
