// InstantQueue hands entries out in exactly the order of a binary heap of the same entries
// (what TimedWake's dispatcher and the link arrivals used before), on random inputs with many
// equal instants, entries pushed into the instant being handed out, removals and re-ranking.
#include "models/common/instant_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace gs {
namespace {

struct Owner {
  uint64_t rank = 0;
};
using Entry = RankedDue<Owner>;

// The reference: the heap and pop loop the dispatchers used.
struct HeapQueue {
  std::vector<Entry> h;
  bool empty() const { return h.empty(); }
  sc_core::sc_time next_time() const { return h.front().at; }
  void push(const Entry& e) {
    h.push_back(e);
    std::push_heap(h.begin(), h.end(), Entry::Later());
  }
  template <class F> void pop_due(sc_core::sc_time now, F&& f) {
    while (!h.empty() && h.front().at <= now) {
      std::pop_heap(h.begin(), h.end(), Entry::Later());
      const Entry e = h.back();
      h.pop_back();
      f(e);
    }
  }
  template <class P> void remove_if(P&& p) {
    h.erase(std::remove_if(h.begin(), h.end(), p), h.end());
    std::make_heap(h.begin(), h.end(), Entry::Later());
  }
  template <class R> void rerank(R&& r) {
    for (Entry& e : h) e.rank = r(e);
    std::make_heap(h.begin(), h.end(), Entry::Later());
  }
};

struct Handed {
  sc_core::sc_time at;
  uint64_t seq;
  const Owner* who;
  bool operator==(const Handed& o) const { return at == o.at && seq == o.seq && who == o.who; }
};

// One random scenario run on queue Q: every entry handed out, in order, and the earliest
// pending time after each step (what the dispatchers wake their method for).
template <class Q> std::vector<Handed> run(uint64_t seed, std::vector<sc_core::sc_time>* fronts) {
  std::mt19937_64 rng(seed);
  std::vector<Owner> owners(40);
  for (size_t i = 0; i < owners.size(); ++i) owners[i].rank = (i * 7919) % 1000 * 16;  // distinct ranks
  Q q;
  uint64_t seq = 0;
  std::vector<Handed> out;
  auto add = [&](sc_core::sc_time at) {
    Owner& o = owners[rng() % owners.size()];
    q.push({at, o.rank, seq++, &o});
  };
  auto rank_of = [](const Entry& e) { return e.who->rank; };
  sc_core::sc_time now = sc_core::SC_ZERO_TIME;
  const sc_core::sc_time step(10, sc_core::SC_NS);
  for (int round = 0; round < 400; ++round) {
    // A few instants ahead, each with many entries (and some pushed out of order).
    const int n = int(rng() % 30);
    for (int i = 0; i < n; ++i) add(now + step * double(1 + rng() % 4));
    if (rng() % 10 == 0) {  // an owner destroyed: its entries go
      const Owner* gone = &owners[rng() % owners.size()];
      q.remove_if([gone](const Entry& e) { return e.who == gone; });
    }
    if (!q.empty()) fronts->push_back(q.next_time());
    now += step;
    q.pop_due(now, [&](const Entry& e) {
      out.push_back({e.at, e.seq, e.who});
      const unsigned r = unsigned(rng() % 20);
      if (r < 4) add(now);  // same instant, during the hand-out: merged in order
      if (r == 4 || r == 7) add(now + step * double(1 + rng() % 3));
      if (r == 5) {  // an owner of this instant destroyed meanwhile
        const Owner* gone = &owners[rng() % owners.size()];
        q.remove_if([gone](const Entry& x) { return x.who == gone; });
      }
      if (r == 6) {  // ranks renumbered, their order kept
        for (Owner& o : owners) o.rank = o.rank * 3 + 5;
        q.rerank(rank_of);
      }
      // What the dispatchers read after each push during a hand-out: the earliest pending
      // entry's time (the instant's next, or the next instant after its last).
      fronts->push_back(q.empty() ? sc_core::SC_ZERO_TIME : q.next_time());
    });
    if (!q.empty()) fronts->push_back(q.next_time());
  }
  q.pop_due(now + step * 10.0, [&](const Entry& e) { out.push_back({e.at, e.seq, e.who}); });
  EXPECT_TRUE(q.empty());
  return out;
}

TEST(InstantQueue, HandsOutInTheHeapsOrder) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<sc_core::sc_time> heap_fronts, bucket_fronts;
    const std::vector<Handed> want = run<HeapQueue>(seed, &heap_fronts);
    const std::vector<Handed> got = run<InstantQueue<Owner>>(seed, &bucket_fronts);
    ASSERT_GT(want.size(), 1000u);
    ASSERT_TRUE(got == want) << "seed " << seed;
    ASSERT_TRUE(bucket_fronts == heap_fronts) << "seed " << seed;
  }
}

