// A priority queue of RankedDue entries bucketed by instant: it hands entries out in exactly
// a binary heap's (time, rank, seq) order, for less work when many entries share a few times.
// Every box of a fabric run acts at the same simulated instants, so TimedWake's dispatcher and
// the link arrivals hold hundreds of entries per instant: a heap moved each of them through
// log2(size) levels on every pop, here an entry is appended to its instant's vector and the
// vector is sorted (nearly always already in order: wakes of one instant re-arm in that
// instant's order) when the instant comes. Entries added to the instant being handed out (a
// zero-delay arrival) are merged into what is left of it, in order.
#pragma once
#include <algorithm>
#include <cstdint>
#include <systemc>
#include <utility>
#include <vector>

#include "models/common/ranked_due.hpp"

namespace gs {

// E: a RankedDue<T>, or a struct with the same at, rank and seq that carries more (a link's
// arrival carries its frame); entries are moved, never copied, while queued.
template <class T, class E = RankedDue<T>>
class InstantQueue {
 public:
  using Entry = E;

  // What a heap would say: the entries of the instant being handed out are gone as soon as
  // they are handed out (its bucket stays until the hand-out ends).
  bool empty() const { return order_.size() <= 1 && (order_.empty() || handed_out(order_.back())); }
  size_t size() const {
    size_t n = 0;
    for (uint32_t b : order_) n += buckets_[b].items.size() - (b == active_ ? pos_ : 0);
    return n;
  }
  // The earliest entry's time (not empty()).
  sc_core::sc_time next_time() const {
    const uint32_t b = order_.back();
    return buckets_[handed_out(b) ? order_[order_.size() - 2] : b].at;
  }

  __attribute__((always_inline)) void push(Entry e) {
    uint32_t b;
    if (last_[0] != kNone && buckets_[last_[0]].at == e.at) {
      b = last_[0];
    } else if (last_[1] != kNone && buckets_[last_[1]].at == e.at) {
      b = last_[1];
      std::swap(last_[0], last_[1]);
    } else {
      b = remember(bucket_for(e.at));
    }
    if (b == active_) return merge_into_active(std::move(e));
    Bucket& k = buckets_[b];
    if (!k.items.empty()) {
      const Entry& last = k.items.back();
      if (k.sorted && Less()(e, last)) k.sorted = false;
      if (k.descending && !(e.rank < last.rank)) k.descending = false;
    }
    k.items.push_back(std::move(e));
  }

  // Takes the entries due at or before `now` off, in (time, rank, seq) order, and hands each
  // to `f` (which may push more, remove some, or re-rank: those due are taken too).
  template <class F> void pop_due(sc_core::sc_time now, F&& f) {
    while (!order_.empty() && buckets_[order_.back()].at <= now) {
      const uint32_t b = order_.back();
      std::vector<Entry>& items = buckets_[b].items;
      if (!buckets_[b].sorted) {
        if (buckets_[b].descending)
          std::reverse(items.begin(), items.end());  // ranks all differ: this is their order
        else
          std::sort(items.begin(), items.end(), Less());
      }
      buckets_[b].sorted = true;
      active_ = b;
      pos_ = 0;
      while (pos_ < buckets_[b].items.size()) {
        Entry e = std::move(buckets_[b].items[pos_++]);  // `f` may push into this bucket
        f(static_cast<const Entry&>(e));
      }
      active_ = kNone;
      // Pushes meanwhile were later or into this instant, and removals never drop the bucket
      // being handed out: it is still the earliest.
      release(b);
      order_.pop_back();
    }
  }

  // During pop_due: the entry `k` (>= 1) places after the one being handed out, if the
  // instant has one (a caller asks for what it will read then while it works on this one).
  const Entry* ahead(size_t k) const {
    if (active_ == kNone) return nullptr;
    const std::vector<Entry>& v = buckets_[active_].items;
    return pos_ - 1 + k < v.size() ? &v[pos_ - 1 + k] : nullptr;
  }

