// Queue manager / command processor timing.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct QmanParams {
  double clock_mhz = 1650;          // assumed: QMAN / CP clock
  uint32_t cycles_per_packet = 8;   // assumed: lower-CP cost of one packet
  uint32_t fetch_cycles = 16;       // assumed: upper-CP cost of taking one PQ entry

  template <class V> void visit(V& v) {
    v.param("qman.clock_mhz", clock_mhz, "MHz", "queue manager and command processor clock", Range{100, 5000});
    v.param("qman.cycles_per_packet", cycles_per_packet, "cycles", "lower-CP cycles to execute one packet", Range{1, 1e6});
    v.param("qman.fetch_cycles", fetch_cycles, "cycles", "upper-CP cycles to take one primary-queue entry", Range{0, 1e6});
  }
};

}  // namespace gs
