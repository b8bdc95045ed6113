// QMAN ordering: FENCE released by another stream and by a timed WAIT, REPEAT loops, ring
// wrap-around, host-resident queues. Times are exact, worked out from qman_world.hpp.
#include "qman_world.hpp"

namespace gs::test {
namespace {

using sc_core::wait;

TEST(QmanSync, FenceIsReleasedByAnotherStreamsFenceWrite) {
  QmanWorld w;
  w.build();
  uint32_t sts_while_waiting = 0;
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.setup_stream(1, 0x11000, 4);
    w.enable();
    Cb waiter;
    waiter.add(gaudi_pkt_fence(2, 1, 1, 0)).add(msg_timestamp(0x1000));
    w.submit(0, 0x20000, waiter);
    wait(ns(2000));
    sts_while_waiting = w.rd(GAUDI_QM_CP_STS(0));
    EXPECT_EQ(w.get32(0x1000), 0u);
    Cb signaller;  // what a sync-manager monitor does: write CP_FENCE2_RDATA_0
    signaller.add(msg_timestamp(0x1004)).add(msg_long(QmanWorld::reg_addr(GAUDI_QM_CP_FENCE_RDATA(2, 0)), 1));
    w.submit(1, 0x21000, signaller);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(sts_while_waiting, GAUDI_QM_CP_STS_FENCE_IN_PROGRESS_MASK | 2u << GAUDI_QM_CP_STS_FENCE_ID_SHIFT);
  uint32_t b = w.get32(0x1004), a = w.get32(0x1000);
  // signaller: its timestamp write, then the fence write (router hop + register access);
  // the waiter's next packet starts once that write has landed.
  double fence_lands = b + w.write_ns() + w.pkt_ns() + w.hop_ns + w.reg_ns;
  EXPECT_EQ(a, uint32_t(fence_lands + w.pkt_ns()));
  EXPECT_EQ(w.qm->fence(0, 2), 0u);  // decremented by the FENCE
  EXPECT_EQ(w.qm->fence(1, 2), 0u);  // the other stream's counters are untouched
}

TEST(QmanSync, FenceIsReleasedByATimedWait) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(2, 0x10000, 4);
    w.enable();
    Cb cb;
    cb.add(gaudi_pkt_wait(100, 1, 0)).add(gaudi_pkt_fence(0, 1, 1, 0)).add(msg_timestamp(0x1000));
    w.submit(2, 0x20000, cb);
  });
  EXPECT_TRUE(w.errors.empty());
  // WAIT: its packet cost plus 100 cycles; FENCE: satisfied at once; then the timestamp.
  double t = w.cb_fetched_ns(0, 32) + w.pkt_ns() + 100 * w.cycle_ns() + w.pkt_ns() + w.pkt_ns();
  EXPECT_EQ(t, 377.0);
  EXPECT_EQ(w.get32(0x1000), uint32_t(t));
  EXPECT_EQ(w.qm->fence(2, 0), 0u);
}

TEST(QmanSync, FenceWaitsForTheFullTargetAndKeepsTheRest) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.submit(0, 0x20000, Cb().add(gaudi_pkt_fence(1, 3, 2, 0)).add(msg_long(0x1000, 1)));
    wait(ns(1000));
    w.wr(GAUDI_QM_CP_FENCE_RDATA(1, 0), 2);
    wait(ns(1000));
    EXPECT_EQ(w.get32(0x1000), 0u);  // 2 < 3: still waiting
    w.wr(GAUDI_QM_CP_FENCE_RDATA(1, 0), 2);
  });
  EXPECT_EQ(w.get32(0x1000), 1u);
  EXPECT_EQ(w.qm->fence(0, 1), 2u);  // 4 - dec_val 2
}

TEST(QmanSync, RepeatRunsTheBodyCountPlusOneTimes) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    Cb cb;  // body: one WAIT that adds 1 to fence 3; REPEAT back to offset 0, N = 4
    cb.add(gaudi_pkt_wait(1, 1, 3)).add(make_repeat(0, 4)).add(msg_long(0x1000, 7));
    w.submit(0, 0x20000, cb);
    Cb zero;  // N = 0: the body runs once
    zero.add(gaudi_pkt_wait(1, 1, 2)).add(make_repeat(0, 0));
    w.submit(0, 0x21000, zero);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.qm->fence(0, 3), 5u);
  EXPECT_EQ(w.qm->fence(0, 2), 1u);
  EXPECT_EQ(w.get32(0x1000), 7u);
  EXPECT_EQ(repeat_count(make_repeat(3, 4)), 4u);
  EXPECT_EQ(repeat_jump_offset(make_repeat(3, 4)), 24u);
}

