// Bad compute launches through the real driver: the engine refuses the descriptor (or fails
// while running and says so at its sync point), the QMAN raises its event, the driver logs
// it and aborts the submission, the stream is restarted and the card stays usable. Never a
// crash, never a reset.
#include <cstring>

#include "cs_harness.hpp"
#include "driver/lib/compute_builder.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "specs/gaudi/events.h"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

using hlthunk::tensor;

constexpr unsigned kWaiter = GAUDI_QUEUE_ID_DMA_0_0, kWaiter2 = GAUDI_QUEUE_ID_DMA_0_2, kOther = GAUDI_QUEUE_ID_DMA_0_1;
constexpr uint32_t kSob = 220;

struct Outcome {
  int rc = 1;
  uint32_t status = 99;
  int next = -1;  // WAIT_CS status of a good kernel on the same engine queue afterwards
};

// Submits `engine_queue`'s CB (made by `build` with a descriptor arena) together with an
// external job that waits for the engine's completion; then, on another stream, a good
// kernel on the same engine queue that also releases the stuck waiter.
Outcome submit_bad(CsWorld& w, unsigned engine_queue,
                   std::function<void(hlthunk::CbBuilder&, hlthunk::DescArena&, uint64_t hbm)> build) {
  Outcome o;
  auto work = std::make_shared<HostBuffer>(16384);
  w.run([&, work](hlthunk::Thunk& t, int fd) {
    uint64_t mw = 0, hbm = 0;
    ASSERT_EQ(t.map_host(fd, work->data(), work->size(), &mw), 0);
    ASSERT_EQ(t.mem_alloc(fd, 1 << 20, &hbm), 0);
    hlthunk::DescArena arena(work->data(), mw, 4096);
    hlthunk::CbBuilder bad(work->data() + 4096, 4096);
    build(bad, arena, hbm);
    // Two external jobs wait for the engine (either would do).
    UserCb waiter(t, fd), waiter2(t, fd);
    waiter.b.monitor(90, kSob, 1, hlthunk::fence_rdata_addr(kWaiter, 0), 1);
    waiter.b.monitor(92, kSob, 1, hlthunk::fence_rdata_addr(kWaiter2, 0), 1);
    waiter.b.fence(0, 1, 1);
    waiter2.b.fence(0, 1, 1);
    uint64_t seq = 0;
    ASSERT_EQ(t.submit(fd, {{engine_queue, mw + 4096, bad.size()}, {kWaiter, waiter.handle, waiter.b.size()},
                            {kWaiter2, waiter2.handle, waiter2.b.size()}}, &seq), 0);
    o.rc = t.wait_cs(fd, seq, 1000000, &o.status);
    // The driver restarted the engine's stream: a good kernel there completes.
    hlthunk::CbBuilder good(work->data() + 8192, 4096);
    auto relu = hlthunk::tpc_kernel(GSIM_TPC_RELU, {tensor(hbm, GSIM_DTYPE_FP32, {64})}, tensor(hbm + 4096, GSIM_DTYPE_FP32, {64}));
    auto gemm = hlthunk::gemm({hlthunk::matrix(hbm, GSIM_DTYPE_FP32, 8, 8), hlthunk::matrix(hbm, GSIM_DTYPE_FP32, 8, 8),
                               hlthunk::matrix(hbm + 4096, GSIM_DTYPE_FP32, 8, 8)});
    uint64_t d = engine_queue >= GAUDI_QUEUE_ID_TPC_0_0 ? arena.put(relu) : arena.put(gemm);
    hlthunk::launch(good, engine_queue, d, hlthunk::sob_increment(kSob + 1));
    UserCb next(t, fd);
    next.b.monitor(91, kSob + 1, 1, hlthunk::fence_rdata_addr(kOther, 0), 1);
    next.b.fence(0, 1, 1);
    next.b.sob_add(kSob, 1);  // lets the first CS's waiters go, so nothing is left hanging
    ASSERT_EQ(t.submit(fd, {{engine_queue, mw + 8192, good.size()}, {kOther, next.handle, next.b.size()}}, &seq), 0);
    uint32_t st = 99;
    t.wait_cs(fd, seq, 1000000, &st);
    o.next = int(st);
  });
  return o;
}

void expect_aborted(CsWorld& w, const Outcome& o, const char* log, unsigned event) {
  EXPECT_TRUE(w.body_done);
  EXPECT_EQ(o.rc, -EIO);
  EXPECT_EQ(o.status, HL_WAIT_CS_STATUS_ABORTED);
  EXPECT_EQ(o.next, HL_WAIT_CS_STATUS_COMPLETED) << "the card stays usable";
  EXPECT_TRUE(w.logged(log)) << "the driver decodes the event: " << log;
  EXPECT_GE(w.device().events()[event], 1u);
  EXPECT_EQ(w.device().hard_resets(), 0u);
}

