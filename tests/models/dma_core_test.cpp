// DmaCore behaviour: memset, write completion into a sync manager, bus errors and
// ERR_CAUSE, enable/halt, reset, the COMMIT register path, rejected packets.
#include "dma_world.hpp"

namespace gs::test {
namespace {

TEST(DmaCore, MemsetWritesThePatternAndReadsNothing) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  const uint64_t value = 0x0123456789ABCDEFull;
  const size_t n = 100003;
  JobDone d;
  w.run([&] { dma.start_lin_dma(lin(value, 0x2003, n, GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK), d.cb()); });
  ASSERT_TRUE(d.ok);
  auto got = read_back(hbm, 0x2000, n + 6);
  EXPECT_EQ(got[0] | got[1] | got[2], 0);
  EXPECT_EQ(got[n + 3] | got[n + 4] | got[n + 5], 0);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(got[3 + i], uint8_t(value >> (8 * (i % 8)))) << i;
  EXPECT_EQ(hbm.server().bytes_served(), n);  // writes only
}

// More chunks than slots: later chunks reuse a slot's pattern (filled once per slot when the
// chunk is a multiple of 8, every time when it is not); every byte still lands, none twice.
static void memset_many_chunks(uint32_t chunk) {
  DmaWorld w;
  w.dp.chunk_bytes = chunk;
  w.dp.outstanding_chunks = 2;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  const uint64_t value = 0x1122334455667788ull;
  const size_t n = 50 * 1000 + 5;  // 13 or 50 chunks, the last one short
  JobDone d;
  w.run([&] { dma.start_lin_dma(lin(value, 0x4005, n, GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK), d.cb()); });
  ASSERT_TRUE(d.ok);
  auto got = read_back(hbm, 0x4000, n + 10);
  for (size_t i = 0; i < 5; ++i) ASSERT_EQ(got[i], 0) << i;
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(got[5 + i], uint8_t(value >> (8 * (i % 8)))) << i;
  for (size_t i = n + 5; i < n + 10; ++i) ASSERT_EQ(got[i], 0) << i;
  EXPECT_EQ(hbm.server().bytes_served(), n);
}

TEST(DmaCore, MemsetOfManyChunksReusesEachSlotsPattern) { memset_many_chunks(4096); }
TEST(DmaCore, MemsetOfManyChunksNotMultipleOf8RefillsEverySlot) { memset_many_chunks(1001); }

TEST(DmaCore, WriteCompletionSignalsASyncObjectAfterTheData) {
  DmaWorld w;
  AccessSpy* hbm_spy = nullptr;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120, &hbm_spy);
  AccessSpy& sm_spy = w.add_sm();
  auto& dma = w.add_dma(5);
  const size_t n = 256 << 10;
  JobDone d;
  w.run([&] {
    // A monitor on SOB 144 (group 18, object 0) writes memory when the DMA signals.
    w.wr(kSmBase + GAUDI_SM_MON_PAY_ADDRL(72), 0x800000);
    w.wr(kSmBase + GAUDI_SM_MON_PAY_DATA(72), 0xD0E);
    w.wr(kSmBase + GAUDI_SM_MON_ARM(72), gaudi_msg_short_mon_arm_value(18, 0xFE, GAUDI_MON_MODE_GREATER_EQUAL, 1));
    w.wr(DmaWorld::reg(5, GAUDI_DMA_CORE_WR_COMP_WDATA), gaudi_msg_short_sob_value(1, 1));
    w.wr(DmaWorld::reg(5, GAUDI_DMA_CORE_WR_COMP_ADDR_LO), uint32_t(kSmBase + GAUDI_SM_SOB_OBJ(144)));
    w.wr(DmaWorld::reg(5, GAUDI_DMA_CORE_WR_COMP_ADDR_HI), uint32_t((kSmBase + GAUDI_SM_SOB_OBJ(144)) >> 32));
    dma.start_lin_dma(lin(0, 4 << 20, n, GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK), d.cb());
  });
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(w.sm->sob(144), 1u);
  EXPECT_EQ(read_back(hbm, 0x800000, 4), (std::vector<uint8_t>{0x0E, 0x0D, 0, 0}));
  sc_time last_data;
  for (auto& a : hbm_spy->log)
    if (a.write && a.addr >= (4u << 20) && a.addr < (4u << 20) + n) last_data = std::max(last_data, a.done);
  std::vector<AccessSpy::Access> sob_writes;
  for (auto& a : sm_spy.log)
    if (a.write && a.addr == GAUDI_SM_SOB_OBJ(144)) sob_writes.push_back(a);
  ASSERT_EQ(sob_writes.size(), 1u);
  EXPECT_GE(sob_writes[0].done, last_data);
  EXPECT_GE(d.at, sob_writes[0].done);
}

