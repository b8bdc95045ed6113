// Issue 12 in the testbench's own world (the preload side is tests/preload/pt_hostile*.c):
// closing with work in flight (the context waits, opens get EBUSY, a device that stays busy
// is reset, the memory is scrubbed) and the simulator's host running out of memory for HBM
// pages (the CS fails, the simulation goes on).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "cs_harness.hpp"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

constexpr unsigned kQ0 = GAUDI_QUEUE_ID_DMA_0_0;

TEST(CloseInFlight, TheContextWaitsForItsCsThenTheMemoryIsScrubbed) {
  CsWorld w;
  HostBuffer src(8 << 20), back(8 << 20);
  int busy = 0, reopened = -1, st = -1;
  uint64_t hbm_a = 0, hbm_b = 1;
  bool zeros = false;
  w.run([&](hlthunk::Thunk& t, int fd) {
    std::memset(src.data(), 0xAB, src.size());
    uint64_t d_src = 0;
    ASSERT_EQ(t.map_host(fd, src.data(), src.size(), &d_src), 0);
    ASSERT_EQ(t.mem_alloc(fd, src.size(), &hbm_a), 0);
    UserCb cb(t, fd);
    cb.b.lin_dma(d_src, hbm_a, uint32_t(src.size()));
    uint64_t seq;
    ASSERT_EQ(t.submit(fd, {{kQ0, cb.handle, cb.b.size()}}, &seq), 0);
    ASSERT_EQ(t.close(fd), 0);
    busy = t.open(0);  // the context still lives
    int b = -EBUSY;
    for (int i = 0; i < 1000 && b == -EBUSY; ++i) {
      b = t.open(0);
      if (b == -EBUSY) w.sys->hosts()[0]->os().sleep_ns(100000);
    }
    reopened = b;
    ASSERT_GE(b, 0);
    uint64_t d_back = 0;
    ASSERT_EQ(t.mem_alloc(b, back.size(), &hbm_b), 0);
    ASSERT_EQ(t.map_host(b, back.data(), back.size(), &d_back), 0);
    std::memset(back.data(), 0x55, back.size());
    UserCb rd(t, b);
    rd.b.lin_dma(hbm_b, d_back, uint32_t(back.size()));
    st = run_one(t, b, kQ0, rd.handle, rd.b.size());
    zeros = std::all_of(back.data(), back.data() + back.size(), [](uint8_t v) { return v == 0; });
  });
  EXPECT_EQ(busy, -EBUSY);
  EXPECT_GE(reopened, 0);
  EXPECT_EQ(hbm_a, hbm_b);
  EXPECT_EQ(st, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(zeros) << "the next user read the previous user's bytes";
  EXPECT_EQ(w.device().hard_resets(), 0u);
  EXPECT_TRUE(w.logged("device still in use after its user closed it"));
}

TEST(CloseInFlight, ADeviceThatStaysBusyIsResetBeforeTheNextUser) {
  CsWorld w;
  HostBuffer icb(4096);
  int st = -1, after = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    // An internal job that waits on a fence nobody releases, next to an external job that
    // completes the CS: the CS is done, the DMA 2 QMAN is not.
    hlthunk::CbBuilder hang(icb.data(), 4096);
    hang.fence(2, 1, 1);
    uint64_t d_icb = 0;
    ASSERT_EQ(t.map_host(fd, icb.data(), icb.size(), &d_icb), 0);
    UserCb ext(t, fd);
    ext.b.nop();
    uint32_t status = 99;
    ASSERT_EQ(t.run(fd, {{GAUDI_QUEUE_ID_DMA_2_0, d_icb, hang.size()}, {kQ0, ext.handle, ext.b.size()}}, 1000000, &status), 0);
    st = int(status);
    ASSERT_EQ(t.close(fd), 0);  // not idle: reset, then the context goes
    int b = t.open(0);
    ASSERT_GE(b, 0);
    UserCb ok(t, b);
    ok.b.sob_add(300, 1);
    after = run_one(t, b, kQ0, ok.handle, ok.b.size());
  });
  EXPECT_EQ(st, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(after, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(w.device().hard_resets(), 1u);
  EXPECT_TRUE(w.logged("device not idle after the user context closed"));
}

TEST(HostMemory, RunningOutFailsTheCsAndTheSimulationGoesOn) {
  CsWorld w;
  HostBuffer src(4 << 20);
  int big = 0, small = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    w.card().hbm().store().set_resident_limit(1 << 20);  // the host has 1 MiB for this HBM
    for (size_t i = 0; i < src.size(); ++i) src.data()[i] = uint8_t(i * 31 + (i >> 12));
    uint64_t d_src = 0, hbm = 0;
    ASSERT_EQ(t.map_host(fd, src.data(), src.size(), &d_src), 0);
    ASSERT_EQ(t.mem_alloc(fd, src.size(), &hbm), 0);
    UserCb cb(t, fd), ok(t, fd);
    cb.b.lin_dma(d_src, hbm, uint32_t(src.size()));
    big = run_one(t, fd, kQ0, cb.handle, cb.b.size());
    ok.b.lin_dma(d_src, hbm, 4096);
    small = run_one(t, fd, GAUDI_QUEUE_ID_DMA_0_1, ok.handle, ok.b.size());
  });
  EXPECT_EQ(big, -EIO) << "the CS whose writes found no host memory fails";
  EXPECT_EQ(small, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_GT(w.card().hbm().store().failed_writes(), 0u);
  EXPECT_LE(w.card().hbm().store().resident_bytes(), 1u << 20);
  EXPECT_EQ(w.device().hard_resets(), 0u);
  EXPECT_TRUE(w.finished);
}

}  // namespace
}  // namespace gs::test
