// Keys of the faults a user injects (docs/reliability.md): a fault script (a file, or the
// same lines inline) and the seed of their random choices.
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"

namespace gs {

struct FaultParams {
  uint64_t seed = 0;   // 0: sim.seed
  std::string script;  // file, one fault per line
  std::string events;  // the same lines inline, separated by ';'

  template <class V> void visit(V& v) {
    v.param("fault.seed", seed, "", "seed of the random choices of injected faults (flap jitter, HBM word); 0 = sim.seed");
    v.param("fault.script", script, kFileUnit,
            "fault script: one fault per line, '<time> <fault> <target> [key=value]...', e.g. '2ms link_down card0.port1' "
            "(docs/reliability.md)");
    v.param("fault.events", events, "", "fault-script lines given inline, separated by ';' (run after fault.script's)");
  }
};

}  // namespace gs