TEST(InstantQueue, EntriesOfOneInstantByRankThenSeq) {
  Owner a{30}, b{10}, c{20};
  InstantQueue<Owner> q;
  const sc_core::sc_time t(5, sc_core::SC_NS), later(9, sc_core::SC_NS);
  q.push({later, a.rank, 0, &a});
  q.push({t, a.rank, 1, &a});
  q.push({t, b.rank, 2, &b});
  q.push({t, c.rank, 3, &c});
  q.push({t, b.rank, 4, &b});
  EXPECT_EQ(q.next_time(), t);
  EXPECT_EQ(q.size(), 5u);
  std::vector<uint64_t> seqs;
  q.pop_due(t, [&](const Entry& e) {
    seqs.push_back(e.seq);
    if (e.seq == 2) q.push({t, c.rank, 5, &c});  // before a's entry, after c's first
  });
  EXPECT_EQ(seqs, (std::vector<uint64_t>{2, 4, 3, 5, 1}));
  EXPECT_EQ(q.next_time(), later);
  q.remove_if([&](const Entry& e) { return e.who == &a; });
  EXPECT_TRUE(q.empty());
}

// Buckets filled in falling rank order (ports woken in the reverse of their order) are
// reversed instead of sorted: only while every rank is below the one before; an equal rank
// (its entries must stay in scheduling order) or a rise makes the bucket sorted instead.
TEST(InstantQueue, BucketsFilledInFallingRankOrder) {
  Owner o[4] = {{10}, {20}, {30}, {40}};
  const sc_core::sc_time t(5, sc_core::SC_NS), u(6, sc_core::SC_NS), v(7, sc_core::SC_NS);
  InstantQueue<Owner> q;
  uint64_t seq = 0;
  for (int i = 3; i >= 0; --i) q.push({t, o[i].rank, seq++, &o[i]});  // seq 0..3: 40, 30, 20, 10
  q.push({u, o[3].rank, seq++, &o[3]});  // seq 4..7: 40, 20, 20, 10
  q.push({u, o[1].rank, seq++, &o[1]});
  q.push({u, o[1].rank, seq++, &o[1]});
  q.push({u, o[0].rank, seq++, &o[0]});
  q.push({v, o[2].rank, seq++, &o[2]});  // seq 8..10: 30, 10, 40
  q.push({v, o[0].rank, seq++, &o[0]});
  q.push({v, o[3].rank, seq++, &o[3]});
  std::vector<uint64_t> seqs;
  q.pop_due(v, [&](const Entry& e) { seqs.push_back(e.seq); });
  EXPECT_EQ(seqs, (std::vector<uint64_t>{3, 2, 1, 0, 7, 5, 6, 4, 9, 8, 10}));
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace gs

namespace gs {
namespace {

// ahead(k) names the entry k places after the one being handed out, within its instant,
// even when the instant's bucket was sorted or an entry was merged into it meanwhile.
TEST(InstantQueue, AheadNamesTheEntriesStillToComeInThisInstant) {
  InstantQueue<Owner> q;
  Owner o[4];
  const sc_core::sc_time t(10, sc_core::SC_NS), later(20, sc_core::SC_NS);
  for (unsigned i = 0; i < 4; ++i) o[i].rank = 3 - i;  // falling ranks: the bucket is reversed
  for (unsigned i = 0; i < 4; ++i) q.push({t, o[i].rank, i, &o[i]});
  q.push({later, 0, 9, &o[0]});
  EXPECT_EQ(q.ahead(1), nullptr);  // nothing is being handed out
  std::vector<uint64_t> seen, next1, next2;
  bool merged = false;
  q.pop_due(t, [&](const Entry& e) {
    seen.push_back(e.rank);
    const Entry* a = q.ahead(1);
    const Entry* b = q.ahead(2);
    next1.push_back(a ? a->rank : 99);
    next2.push_back(b ? b->rank : 99);
    if (!merged) {  // an entry of this instant ranked between the next two
      merged = true;
      q.push({t, 1, 20, &o[2]});
    }
  });
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1, 1, 2, 3}));
  EXPECT_EQ(next1, (std::vector<uint64_t>{1, 1, 2, 3, 99}));
  EXPECT_EQ(next2, (std::vector<uint64_t>{2, 2, 3, 99, 99}));
  EXPECT_FALSE(q.empty());
}

}  // namespace
}  // namespace gs
