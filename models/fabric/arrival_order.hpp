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
#include "models/fabric/packet.hpp"

namespace gs {

class Link;

class ArrivalOrder {
 public:
  // The one of the current simulation (created with the first link, during elaboration).
  static ArrivalOrder& get();
  // `link`'s frame number `seq`, `frame`, arrives at `at` (>= now).
  void schedule(sc_core::sc_time at, Link* link, uint64_t seq, PacketPtr frame);
  // A link being destroyed: its frames still in flight are dropped.
  void forget(const Link* link);

 private:
  ArrivalOrder();
  void deliver_due();
  // A RankedDue<Link> (rank: the link name's) naming its frame's slot: the links keep no
  // queues of frames in flight of their own (a queue per link is a few more cache lines per
  // frame in a large fabric), and the entry stays a plain value, cheap to move when an
  // instant's entries are sorted.
  struct Entry {
    sc_core::sc_time at;
    uint64_t rank;
    uint64_t seq;
    Link* who;
    uint32_t slot;  // in frames_
  };
  void reread_ranks();
  static constexpr size_t kAhead = 4;  // how far ahead deliver_due asks for lines
  // By instant: no allocation per frame once the instants' vectors have grown.
  InstantQueue<Link, Entry> due_;
  // The frames in flight. Freed slots are reused last in, first out: the few in use at once
  // stay in the caches.
  std::vector<PacketPtr> frames_;
  std::vector<uint32_t> free_slots_;
  uint64_t epoch_;  // of the ranks copied into due_
  // Through the TimedWake dispatcher, owner "" (first): at every instant the arrivals are
  // delivered before any other timed wake of that instant runs, in every run.
  TimedWake wake_{"", [this] { deliver_due(); }};
};

}  // namespace gs