TEST(DmaCore, ZeroSizeJobOnlySignals) {
  DmaWorld w;
  w.add_mem("hbm", 0, 1 << 20, 1000, 120);
  w.add_sm();
  auto& dma = w.add_dma(1);
  JobDone d;
  w.run([&] {
    w.wr(DmaWorld::reg(1, GAUDI_DMA_CORE_WR_COMP_WDATA), gaudi_msg_short_sob_value(3, 1));
    w.wr(DmaWorld::reg(1, GAUDI_DMA_CORE_WR_COMP_ADDR_LO), uint32_t(kSmBase + GAUDI_SM_SOB_OBJ(7)));
    w.wr(DmaWorld::reg(1, GAUDI_DMA_CORE_WR_COMP_ADDR_HI), uint32_t((kSmBase + GAUDI_SM_SOB_OBJ(7)) >> 32));
    dma.start_lin_dma(lin(0, 0, 0, GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK), d.cb());
  });
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(w.sm->sob(7), 3u);
  EXPECT_LT(to_ns(d.at), 100.0);  // no setup time, no data
  EXPECT_EQ(dma.bytes_moved(), 0u);
}

TEST(DmaCore, BusErrorsFailTheJobAndSetErrCause) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  std::vector<uint32_t> events;
  dma.on_error = [&](unsigned ch, uint32_t cause) { events.push_back(ch << 8 | cause); };
  JobDone rd, wrd, comp;
  uint32_t cause_rd = 0, cause_wr = 0, cause_comp = 0;
  w.run([&] {
    w.wr(DmaWorld::reg(0, GAUDI_DMA_CORE_ERR_CFG), GAUDI_DMA_CORE_ERR_CFG_ERR_MSG_EN_MASK);
    dma.start_lin_dma(lin(0x7000000000ull, 0, 4096), rd.cb());  // unmapped source
    sc_core::wait(dma.idle_event());
    cause_rd = w.rd(DmaWorld::reg(0, GAUDI_DMA_CORE_ERR_CAUSE));
    w.wr(DmaWorld::reg(0, GAUDI_DMA_CORE_ERR_CAUSE), cause_rd);  // write 1 to clear
    EXPECT_EQ(w.rd(DmaWorld::reg(0, GAUDI_DMA_CORE_ERR_CAUSE)), 0u);
    dma.start_lin_dma(lin(0, (16 << 20) - 1024, 4096), wrd.cb());  // runs off the end
    sc_core::wait(dma.idle_event());
    cause_wr = dma.err_cause();
    w.wr(DmaWorld::reg(0, GAUDI_DMA_CORE_ERR_CAUSE), 0xFFFFFFFF);
    w.wr(DmaWorld::reg(0, GAUDI_DMA_CORE_WR_COMP_ADDR_HI), 0x70);  // nowhere
    dma.start_lin_dma(lin(0, 0x10000, 4096, GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK), comp.cb());
    sc_core::wait(dma.idle_event());
    cause_comp = dma.err_cause();
  });
  EXPECT_EQ(rd.calls, 1);
  EXPECT_FALSE(rd.ok);
  EXPECT_EQ(cause_rd, GAUDI_DMA_CORE_ERR_CAUSE_HBW_RD_ERR_MASK);
  EXPECT_FALSE(wrd.ok);
  EXPECT_EQ(cause_wr, GAUDI_DMA_CORE_ERR_CAUSE_HBW_WR_ERR_MASK);
  EXPECT_EQ(dma.last_error_address(), 0x7000000000ull + 0x0);  // the failing completion
  EXPECT_FALSE(comp.ok);
  EXPECT_EQ(cause_comp, GAUDI_DMA_CORE_ERR_CAUSE_LBW_WR_ERR_MASK);
  EXPECT_EQ(dma.jobs_failed(), 3u);
  EXPECT_EQ(events, (std::vector<uint32_t>{1, 2, 4}));
  (void)hbm;
}

