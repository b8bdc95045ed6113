// An entry of a same-instant ordering (TimedWake's dispatcher, link arrivals): what is due
// and when, placed among the instant's entries by its owner name's rank (name_rank.hpp:
// strcmp's order of the names), then by scheduling order (instant_queue.hpp hands them out
// in this order). 32 bytes.
#pragma once
#include <cstdint>
#include <systemc>

namespace gs {

template <class T>
struct RankedDue {
  sc_core::sc_time at;
  uint64_t rank;  // the owner name's rank when scheduled (re-read when ranks are renumbered)
  uint64_t seq;   // scheduling order
  T* who;

  struct Later {  // "a after b"
    bool operator()(const RankedDue& a, const RankedDue& b) const {
      if (a.at != b.at) return a.at > b.at;
      if (a.rank != b.rank) return a.rank > b.rank;
      return a.seq > b.seq;
    }
  };
};

}  // namespace gs