TEST(ComputeErrors, UnknownTpcKernelAbortsTheSubmission) {
  CsWorld w;
  Outcome o = submit_bad(w, GAUDI_QUEUE_ID_TPC_0_0, [](auto& cb, auto& arena, uint64_t hbm) {
    auto d = hlthunk::tpc_kernel(GSIM_TPC_RELU, {tensor(hbm, GSIM_DTYPE_FP32, {64})}, tensor(hbm, GSIM_DTYPE_FP32, {64}));
    d.kernel = 77;
    hlthunk::launch(cb, GAUDI_QUEUE_ID_TPC_0_0, arena.put(d), hlthunk::sob_increment(kSob));
  });
  expect_aborted(w, o, "TPC0_QM stream 0 error", GAUDI_EVENT_TPC0_QM);
  EXPECT_EQ(w.card().tpc(0).launches_refused(), 1u);
  EXPECT_EQ(w.card().tpc(0).err_cause(), GSIM_ENG_ERR_KERNEL);
}

TEST(ComputeErrors, MisalignedMatrixOnTheMmeAbortsTheSubmission) {
  CsWorld w;
  Outcome o = submit_bad(w, GAUDI_QUEUE_ID_MME_0_0, [](auto& cb, auto& arena, uint64_t hbm) {
    auto d = hlthunk::gemm({hlthunk::matrix(hbm + 2, GSIM_DTYPE_FP32, 8, 8), hlthunk::matrix(hbm, GSIM_DTYPE_FP32, 8, 8),
                            hlthunk::matrix(hbm + 4096, GSIM_DTYPE_FP32, 8, 8)});
    hlthunk::launch(cb, GAUDI_QUEUE_ID_MME_0_0, arena.put(d), hlthunk::sob_increment(kSob));
  });
  expect_aborted(w, o, "MME2_QM stream 0 error", GAUDI_EVENT_MME2_QM);
  EXPECT_EQ(w.card().mme(1).err_cause(), GSIM_ENG_ERR_ALIGN);
}

// The CS parser reads descriptors in mapped host memory and stands in for the device MMU:
// a launch whose tensors or completion write reach host memory the context has not mapped
// is refused before the device sees it. (Device addresses are the card's to police.)
TEST(ComputeErrors, LaunchOutsideTheContextsMemoryIsRefusedByTheParser) {
  CsWorld w;
  std::vector<int> rc;
  HostBuffer work(16384);
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t mw = 0, hbm = 0;
    ASSERT_EQ(t.map_host(fd, work.data(), work.size(), &mw), 0);
    ASSERT_EQ(t.mem_alloc(fd, 1 << 20, &hbm), 0);
    hlthunk::DescArena arena(work.data(), mw, 8192);
    UserCb ext(t, fd);
    ext.b.nop();
    auto attempt = [&](auto make) {
      hlthunk::CbBuilder cb(work.data() + 8192, 4096);
      make(cb);
      uint64_t seq;
      rc.push_back(t.submit(fd, {{GAUDI_QUEUE_ID_TPC_1_0, mw + 8192, cb.size()}, {kWaiter, ext.handle, ext.b.size()}}, &seq));
    };
    const uint64_t nobody = GAUDI_HOST_PHYS_BASE + 0x100000000ull;  // host memory no one mapped
    attempt([&](hlthunk::CbBuilder& cb) {
      auto d = hlthunk::tpc_kernel(GSIM_TPC_COPY, {tensor(hbm, GSIM_DTYPE_FP32, {64})}, tensor(nobody, GSIM_DTYPE_FP32, {64}));
      hlthunk::launch(cb, GAUDI_QUEUE_ID_TPC_1_0, arena.put(d), hlthunk::sob_increment(kSob));
    });
    // An input running past the end of a mapped buffer.
    attempt([&](hlthunk::CbBuilder& cb) {
      auto d = hlthunk::tpc_kernel(GSIM_TPC_COPY, {tensor(mw + work.size() - 64, GSIM_DTYPE_FP32, {64})},
                                   tensor(hbm, GSIM_DTYPE_FP32, {64}));
      hlthunk::launch(cb, GAUDI_QUEUE_ID_TPC_1_0, arena.put(d), hlthunk::sob_increment(kSob));
    });
    // A completion write to host memory no one mapped.
    attempt([&](hlthunk::CbBuilder& cb) {
      auto d = hlthunk::tpc_kernel(GSIM_TPC_COPY, {tensor(hbm, GSIM_DTYPE_FP32, {64})}, tensor(hbm + 4096, GSIM_DTYPE_FP32, {64}));
      hlthunk::launch(cb, GAUDI_QUEUE_ID_TPC_1_0, arena.put(d), {nobody, 1});
    });
    // And a good one goes through.
    attempt([&](hlthunk::CbBuilder& cb) {
      auto d = hlthunk::tpc_kernel(GSIM_TPC_COPY, {tensor(hbm, GSIM_DTYPE_FP32, {64})}, tensor(hbm + 4096, GSIM_DTYPE_FP32, {64}));
      hlthunk::launch(cb, GAUDI_QUEUE_ID_TPC_1_0, arena.put(d), hlthunk::sob_increment(kSob));
    });
  });
  ASSERT_EQ(rc.size(), 4u);
  EXPECT_EQ(rc[0], -EFAULT);
  EXPECT_EQ(rc[1], -EFAULT);
  EXPECT_EQ(rc[2], -EFAULT);
  EXPECT_EQ(rc[3], 0);
  EXPECT_TRUE(w.logged("engine launch refused: output tensor at 0x8100000000"));
  EXPECT_TRUE(w.logged("completion write to"));
  EXPECT_EQ(w.card().tpc(1).launches_refused(), 0u) << "nothing bad reached the engine";
}

