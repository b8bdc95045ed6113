// Injected faults of the compute engines and of the PCIe link (docs/reliability.md), through
// the real driver: a hung TPC core or MME master is found by the CS timeout and the card is
// hard-reset, after which the same kernel runs and its result is right; reads of host memory
// that the host never completes fail the CS that needed them, after the completion timeout,
// and the card goes on without a reset.
#include <gmock/gmock.h>

#include <algorithm>
#include <cstring>

#include "cs_harness.hpp"
#include "driver/lib/compute_builder.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "specs/gaudi/events.h"
#include "testbench/faults/fault_injector.hpp"

namespace gs::test {
namespace {

using hlthunk::matrix;
using hlthunk::tensor;

constexpr unsigned kWaiter = GAUDI_QUEUE_ID_DMA_0_0;
constexpr uint32_t kSob = 230;
constexpr uint32_t kN = 8;  // kN x kN fp32 operands in mapped host memory

struct HangOutcome {
  int first = -1, second = -1;  // WAIT_CS status or negative errno of the two attempts
  double first_us = 0;          // how long the first attempt took to be told
  bool right = false;           // the second attempt's result is correct
};

// The same kernel twice on `queue`, each in a CS with an external job that waits for its
// completion (a sync object, a monitor and a fence): the kernel's output is checked on the host.
HangOutcome kernel_twice(CsWorld& w, unsigned queue) {
  HangOutcome o;
  const bool tpc = queue >= GAUDI_QUEUE_ID_TPC_0_0;
  auto work = std::make_shared<HostBuffer>(16384);
  w.run([&, work](hlthunk::Thunk& t, int fd) {
    uint64_t mw = 0;
    ASSERT_EQ(t.map_host(fd, work->data(), work->size(), &mw), 0);
    float* a = reinterpret_cast<float*>(work->data() + 8192);  // inputs at 8 KiB, 9 KiB; output at 10 KiB
    float* b = a + 256;
    float* c = a + 512;
    for (uint32_t i = 0; i < kN * kN; ++i) a[i] = (i % kN == i / kN) ? 2.0f : 0.0f, b[i] = float(int(i) - 20);
    const uint64_t da = mw + 8192, db = da + 1024, dc = da + 2048;
    hlthunk::DescArena arena(work->data(), mw, 4096);
    uint64_t desc = tpc ? arena.put(hlthunk::tpc_kernel(GSIM_TPC_RELU, {tensor(db, GSIM_DTYPE_FP32, {kN * kN})},
                                                        tensor(dc, GSIM_DTYPE_FP32, {kN * kN})))
                        : arena.put(hlthunk::gemm({matrix(da, GSIM_DTYPE_FP32, kN, kN), matrix(db, GSIM_DTYPE_FP32, kN, kN),
                                                   matrix(dc, GSIM_DTYPE_FP32, kN, kN)}));
    auto attempt = [&](int* status) {
      std::memset(c, 0xFF, 4 * kN * kN);
      hlthunk::CbBuilder eng(work->data() + 4096, 4096);
      hlthunk::launch(eng, queue, desc, hlthunk::sob_increment(kSob));
      UserCb waiter(t, fd);
      waiter.b.monitor(93, kSob, 1, hlthunk::fence_rdata_addr(kWaiter, 0), 1);
      waiter.b.fence(0, 1, 1);
      waiter.b.sob_set(kSob, 0);
      uint64_t seq = 0;
      const double t0 = sc_core::sc_time_stamp().to_seconds();
      int rc = t.submit(fd, {{queue, mw + 4096, eng.size()}, {kWaiter, waiter.handle, waiter.b.size()}}, &seq);
      uint32_t st = 99;
      if (!rc) rc = t.wait_cs(fd, seq, 1000000, &st);
      *status = rc ? rc : int(st);
      return (sc_core::sc_time_stamp().to_seconds() - t0) * 1e6;
    };
    o.first_us = attempt(&o.first);
    attempt(&o.second);
    o.right = true;
    for (uint32_t i = 0; i < kN * kN; ++i) {
      const float want = tpc ? std::max(0.0f, b[i]) : 2.0f * b[i];  // relu(b), or 2I x b
      o.right &= c[i] == want;
    }
  });
  return o;
}

void expect_reset_then_right(CsWorld& w, const HangOutcome& o) {
  ASSERT_TRUE(w.finished) << "a hung engine must not hang the run";
  EXPECT_TRUE(w.body_done);
  EXPECT_EQ(o.first, -ETIMEDOUT) << "the watchdog (driver.cs_timeout_ms) finds the hung engine";
  EXPECT_GE(o.first_us, 10000.0);  // not before the CS timeout
  EXPECT_EQ(w.device().hard_resets(), 1u);
  EXPECT_THAT(w.device().last_reset_reason(), ::testing::HasSubstr("did not complete within its timeout"));
  EXPECT_EQ(o.second, HL_WAIT_CS_STATUS_COMPLETED) << "the reset brought the engine back";
  EXPECT_TRUE(o.right) << "the kernel after the reset computes the right result";
  EXPECT_EQ(w.sys->faults()->injected(FaultKind::engine_hang), 1u);
}

TEST(Faults, HungTpcCoreIsFoundByTheCsTimeoutAndReset) {
  CsWorld w;
  w.params.driver.cs_timeout_ms = 10;
  w.params.fault.events = "0us engine_hang card0.tpc0";
  HangOutcome o = kernel_twice(w, GAUDI_QUEUE_ID_TPC_0_0);
  expect_reset_then_right(w, o);
  EXPECT_FALSE(w.card().tpc(0).hung());
  EXPECT_EQ(w.card().tpc(0).kernels_done(), 1u);  // the second one: the first never ran to its end
}

TEST(Faults, HungMmeIsFoundByTheCsTimeoutAndReset) {
  CsWorld w;
  w.params.driver.cs_timeout_ms = 10;
  w.params.fault.events = "0us engine_hang card0.mme1";  // MME2: the QMAN of queues MME_0_*
  HangOutcome o = kernel_twice(w, GAUDI_QUEUE_ID_MME_0_0);
  expect_reset_then_right(w, o);
  EXPECT_FALSE(w.card().mme(1).hung());
  EXPECT_EQ(w.card().mme(1).kernels_done(), 1u);
}

// Without the fault the same test passes the first time: it is the hang that the test sees.
TEST(Faults, KernelTwiceWithoutAHangCompletesBothTimes) {
  CsWorld w;
  HangOutcome o = kernel_twice(w, GAUDI_QUEUE_ID_TPC_0_0);
  EXPECT_EQ(o.first, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(o.second, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(o.right);
  EXPECT_EQ(w.device().hard_resets(), 0u);
}

// From 1 ms to 3 ms the host completes none of the card's reads. A host -> HBM copy issued
// in that window fails after pcie.completion_timeout_us; the engine's error is the QMAN's
// event, that CS alone fails (-EIO), and after the window the same copy and its way back work.
TEST(Faults, PcieCompletionTimeoutFailsTheCsAndTheCardGoesOn) {
  CsWorld w;
  w.params.pcie.completion_timeout_us = 200;
  w.params.fault.events = "1ms pcie_timeout card0 duration=2ms";
  HostBuffer src(4096), dst(4096);
  src.fill_pattern(11);
  int during = 0, after_in = -1, after_out = -1;
  double during_us = 0;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t hbm = 0, s = 0, d = 0;
    ASSERT_EQ(t.mem_alloc(fd, 4096, &hbm), 0);
    ASSERT_EQ(t.map_host(fd, src.data(), 4096, &s), 0);
    ASSERT_EQ(t.map_host(fd, dst.data(), 4096, &d), 0);
    auto leg = [&](uint64_t from, uint64_t to) {
      UserCb cb(t, fd);
      cb.b.lin_dma(from, to, 4096, true);
      return run_one(t, fd, GAUDI_QUEUE_ID_DMA_0_0, cb.handle, cb.b.size(), 200000);
    };
    sc_core::wait(sc_core::sc_time(1100, sc_core::SC_US) - sc_core::sc_time_stamp());
    const double t0 = sc_core::sc_time_stamp().to_seconds();
    during = leg(s, hbm);
    during_us = (sc_core::sc_time_stamp().to_seconds() - t0) * 1e6;
    sc_core::wait(sc_core::sc_time(3100, sc_core::SC_US) - sc_core::sc_time_stamp());
    after_in = leg(s, hbm);
    after_out = leg(hbm, d);
  });
  ASSERT_TRUE(w.finished);
  EXPECT_EQ(during, -EIO) << "the CS that needed the lost completions fails";
  EXPECT_GE(during_us, 200.0) << "not before the completion timeout";
  EXPECT_LT(during_us, 1000.0) << "and not much after it";
  EXPECT_GT(w.card().pcie().completion_timeouts(), 0u);
  EXPECT_EQ(w.device().hard_resets(), 0u);
  EXPECT_EQ(after_in, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(after_out, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(std::equal(src.data(), src.data() + 4096, dst.data())) << "nothing lost once the host answers again";
  EXPECT_EQ(w.sys->faults()->injected(FaultKind::pcie_timeout), 1u);
}

}  // namespace
}  // namespace gs::test
