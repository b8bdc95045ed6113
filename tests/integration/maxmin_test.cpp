// The flow model's engine: max-min fair rates (progressive filling) and the event loop that
// recomputes them as flows start and finish, with per-queue ordering and tail latency.
#include <gtest/gtest.h>

#include "testbench/flow/maxmin.hpp"

namespace gs {
namespace {

TEST(MaxMin, ClassicExampleBottleneckThenLeftover) {
  // Link 0 (cap 10) carries flows A, B; link 1 (cap 4) carries B, C. Max-min: link 1 fixes
  // B = C = 2, then A takes the rest of link 0: 8.
  std::vector<std::vector<uint32_t>> paths = {{0}, {0, 1}, {1}};
  std::vector<double> cap = {10, 4}, rate;
  max_min_rates(paths, cap, rate);
  EXPECT_DOUBLE_EQ(rate[0], 8);
  EXPECT_DOUBLE_EQ(rate[1], 2);
  EXPECT_DOUBLE_EQ(rate[2], 2);
}

TEST(MaxMin, RatesAreRecomputedWhenAFlowLeaves) {
  // Two flows share one 10 Gb/s link: 1000 bits and 3000 bits. Both at 5 until the small one
  // is done at 200 ns; the big one has 2000 bits left and gets all 10: done at 400 ns.
  std::vector<FluidFlow> f(2);
  f[0].links = f[1].links = {0};
  f[0].bits = 1000, f[1].bits = 3000;
  f[0].lane = 0, f[1].lane = 1;
  f[1].tail_ns = 50;
  MaxMinStats st = run_max_min({10}, f);
  EXPECT_DOUBLE_EQ(f[0].end_ns, 200);
  EXPECT_DOUBLE_EQ(f[1].end_ns, 450);
  EXPECT_EQ(st.recomputes, 2u);
  EXPECT_DOUBLE_EQ(st.max_link_utilisation, 1.0);
}

TEST(MaxMin, FlowsOfOneQueueRunOneAfterAnotherAndArrivalsWait) {
  std::vector<FluidFlow> f(3);
  for (auto& x : f) x.links = {0}, x.bits = 100, x.tail_ns = 10;
  f[0].lane = f[1].lane = 7;        // f[1] waits for f[0] to end (100 + 10)
  f[2].lane = 8, f[2].ready_ns = 500;  // alone on the link from 500
  run_max_min({1}, f);
  EXPECT_DOUBLE_EQ(f[0].end_ns, 110);
  EXPECT_DOUBLE_EQ(f[1].start_ns, 110);
  EXPECT_DOUBLE_EQ(f[1].end_ns, 220);
  EXPECT_DOUBLE_EQ(f[2].start_ns, 500);
  EXPECT_DOUBLE_EQ(f[2].end_ns, 610);
}

TEST(MaxMin, DisjointComponentsDoNotDisturbEachOther) {
  // A flow leaving link 1 must not change the finish time of flows on link 0.
  std::vector<FluidFlow> f(3);
  f[0].links = f[1].links = {0};
  f[0].bits = f[1].bits = 1000;
  f[2].links = {1};
  f[2].bits = 10;
  for (uint32_t i = 0; i < 3; ++i) f[i].lane = i;
  run_max_min({2, 2}, f);
  EXPECT_DOUBLE_EQ(f[0].end_ns, 1000);
  EXPECT_DOUBLE_EQ(f[1].end_ns, 1000);
  EXPECT_DOUBLE_EQ(f[2].end_ns, 5);
}

}  // namespace
}  // namespace gs