TEST(DmaCore, StopOnErrorHaltsUntilTheDriverResumes) {
  DmaWorld w;
  w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  JobDone bad, good;
  w.run([&] {
    w.wr(DmaWorld::reg(0, GAUDI_DMA_CORE_ERR_CFG), GAUDI_DMA_CORE_ERR_CFG_STOP_ON_ERR_MASK);
    dma.start_lin_dma(lin(0x7000000000ull, 0, 4096), bad.cb());
    dma.start_lin_dma(lin(0, 0x10000, 4096), good.cb());
    sc_core::wait(ns(10000));
    EXPECT_EQ(good.calls, 0);
    EXPECT_EQ(w.rd(DmaWorld::reg(0, GAUDI_DMA_CORE_STS1)), GAUDI_DMA_CORE_STS1_IS_HALT_MASK);
    EXPECT_EQ(w.rd(DmaWorld::reg(0, GAUDI_DMA_CORE_STS0)), GAUDI_DMA_CORE_STS0_BUSY_MASK);
    w.wr(DmaWorld::reg(0, GAUDI_DMA_CORE_CFG_1), 0);
  });
  EXPECT_FALSE(bad.ok);
  EXPECT_TRUE(good.ok);
  EXPECT_GT(to_ns(good.at), 10000.0);
}

TEST(DmaCore, EnableAndHaltGateTheEngine) {
  DmaWorld w;
  w.dp.engine_gbps = 1;  // 1 MiB takes about 1 ms
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(6);
  const size_t n = 1 << 20;
  auto src = pattern(n, 3);
  hbm.store().write(0, src.data(), n);
  JobDone d;
  w.run([&] {
    w.wr(DmaWorld::reg(6, GAUDI_DMA_CORE_CFG_0), 0);
    dma.start_lin_dma(lin(0, 8 << 20, n), d.cb());
    sc_core::wait(ns(10000));
    EXPECT_EQ(dma.bytes_moved(), 0u);  // disabled: the job waits in the queue
    EXPECT_EQ(w.rd(DmaWorld::reg(6, GAUDI_DMA_CORE_STS0)), GAUDI_DMA_CORE_STS0_BUSY_MASK);
    w.wr(DmaWorld::reg(6, GAUDI_DMA_CORE_CFG_0), GAUDI_DMA_CORE_CFG_0_EN_MASK);
    sc_core::wait(ns(300000));
    w.wr(DmaWorld::reg(6, GAUDI_DMA_CORE_CFG_1), GAUDI_DMA_CORE_CFG_1_HALT_MASK);
    sc_core::wait(ns(100000));
    uint64_t moved = dma.bytes_moved();
    EXPECT_GT(moved, 0u);
    EXPECT_LT(moved, n);
    EXPECT_EQ(w.rd(DmaWorld::reg(6, GAUDI_DMA_CORE_STS1)), GAUDI_DMA_CORE_STS1_IS_HALT_MASK);
    sc_core::wait(ns(500000));
    EXPECT_EQ(dma.bytes_moved(), moved);  // halted at a chunk boundary
    w.wr(DmaWorld::reg(6, GAUDI_DMA_CORE_CFG_1), 0);
  });
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(read_back(hbm, 8 << 20, n), src);
  EXPECT_EQ(w.rd(DmaWorld::reg(6, GAUDI_DMA_CORE_STS0)), 0u);
  EXPECT_GT(to_ns(d.at), 10000 + n / 1.0 + 500000);
}