  // Drops the entries `pred` holds true of (not yet handed out).
  template <class P> void remove_if(P&& pred) {
    for (size_t i = order_.size(); i-- > 0;) {
      const uint32_t b = order_[i];
      std::vector<Entry>& v = buckets_[b].items;
      const size_t from = b == active_ ? pos_ : 0;
      v.erase(std::remove_if(v.begin() + long(from), v.end(), pred), v.end());
      if (v.empty() && b != active_) {
        release(b);
        order_.erase(order_.begin() + long(i));
      }
    }
  }

  // The ranks were renumbered: `rank_of(entry)` gives each its new one; the order is rebuilt.
  template <class R> void rerank(R&& rank_of) {
    for (uint32_t b : order_) {
      Bucket& k = buckets_[b];
      for (Entry& e : k.items) e.rank = rank_of(e);
      const size_t from = b == active_ ? pos_ : 0;
      std::sort(k.items.begin() + long(from), k.items.end(), Less());
      k.sorted = true;
      k.descending = k.items.size() - from <= 1;  // the pushes so far are in order now
    }
  }

 private:
  static constexpr uint32_t kNone = ~uint32_t(0);
  // Within one bucket: every entry has its time.
  struct Less {
    bool operator()(const Entry& a, const Entry& b) const { return a.rank != b.rank ? a.rank < b.rank : a.seq < b.seq; }
  };
  struct Bucket {
    sc_core::sc_time at;
    std::vector<Entry> items;  // kept when the bucket is reused: no allocation once grown
    bool sorted = true;
    // Pushed in strictly falling rank order so far: the kernel runs a delta's methods in the
    // reverse order of their notifications, so what methods woken in one delta schedule
    // comes in that order, and reversing is all the sorting such a bucket needs. (Frames
    // started at their ports' frame ends come in rising order: already sorted.)
    bool descending = true;
  };

  // Into the rest of the instant being handed out, in order.
  __attribute__((noinline)) void merge_into_active(Entry e) {
    std::vector<Entry>& v = buckets_[active_].items;
    const auto at = std::upper_bound(v.begin() + long(pos_), v.end(), e, Less());
    v.insert(at, std::move(e));
  }

  uint32_t remember(uint32_t b) {
    last_[1] = last_[0];
    last_[0] = b;
    return b;
  }

  // The bucket of instant `at`, made if there is none. order_ holds the live buckets from
  // the latest instant to the earliest (pops from the back). Boxes acting in step keep few
  // instants live; an asynchronous fabric (the 1024-endpoint fat-tree permutation) keeps
  // thousands, and a new instant's insertion near the front moves them all (about 2 % of that
  // run's samples): a heap of instants would bound that if it grows.
  __attribute__((noinline)) uint32_t bucket_for(sc_core::sc_time at) {
    auto it = std::lower_bound(order_.begin(), order_.end(), at,
                               [this](uint32_t b, sc_core::sc_time t) { return buckets_[b].at > t; });
    if (it != order_.end() && buckets_[*it].at == at) return *it;
    uint32_t b;
    if (!free_.empty()) {
      b = free_.back();
      free_.pop_back();
    } else {
      b = uint32_t(buckets_.size());
      buckets_.emplace_back();
    }
    buckets_[b].at = at;
    buckets_[b].sorted = true;
    buckets_[b].descending = true;
    order_.insert(it, b);
    return b;
  }

  bool handed_out(uint32_t b) const { return b == active_ && pos_ == buckets_[b].items.size(); }

  void release(uint32_t b) {
    buckets_[b].items.clear();
    free_.push_back(b);
    for (uint32_t& l : last_)
      if (l == b) l = kNone;
  }

  std::vector<Bucket> buckets_;
  std::vector<uint32_t> order_;  // live buckets, latest instant first
  std::vector<uint32_t> free_;   // buckets to reuse
  // The buckets of the last pushes, latest first (pushes come in runs of one or two instants:
  // a port's end of frame and its frame's arrival).
  uint32_t last_[2] = {kNone, kNone};
  uint32_t active_ = kNone;      // the bucket pop_due is handing out
  size_t pos_ = 0;               // its next entry
};

}  // namespace gs
