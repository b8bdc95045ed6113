// Integer stand-ins for names in the same-instant orderings (TimedWake's dispatcher, link
// arrivals): comparing two ranks gives what strcmp of the two names gives, without reading
// the strings. Those orderings sort entries of one instant by owner name on every push and
// pop of their heaps; with strcmp that was a few percent of a packet-level run.
//
// One registry per process holds every name ranked so far. A name's rank is a 64-bit label
// placed between its neighbours' (list labelling); when there is no room left the labels of
// a neighbourhood are spread out again, which keeps their order but changes their values:
// epoch() then moves on, and whoever holds copies of ranks re-reads them from the cells.
// The order is a function of the names alone, so a partitioned run, whose processes hold
// different subsets of the owners, orders every instant as one process does.
#pragma once
#include <cstdint>

namespace gs::name_rank {

// The rank cell of `name` (NUL-terminated; registered on the first call, kept for the
// process). The cell's address never changes; its value may (see epoch()).
const uint64_t* cell(const char* name);

namespace detail {
extern uint64_t epoch;
}
// Moves on whenever existing ranks were renumbered (their order unchanged). Read per
// scheduled entry by the orderings, hence inline.
inline uint64_t epoch() { return detail::epoch; }

// Names registered so far (tests, statistics).
uint64_t size();

}  // namespace gs::name_rank
