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

// A name's rank kept beside whoever reads it for every entry it schedules (a wake, a link):
// the cell is a node of the registry's tree, a cache miss away in a large fabric, so its
// value is copied here and read again only when the epoch has moved on since.
class RankCopy {
 public:
  bool ready() const { return cell_ != nullptr; }
  void bind(const char* name) {
    cell_ = cell(name);
    epoch_ = ~uint64_t(0);
  }
  void unbind() { cell_ = nullptr; }
  const uint64_t* cell_ptr() const { return cell_; }
  // The current rank (ready() only).
  uint64_t value() {
    if (epoch_ != detail::epoch) {
      value_ = *cell_;
      epoch_ = detail::epoch;
    }
    return value_;
  }

 private:
  const uint64_t* cell_ = nullptr;
  uint64_t value_ = 0;
  uint64_t epoch_ = ~uint64_t(0);  // of value_; never a real epoch until bound and read
};

}  // namespace gs::name_rank
