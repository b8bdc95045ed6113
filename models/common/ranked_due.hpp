// An entry of a same-instant ordering (TimedWake's dispatcher, link arrivals): what is due
// and when, placed among the instant's entries by its owner name's rank (name_rank.hpp:
// strcmp's order of the names), then by scheduling order. 32 bytes: the heaps move entries
// on every push and pop.
#pragma once
#include <algorithm>
#include <cstdint>
#include <systemc>
#include <vector>

namespace gs {

template <class T>
struct RankedDue {
  sc_core::sc_time at;
  uint64_t rank;  // the owner name's rank when scheduled (re-read when ranks are renumbered)
  uint64_t seq;   // scheduling order
  T* who;

  struct Later {  // std heaps keep the largest on top: "largest" = the latest entry
    bool operator()(const RankedDue& a, const RankedDue& b) const {
      if (a.at != b.at) return a.at > b.at;
      if (a.rank != b.rank) return a.rank > b.rank;
      return a.seq > b.seq;
    }
  };

  // Takes the entries of `heap` due at or before `now` off it, in the order above, and hands
  // each to `f` (which may schedule more: they are taken too if due).
  template <class F> static void pop_due(std::vector<RankedDue>& heap, sc_core::sc_time now, F&& f) {
    while (!heap.empty() && heap.front().at <= now) {
      std::pop_heap(heap.begin(), heap.end(), Later());
      const RankedDue e = heap.back();
      heap.pop_back();
      f(e);
    }
  }
};

}  // namespace gs
