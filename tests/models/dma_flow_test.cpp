// DMA cores as method-driven flows: a busy channel runs without a SystemC thread of its own
// through every wait a thread's stack used to hold (setup, chunk actions, a halt at a chunk
// boundary, a reset cutting it short, a failed read's answer, the completion write).
#include "dma_world.hpp"
#include "models/common/lazy_thread.hpp"
#include "process_count.hpp"

namespace gs::test {
namespace {

TEST(DmaFlow, HaltResetAndCompletionRunAsMethodsWithoutThreads) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1, 100);  // 1 GB/s: 1 MiB takes about 1 ms
  auto& dma = w.add_dma(3);
  const uint64_t threads_before = LazyThread::alive();
  const size_t n = 64 << 10;
  auto src = pattern(n, 11);
  hbm.store().write(0x100000, src.data(), n);
  std::vector<int> order;
  Processes while_halted, after;
  uint64_t moved_halted = 0, moved_later = 0;
  uint32_t sts1_halted = 0, cause_rd = 0;
  w.run([&] {
    dma.start_lin_dma(lin(0, 4 << 20, 1 << 20), [&](bool ok) { order.push_back(ok ? 10 : 1); });
    dma.start_lin_dma(lin(0, 8 << 20, 1 << 20), [&](bool ok) { order.push_back(ok ? 20 : 2); });
    sc_core::wait(ns(100000));
    w.wr(DmaWorld::reg(3, GAUDI_DMA_CORE_CFG_1), GAUDI_DMA_CORE_CFG_1_HALT_MASK);
    sc_core::wait(ns(50000));
    moved_halted = dma.bytes_moved();
    sts1_halted = w.rd(DmaWorld::reg(3, GAUDI_DMA_CORE_STS1));
    count_processes(&dma, while_halted);
    sc_core::wait(ns(50000));
    moved_later = dma.bytes_moved();
    dma.reset();  // cuts the halted boundary short: the job is aborted, the queued one dropped
    sc_core::wait(dma.idle_event());
    // After the reset: a copy with a completion write, then a read from nowhere.
    w.wr(DmaWorld::reg(3, GAUDI_DMA_CORE_WR_COMP_WDATA), 0xC0FFEE);
    w.wr(DmaWorld::reg(3, GAUDI_DMA_CORE_WR_COMP_ADDR_LO), 0xF00000);
    dma.start_lin_dma(lin(0x100000, 12 << 20, n, GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK),
                      [&](bool ok) { order.push_back(ok ? 30 : 3); });
    dma.start_lin_dma(lin(0x70ull << 32, 13 << 20, 4096), [&](bool ok) { order.push_back(ok ? 40 : 4); });
    sc_core::wait(dma.idle_event());
    cause_rd = dma.err_cause();
    count_processes(&dma, after);
  });
  EXPECT_EQ(order, (std::vector<int>{1, 2, 30, 4}));
  EXPECT_GT(moved_halted, 0u);
  EXPECT_LT(moved_halted, 1u << 20);
  EXPECT_EQ(moved_later, moved_halted);  // held at a chunk boundary
  EXPECT_EQ(sts1_halted, GAUDI_DMA_CORE_STS1_IS_HALT_MASK);
  EXPECT_EQ(read_back(hbm, 12 << 20, n), src);
  EXPECT_EQ(read_back(hbm, 0xF00000, 4), (std::vector<uint8_t>{0xEE, 0xFF, 0xC0, 0}));
  EXPECT_EQ(cause_rd, GAUDI_DMA_CORE_ERR_CAUSE_HBW_RD_ERR_MASK);
  EXPECT_EQ(dma.jobs_done(), 1u);
  EXPECT_EQ(dma.jobs_failed(), 3u);
  EXPECT_EQ(while_halted.threads, 0u);
  EXPECT_GE(while_halted.methods, 1u);  // the channel's flow
  EXPECT_EQ(after.threads, 0u);
  EXPECT_EQ(LazyThread::alive(), threads_before);
}

}  // namespace
}  // namespace gs::test
