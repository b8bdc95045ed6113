// A timeline of the simulation in the Chrome trace-event format (opens in Perfetto and
// chrome://tracing): one process per top-level module (card3, leaf0, ...), one track per
// engine or port inside it. Off unless the testbench starts it (sim.trace); each hook then
// costs a map look-up and, for busy periods, a merge with the track's previous span.
//
// Size is bounded: spans of the same name on a track that touch, overlap or lie closer than
// merge_gap are merged into one busy period (so a port sending back-to-back frames is one
// span, not one per frame); after max_events written events the rest are counted, not kept.
#pragma once
#include <cstdint>
#include <string>
#include <systemc>

namespace gs::trace {

struct Options {
  std::string path;                                    // where finish() writes the JSON
  uint64_t max_events = 1000000;                       // written events at most
  sc_core::sc_time merge_gap = sc_core::SC_ZERO_TIME;  // merge spans closer than this
};

struct Summary {
  uint64_t events = 0;   // written
  uint64_t merged = 0;   // spans folded into a neighbour
  uint64_t dropped = 0;  // past max_events
};

void start(const Options& options);
bool enabled();

// Busy from start to end on `who`'s track (`lane` tells apart several tracks of one object,
// e.g. "tx"; may be empty). `name` must be a string literal (kept by pointer).
void span(const sc_core::sc_object& who, const char* lane, const char* name,
          sc_core::sc_time start, sc_core::sc_time end);

// A sampled value (queue depth, paused priorities) on `who`'s counter track `name`.
void counter(const sc_core::sc_object& who, const char* name, sc_core::sc_time at, double value);

// Writes the file and turns tracing off. Throws std::runtime_error if it cannot be written.
Summary finish();

}  // namespace gs::trace
