// The simulation-wide dispatchers (instant end, timed-wake order, link arrival order) each run
// one SystemC method process whenever their own event fires, never at start-up.
#pragma once
#include <functional>
#include <systemc>

namespace gs {

// Spawns `body` as a method sensitive to `trigger` alone, named `stem` plus a counter.
inline void spawn_method_on(const sc_core::sc_event& trigger, std::function<void()> body, const char* stem) {
  sc_core::sc_spawn_options o;
  o.spawn_method();
  o.set_sensitivity(&trigger);
  o.dont_initialize();
  sc_core::sc_spawn(std::move(body), sc_core::sc_gen_unique_name(stem), &o);
}

// The same, made as `parent`'s child: a process made on first use belongs to the module whose
// work it does, not to whichever process happened to need it first (which may end).
inline void spawn_method_on(sc_core::sc_module* parent, const sc_core::sc_event& trigger,
                            std::function<void()> body, const char* stem) {
  sc_core::sc_simcontext* sim = sc_core::sc_get_curr_simcontext();
  sim->hierarchy_push(parent);
  spawn_method_on(trigger, std::move(body), stem);
  sim->hierarchy_pop();
}

}  // namespace gs