TEST(QmanSync, NestedRepeatsRestartTheInnerCounter) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    Cb cb;
    cb.add(gaudi_pkt_wait(1, 1, 1));  //  0: outer body
    cb.add(gaudi_pkt_wait(1, 1, 2));  //  8: inner body
    cb.add(make_repeat(1, 2));        // 16: inner loop to offset 8, 3 runs
    cb.add(make_repeat(0, 1));        // 24: outer loop to offset 0, 2 runs
    w.submit(0, 0x20000, cb);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.qm->fence(0, 1), 2u);
  EXPECT_EQ(w.qm->fence(0, 2), 6u);
}

TEST(QmanSync, RingWrapsAroundOverMoreCbsThanSlots) {
  QmanWorld w;
  w.build();
  const unsigned kCbs = 11;
  w.run([&] {
    w.setup_stream(3, 0x10000, 2);  // 4 slots; PI and CI count modulo 8
    w.enable();
    for (unsigned i = 0; i < kCbs; ++i) {
      while (((w.pi[3] - w.qm->ci(3)) & 7) == 4) wait(ns(50));  // ring full: wait for CI
      w.submit(3, 0x20000 + 0x100 * i, Cb().add(msg_long(0x1000 + 4 * i, 100 + i)));
    }
  });
  EXPECT_TRUE(w.errors.empty());
  for (unsigned i = 0; i < kCbs; ++i) EXPECT_EQ(w.get32(0x1000 + 4 * i), 100 + i) << i;
  EXPECT_EQ(w.qm->ci(3), kCbs % 8);
  EXPECT_EQ(w.qm->pi(3), kCbs % 8);
  EXPECT_EQ(w.qm->cbs_executed(), kCbs);
}

TEST(QmanSync, HostResidentQueueCostsPcieTimeAndEntriesRunBackToBack) {
  QmanWorld w;
  w.build();
  const double ring = 1000;
  w.run([&] {
    w.setup_stream(0, QmanWorld::kHost + 0x10000, 4);
    w.enable(GAUDI_QMAN_PCI_DMA_ENABLE);
    wait(ns(ring));
    w.submit(0, QmanWorld::kHost + 0x20000, Cb().add(msg_timestamp(0x1000)).add(msg_timestamp(0x1004)), false);
    w.submit(0, QmanWorld::kHost + 0x21000, Cb().add(msg_timestamp(0x1008)));  // one doorbell, two entries
  });
  EXPECT_TRUE(w.errors.empty());
  double first = w.cb_fetched_ns(ring, 32, true, true) + w.pkt_ns();
  EXPECT_EQ(first, 2061.0);  // 1000 + 15 + 16 + 509 + 513 + 8
  EXPECT_EQ(w.get32(0x1000), uint32_t(first));
  double second = first + w.write_ns() + w.pkt_ns();
  EXPECT_EQ(w.get32(0x1004), uint32_t(second));
  // The next entry: fetch cycles, entry and CB reads from the host, then its packet.
  double third = second + w.write_ns() + w.qp.fetch_cycles * w.cycle_ns() + w.read_ns(16, true) +
                 w.read_ns(16, true) + w.pkt_ns();
  EXPECT_EQ(w.get32(0x1008), uint32_t(third));
}

TEST(QmanSync, StreamsRunConcurrently) {
  QmanWorld w;
  w.build();
  w.run([&] {
    for (unsigned s = 0; s < 4; ++s) w.setup_stream(s, 0x10000 + 0x1000 * s, 4);
    w.enable();
    for (unsigned s = 0; s < 4; ++s)  // each stream waits 1000 cycles, then stamps
      w.submit(s, 0x20000 + 0x1000 * s, Cb().add(gaudi_pkt_wait(1000, 1, 0)).add(msg_timestamp(0x1000 + 4 * s)));
  });
  EXPECT_TRUE(w.errors.empty());
  for (unsigned s = 0; s < 4; ++s) {
    uint32_t t = w.get32(0x1000 + 4 * s);
    EXPECT_GT(t, 1000u);
    EXPECT_LT(t, 1700u) << "stream " << s << " waited for another stream";
  }
}

}  // namespace
}  // namespace gs::test
