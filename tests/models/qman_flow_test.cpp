// QMAN streams as method-driven flows: busy streams run without a SystemC thread of their
// own, and the corners of a flow that a thread's stack used to unwind (a reset while a
// write is in flight, a flush during a FENCE, a reset inside a CP_DMA's nested CB).
#include <string>

#include "models/common/lazy_thread.hpp"
#include "process_count.hpp"
#include "qman_world.hpp"

namespace gs::test {
namespace {

using sc_core::wait;

TEST(QmanFlow, BusyStreamsRunAsMethodsWithoutThreads) {
  QmanWorld w;
  w.build();
  const uint64_t threads_before = LazyThread::alive();
  Processes while_busy;
  uint32_t nested_fence = 0;
  Cb nested;  // a REPEAT loop of WAITs, then a FENCE the other stream releases
  nested.add(gaudi_pkt_wait(5, 1, 1)).add(make_repeat(0, 2)).add(gaudi_pkt_fence(2, 1, 1, 0)).add(msg_long(0x1004, 4));
  w.run([&] {
    for (unsigned s = 0; s < 4; ++s) w.setup_stream(s, 0x10000 + 0x1000 * s, 4);
    w.enable();
    w.put(0x50000, nested.bytes.data(), nested.size());
    w.submit(0, 0x20000, Cb().add(msg_long(0x1000, 1)).add(gaudi_pkt_cp_dma(0x50000, nested.size(), 0)).add(msg_long(0x1008, 3)));
    w.submit(2, 0x22000, Cb().add(gaudi_pkt_wait(100000, 1, 0)).add(msg_long(0x100C, 9)));  // cut by the reset
    wait(ns(2000));
    count_processes(w.qm.get(), while_busy);
    EXPECT_EQ(w.get32(0x1004), 0u);  // held in the nested FENCE
    EXPECT_EQ(w.rd(GAUDI_QM_CP_STS(0)), GAUDI_QM_CP_STS_FENCE_IN_PROGRESS_MASK | 2u << GAUDI_QM_CP_STS_FENCE_ID_SHIFT);
    w.submit(1, 0x21000, Cb().add(msg_long(QmanWorld::reg_addr(GAUDI_QM_CP_FENCE_RDATA(2, 0)), 1)));
    wait(ns(2000));
    nested_fence = w.qm->fence(0, 1);
    w.qm->reset();
    wait(ns(100));
    w.pi.fill(0);
    w.setup_stream(3, 0x13000, 4);
    w.enable();
    w.submit(3, 0x23000, Cb().add(gaudi_pkt_fence(0, 1, 1, 0)).add(msg_long(0x1010, 5)));
    wait(ns(1000));
    w.wr(GAUDI_QM_CP_FENCE_RDATA(0, 3), 1);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.get32(0x1000), 1u);
  EXPECT_EQ(w.get32(0x1004), 4u);
  EXPECT_EQ(w.get32(0x1008), 3u);
  EXPECT_EQ(w.get32(0x100C), 0u);  // its WAIT was cut short by the reset, the CB dropped
  EXPECT_EQ(w.get32(0x1010), 5u);
  EXPECT_EQ(nested_fence, 3u);  // the nested REPEAT ran its WAIT three times
  EXPECT_EQ(while_busy.threads, 0u);
  EXPECT_GE(while_busy.methods, 2u);  // streams 0 and 2
  Processes after;
  count_processes(w.qm.get(), after);
  EXPECT_EQ(after.threads, 0u);
  EXPECT_EQ(LazyThread::alive(), threads_before);
}

// A reset does not cut a write's completion short (nor did it a thread's wait): the flow
// drops its CB when the write has landed, then takes the entry rung after the reset.
TEST(QmanFlow, ResetWhileAWriteIsInFlightDropsTheCbAfterTheWrite) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.submit(0, 0x20000, Cb().add(msg_long(QmanWorld::kHost + 0x1000, 1)).add(msg_long(0x1004, 2)));
    wait(ns(500));  // the host write was issued at 261 ns and lands at 767 ns
    w.qm->reset();
    w.pi.fill(0);
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.submit(0, 0x21000, Cb().add(msg_timestamp(0x1008)));
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.get32(QmanWorld::kHost + 0x1000), 1u);
  EXPECT_EQ(w.get32(0x1004), 0u);
  double first_write_issued = w.cb_fetched_ns(0, 32) + w.pkt_ns();
  EXPECT_EQ(first_write_issued, 261.0);
  double landed = first_write_issued + w.write_ns(true);
  double stamp = landed + w.qp.fetch_cycles * w.cycle_ns() + w.read_ns(16, false) + w.read_ns(16, false) + w.pkt_ns();
  EXPECT_EQ(w.get32(0x1008), uint32_t(stamp));
  EXPECT_EQ(w.qm->ci(0), 1u);
}

// A CP flush while the stream waits in a FENCE drops the CB at once; the next entry runs.
TEST(QmanFlow, CpFlushDuringAFenceDropsTheCbAndTakesTheNextEntry) {
  QmanWorld w;
  w.build();
  uint32_t sts_fenced = 0, sts_after = 0;
  w.run([&] {
    w.setup_stream(1, 0x10000, 4);
    w.enable();
    w.submit(1, 0x20000, Cb().add(gaudi_pkt_fence(1, 1, 1, 0)).add(msg_long(0x1000, 1)));
    w.submit(1, 0x21000, Cb().add(msg_timestamp(0x1004)));
    wait(ns(2000));
    sts_fenced = w.rd(GAUDI_QM_CP_STS(1));
    w.wr(GAUDI_QM_GLBL_CFG1, 1u << (GAUDI_QM_GLBL_CFG1_CP_FLUSH_SHIFT + 1));
    wait(ns(1000));
    sts_after = w.rd(GAUDI_QM_CP_STS(1));
    w.wr(GAUDI_QM_CP_FENCE_RDATA(1, 1), 1);  // too late for the flushed CB
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(sts_fenced, GAUDI_QM_CP_STS_FENCE_IN_PROGRESS_MASK | 1u << GAUDI_QM_CP_STS_FENCE_ID_SHIFT);
  EXPECT_EQ(sts_after, 0u);
  EXPECT_EQ(w.get32(0x1000), 0u);
  EXPECT_EQ(w.qm->ci(1), 2u);
  EXPECT_EQ(w.qm->fence(1, 1), 1u);
  // The flush lands after the STS read (hop + register) and the posted write's own hop +
  // register time; the next entry starts there, not when the FENCE would have been released.
  double flushed = 2000 + 2 * (w.hop_ns + w.reg_ns);
  double stamp = flushed + w.qp.fetch_cycles * w.cycle_ns() + w.read_ns(16, false) + w.read_ns(16, false) + w.pkt_ns();
  EXPECT_EQ(stamp, 2272.0);
  EXPECT_EQ(w.get32(0x1004), uint32_t(stamp));
}

// A reset while the stream is inside a CP_DMA's nested CB leaves no frame behind: the next
// entry's CP_DMA is a first-level one again, not "CP_DMA inside a CP_DMA CB".
TEST(QmanFlow, ResetInsideANestedCbLeavesNoNestedFrame) {
  QmanWorld w;
  w.build();
  Cb nested;
  nested.add(gaudi_pkt_fence(0, 1, 1, 0)).add(msg_long(0x1000, 1));
  Cb nested2;
  nested2.add(msg_long(0x1004, 2));
  uint32_t sts0_after = 0;
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.put(0x50000, nested.bytes.data(), nested.size());
    w.put(0x51000, nested2.bytes.data(), nested2.size());
    w.submit(0, 0x20000, Cb().add(gaudi_pkt_cp_dma(0x50000, nested.size(), 0)));
    wait(ns(2000));
    EXPECT_EQ(w.rd(GAUDI_QM_GLBL_STS0) & qm_sts0::cp_idle(0), 0u);
    w.qm->reset();
    wait(ns(100));
    w.pi.fill(0);
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.submit(0, 0x21000, Cb().add(gaudi_pkt_cp_dma(0x51000, nested2.size(), 0)).add(msg_long(0x1008, 3)));
    wait(ns(3000));
    sts0_after = w.rd(GAUDI_QM_GLBL_STS0);
  });
  EXPECT_TRUE(w.errors.empty()) << (w.errors.empty() ? "" : w.errors[0].reason);
  EXPECT_EQ(w.get32(0x1000), 0u);
  EXPECT_EQ(w.get32(0x1004), 2u);
  EXPECT_EQ(w.get32(0x1008), 3u);
  EXPECT_EQ(sts0_after, qm_sts0::kAllIdle);
}

}  // namespace
}  // namespace gs::test
