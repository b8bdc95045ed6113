#include "models/common/instant_end.hpp"

#include <map>
#include <memory>
#include <systemc>

namespace gs {

namespace {

// A method that re-arms itself one delta later while anything else is runnable or notified
// at the current time, then releases every waiter at once.
struct InstantEnd {
  sc_core::sc_event check, done;
  InstantEnd() {
    sc_core::sc_spawn_options o;
    o.spawn_method();
    o.set_sensitivity(&check);
    o.dont_initialize();
    sc_core::sc_spawn([this] { on_check(); }, sc_core::sc_gen_unique_name("instant_end"), &o);
  }
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