// What the parser cannot foresee: the program unmaps a buffer after submitting a kernel that
// reads it. The engine's read fails while it runs; the error reaches the driver at the sync
// point, the CS is aborted, and the engine's queue works again.
TEST(ComputeErrors, FailureWhileRunningIsReportedAtTheSyncPoint) {
  CsWorld w;
  const unsigned q = GAUDI_QUEUE_ID_TPC_0_0 + 8;  // TPC 2
  HostBuffer work(16384), input(4096);
  int rc = 0, next = -1;
  uint32_t st = 99;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t mw = 0, in = 0, hbm = 0, seq = 0;
    ASSERT_EQ(t.map_host(fd, work.data(), work.size(), &mw), 0);
    ASSERT_EQ(t.map_host(fd, input.data(), input.size(), &in), 0);
    ASSERT_EQ(t.mem_alloc(fd, 1 << 20, &hbm), 0);
    hlthunk::DescArena arena(work.data(), mw, 4096);
    hlthunk::CbBuilder cb(work.data() + 4096, 4096);
    cb.monitor(93, kSob + 2, 1, hlthunk::fence_rdata_addr(q, 0), 1);
    cb.fence(0, 1, 1);  // hold the kernel until the buffer is gone
    auto d = hlthunk::tpc_kernel(GSIM_TPC_COPY, {tensor(in, GSIM_DTYPE_FP32, {64})}, tensor(hbm, GSIM_DTYPE_FP32, {64}));
    hlthunk::launch(cb, q, arena.put(d), hlthunk::sob_increment(kSob));
    hlthunk::engine_sync_point(cb);
    UserCb waiter(t, fd);
    waiter.b.monitor(90, kSob, 1, hlthunk::fence_rdata_addr(kWaiter, 0), 1);
    waiter.b.fence(0, 1, 1);
    ASSERT_EQ(t.submit(fd, {{q, mw + 4096, cb.size()}, {kWaiter, waiter.handle, waiter.b.size()}}, &seq), 0);
    ASSERT_EQ(t.unmap_host(fd, in), 0);
    UserCb go(t, fd);
    go.b.sob_add(kSob + 2, 1);
    ASSERT_EQ(run_one(t, fd, kOther, go.handle, go.b.size()), HL_WAIT_CS_STATUS_COMPLETED);
    rc = t.wait_cs(fd, seq, 1000000, &st);
    // Release the stuck waiter and check the engine queue runs a good kernel again.
    hlthunk::CbBuilder good(work.data() + 8192, 4096);
    auto relu = hlthunk::tpc_kernel(GSIM_TPC_RELU, {tensor(hbm, GSIM_DTYPE_FP32, {64})}, tensor(hbm + 4096, GSIM_DTYPE_FP32, {64}));
    hlthunk::launch(good, q, arena.put(relu), hlthunk::sob_increment(kSob + 1));
    UserCb next_cb(t, fd);
    next_cb.b.monitor(91, kSob + 1, 1, hlthunk::fence_rdata_addr(kOther, 0), 1);
    next_cb.b.fence(0, 1, 1);
    next_cb.b.sob_add(kSob, 1);
    ASSERT_EQ(t.submit(fd, {{q, mw + 8192, good.size()}, {kOther, next_cb.handle, next_cb.b.size()}}, &seq), 0);
    uint32_t st2 = 99;
    t.wait_cs(fd, seq, 1000000, &st2);
    next = int(st2);
  });
  EXPECT_EQ(rc, -EIO);
  EXPECT_EQ(st, HL_WAIT_CS_STATUS_ABORTED);
  EXPECT_EQ(next, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(w.logged("TPC2_QM stream 0 error"));
  EXPECT_EQ(w.card().tpc(2).err_cause(), GSIM_ENG_ERR_BUS_RD);
  EXPECT_EQ(w.card().tpc(2).kernels_failed(), 1u);
}

}  // namespace
}  // namespace gs::test
