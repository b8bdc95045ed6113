#include "models/common/instant_end.hpp"

#include <map>
#include <memory>
#include <systemc>
#include "models/common/spawn_method.hpp"

namespace gs {

namespace {

// A method that re-arms itself one delta later while anything else is runnable or notified
// at the current time, then releases every waiter at once.
struct InstantEnd {
  sc_core::sc_event check, done;
  InstantEnd() { spawn_method_on(check, [this] { on_check(); }, "instant_end"); }
  void on_check() {
    if (sc_core::sc_pending_activity_at_current_time())
      check.notify(sc_core::SC_ZERO_TIME);
    else
      done.notify();  // immediate: the waiters run in this evaluation phase
  }
};

InstantEnd& instance() {
  static std::map<sc_core::sc_simcontext*, std::unique_ptr<InstantEnd>> per_simulation;
  std::unique_ptr<InstantEnd>& p = per_simulation[sc_core::sc_get_curr_simcontext()];
  if (!p) p = std::make_unique<InstantEnd>();
  return *p;
}

}  // namespace

void wait_instant_end() {
  InstantEnd& e = instance();
  e.check.notify(sc_core::SC_ZERO_TIME);
  sc_core::wait(e.done);
}

}  // namespace gs
