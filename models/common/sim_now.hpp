// The current simulated time, inline: sc_core::sc_time_stamp() is a call into the SystemC
// library, made about twenty times per frame-hop on the fabric's paths; this reads the same
// field of the current simulation context without the call.
#pragma once
#include <systemc>

namespace gs {

inline const sc_core::sc_time& sim_now() { return sc_core::sc_get_curr_simcontext()->time_stamp(); }

}  // namespace gs