TEST(DmaCore, ResetAbortsTheRunningJobAndDropsQueuedOnes) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1, 100);  // 1 GB/s: 1 MiB takes 2 ms
  auto& dma = w.add_dma(7);
  std::vector<int> order;
  JobDone after;
  uint64_t moved_at_reset = 0;
  w.run([&] {
    dma.start_lin_dma(lin(0, 4 << 20, 1 << 20), [&](bool ok) { order.push_back(ok ? 10 : 1); });
    dma.start_lin_dma(lin(0, 8 << 20, 1 << 20), [&](bool ok) { order.push_back(ok ? 20 : 2); });
    sc_core::wait(ns(100000));
    w.wr(DmaWorld::reg(7, GAUDI_DMA_CORE_CFG_0), 0);
    dma.reset();
    moved_at_reset = dma.bytes_moved();
    EXPECT_FALSE(dma.idle());  // the dropped jobs are still to be told
    EXPECT_EQ(dma.regs().value(GAUDI_DMA_CORE_CFG_0), GAUDI_DMA_CORE_CFG_0_EN_MASK);
    sc_core::wait(dma.idle_event());
    EXPECT_EQ(sc_core::sc_time_stamp(), ns(100000));
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    dma.start_lin_dma(lin(0, 12 << 20, 4096), after.cb());
  });
  EXPECT_GT(moved_at_reset, 0u);
  EXPECT_LT(moved_at_reset, 1u << 20);
  EXPECT_EQ(dma.bytes_moved(), moved_at_reset + 4096);  // nothing more of the aborted job
  EXPECT_TRUE(after.ok);
  EXPECT_EQ(dma.jobs_failed(), 2u);
  (void)hbm;
}

TEST(DmaCore, CommitRegisterPathStartsATransfer) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(2);
  auto src = pattern(70000, 11);
  hbm.store().write(0x30000, src.data(), src.size());
  w.run([&] {
    w.wr(DmaWorld::reg(2, GAUDI_DMA_CORE_SRC_BASE_LO), 0x30000);
    w.wr(DmaWorld::reg(2, GAUDI_DMA_CORE_SRC_BASE_HI), 0);
    w.wr(DmaWorld::reg(2, GAUDI_DMA_CORE_DST_BASE_LO), 0x500000);
    w.wr(DmaWorld::reg(2, GAUDI_DMA_CORE_DST_BASE_HI), 0x12000000);  // context id high byte
    w.wr(DmaWorld::reg(2, GAUDI_DMA_CORE_DST_TSIZE_0), uint32_t(src.size()));
    w.wr(DmaWorld::reg(2, GAUDI_DMA_CORE_COMMIT), GAUDI_PKT_LIN_DMA_CTL_LIN_MASK);
    sc_core::wait(dma.idle_event());
  });
  EXPECT_EQ(read_back(hbm, 0x500000, src.size()), src);
  EXPECT_EQ(dma.jobs_done(), 1u);
}

TEST(DmaCore, RejectsWhatIsNotALinearTransfer) {
  DmaWorld w;
  w.add_mem("hbm", 0, 1 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  packet_lin_dma p = lin(0, 0x1000, 64);
  p.ctl &= ~GAUDI_PKT_LIN_DMA_CTL_LIN_MASK;
  EXPECT_FALSE(dma.start_lin_dma(p, nullptr));
  EXPECT_FALSE(dma.start_lin_dma(lin(0, 0x1000, 64, GAUDI_PKT_LIN_DMA_CTL_TRANSPOSE_MASK), nullptr));
  EXPECT_FALSE(dma.start_lin_dma(lin(0, 0x1000, 64, GAUDI_PKT_LIN_DMA_CTL_COMPRESS_MASK), nullptr));
  EXPECT_FALSE(dma.start_lin_dma(lin(0, 0x1000, 64, GAUDI_PKT_LIN_DMA_CTL_DECOMPRESS_MASK), nullptr));
  EXPECT_EQ(dma.jobs_rejected(), 4u);
  EXPECT_TRUE(dma.idle());
}

}  // namespace
}  // namespace gs::test
