// DmaCore timing: copies cost what the slower memory, the channel's own rate and the
// sharing of a memory between engines say, and the bytes arrive intact.
#include "dma_world.hpp"

namespace gs::test {
namespace {

TEST(DmaCore, CopiesOneMebibyteHbmToHbm) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 64 << 20, 1000, 120);
  auto& dma = w.add_dma(2);
  const size_t n = 1 << 20;
  auto src = pattern(n, 7);
  hbm.store().write(0x100000, src.data(), n);
  JobDone d;
  w.run([&] {
    // The context id's high byte rides in dst bits 63..56: it is not part of the address.
    ASSERT_TRUE(dma.start_lin_dma(lin(0x100000, 0x1000000, n, 0, 0xAB12), d.cb()));
    EXPECT_FALSE(dma.idle());
  });
  ASSERT_EQ(d.calls, 1);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(read_back(hbm, 0x1000000, n), src);
  EXPECT_EQ(dma.bytes_moved(), n);
  EXPECT_EQ(dma.jobs_done(), 1u);
  EXPECT_TRUE(dma.idle());
  // Engine bound (200 GB/s against a 1 TB/s memory): setup + n / 200 GB/s + one chunk's tail.
  double floor_ns = 100 + n / 200.0;
  EXPECT_GE(to_ns(d.at), floor_ns);
  EXPECT_LE(to_ns(d.at), floor_ns + 500);
  EXPECT_EQ(dma.busy_time(), d.at);
}

TEST(DmaCore, SlowerMemorySetsTheTimeInBothDirections) {
  DmaWorld w;
  w.add_mem("a", 0, 16 << 20, 50, 100);
  auto& b = w.add_mem("b", kB, 16 << 20, 20, 100);
  auto& dma = w.add_dma(3);
  const size_t n = 4 << 20;
  JobDone d1, d2;
  sc_time t1, t2;
  w.run([&] {
    sc_time s = sc_core::sc_time_stamp();
    dma.start_lin_dma(lin(0, kB, n), d1.cb());
    while (!dma.idle()) sc_core::wait(dma.idle_event());
    t1 = sc_core::sc_time_stamp() - s;
    s = sc_core::sc_time_stamp();
    dma.start_lin_dma(lin(kB, 8 << 20, n), d2.cb());  // back, into another part of a
    while (!dma.idle()) sc_core::wait(dma.idle_event());
    t2 = sc_core::sc_time_stamp() - s;
  });
  ASSERT_TRUE(d1.ok && d2.ok);
  expect_near(t1, n / 20.0, 0.03);  // write bound: b takes 20 GB/s
  expect_near(t2, n / 20.0, 0.03);  // read bound
  EXPECT_EQ(b.server().bytes_served(), 2 * n);
}

TEST(DmaCore, EngineRateCapsACopy) {
  DmaWorld w;
  w.dp.engine_gbps = 10;
  w.add_mem("a", 0, 16 << 20, 1000, 100);
  w.add_mem("b", kB, 16 << 20, 1000, 100);
  auto& dma = w.add_dma(4);
  const size_t n = 4 << 20;
  JobDone d;
  w.run([&] { dma.start_lin_dma(lin(0, kB, n), d.cb()); });
  ASSERT_TRUE(d.ok);
  expect_near(d.at, n / 10.0, 0.03);
  EXPECT_GE(to_ns(d.at), 100 + n / 10.0);  // never faster than the channel
}

TEST(DmaCore, TwoEnginesSharingAMemoryEachTakeTwiceAsLong) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 64 << 20, 100, 50);
  auto& d0 = w.add_dma(2);
  auto& d1 = w.add_dma(3);
  const size_t n = 2 << 20;
  JobDone alone, a, b;
  sc_time t_alone, start;
  w.run([&] {
    d0.start_lin_dma(lin(0, 8 << 20, n), alone.cb());
    sc_core::wait(d0.idle_event());
    t_alone = alone.at;
    sc_core::wait(ns(1000));
    start = sc_core::sc_time_stamp();
    d0.start_lin_dma(lin(16 << 20, 24 << 20, n), a.cb());
    d1.start_lin_dma(lin(32 << 20, 40 << 20, n), b.cb());
  });
  ASSERT_TRUE(alone.ok && a.ok && b.ok);
  expect_near(t_alone, 2.0 * n / 100, 0.03);  // a copy crosses the memory twice
  EXPECT_NEAR(to_ns(a.at - start) / to_ns(t_alone), 2.0, 0.05);
  EXPECT_NEAR(to_ns(b.at - start) / to_ns(t_alone), 2.0, 0.05);
  EXPECT_EQ(read_back(hbm, 24 << 20, n), read_back(hbm, 16 << 20, n));
}

}  // namespace
}  // namespace gs::test
