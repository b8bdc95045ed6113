// Frames that arrive at the same instant on different links are delivered in one fixed
// order: by arrival time, then link name, then sending order. With one delivery process
// per link the kernel's order decided it, and that order differs between a single-process
// and a partitioned run (where a cut link's frames are injected between windows); receivers
// that then contend for a shared resource (a card's PCIe or HBM server) would see another
// order and finish at other times.
#pragma once
#include <cstdint>
#include <systemc>
#include <vector>

#include "models/common/instant_queue.hpp"
#include "models/common/timed_wake.hpp"

namespace gs {

class Link;

class ArrivalOrder {
 public:
  // The one of the current simulation (created with the first link, during elaboration).
  static ArrivalOrder& get();
  // `link`'s frame number `seq` arrives at `at` (>= now).
  void schedule(sc_core::sc_time at, Link* link, uint64_t seq);
  // A link being destroyed: its frames still in flight are dropped.
  void forget(const Link* link);

 private:
  ArrivalOrder();
  void deliver_due();
  using Entry = RankedDue<Link>;  // rank: the link name's
  void reread_ranks();
  // By instant: no allocation per frame once the instants' vectors have grown.
  InstantQueue<Link> due_;
  uint64_t epoch_;  // of the ranks copied into due_
  // Through the TimedWake dispatcher, owner "" (first): at every instant the arrivals are
  // delivered before any other timed wake of that instant runs, in every run.
  TimedWake wake_{"", [this] { deliver_due(); }};
};

}  // namespace gs
