// Command submission end to end: thunk -> driver (parser, queues) -> QMAN -> engines ->
// completion interrupt, with the data checked in host memory.
#include <cstring>

#include "cs_harness.hpp"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

constexpr unsigned kQ0 = GAUDI_QUEUE_ID_DMA_0_0;

TEST(CsPackets, NopCompletesAndRaisesTheQueueInterrupt) {
  CsWorld w;
  int status = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.nop();
    status = run_one(t, fd, kQ0, cb.handle, cb.b.size());
  });
  ASSERT_TRUE(w.body_done);
  EXPECT_EQ(status, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_GE(w.device().irq_count(), 1u);
  EXPECT_EQ(w.device().cs().counters().completed, 1u);
}

TEST(CsPackets, LinDmaHostToHbmAndBackMovesTheBytes) {
  CsWorld w;
  HostBuffer src(1 << 20), dst(1 << 20);
  src.fill_pattern(7);
  int status = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t hbm = 0, s = 0, d = 0;
    ASSERT_EQ(t.mem_alloc(fd, src.size(), &hbm), 0);
    ASSERT_EQ(t.map_host(fd, src.data(), src.size(), &s), 0);
    ASSERT_EQ(t.map_host(fd, dst.data(), dst.size(), &d), 0);
    UserCb cb(t, fd);
    cb.b.lin_dma(s, hbm, uint32_t(src.size()));
    cb.b.lin_dma(hbm, d, uint32_t(src.size()), /*eb*/ true);
    status = run_one(t, fd, kQ0, cb.handle, cb.b.size());
  });
  EXPECT_EQ(status, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(std::memcmp(src.data(), dst.data(), src.size()), 0);
}

TEST(CsPackets, MemsetFillsTheDestination) {
  CsWorld w;
  HostBuffer dst(4096);
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t d = 0;
    ASSERT_EQ(t.map_host(fd, dst.data(), dst.size(), &d), 0);
    UserCb cb(t, fd);
    cb.b.memset(d, 0xABABABABABABABABull, 4096);
    EXPECT_EQ(run_one(t, fd, kQ0, cb.handle, cb.b.size()), HL_WAIT_CS_STATUS_COMPLETED);
  });
  for (size_t i = 0; i < dst.size(); ++i) ASSERT_EQ(dst.data()[i], 0xAB) << i;
}

TEST(CsPackets, MsgLongWritesAValueAndATimestamp) {
  CsWorld w;
  HostBuffer buf(64);
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t d = 0;
    ASSERT_EQ(t.map_host(fd, buf.data(), buf.size(), &d), 0);
    UserCb cb(t, fd);
    cb.b.msg_long(d, 0xC0FFEE);
    cb.b.timestamp(d + 4);
    EXPECT_EQ(run_one(t, fd, kQ0, cb.handle, cb.b.size()), HL_WAIT_CS_STATUS_COMPLETED);
  });
  uint32_t v[2];
  std::memcpy(v, buf.data(), 8);
  EXPECT_EQ(v[0], 0xC0FFEEu);
  EXPECT_GT(v[1], 0u);  // simulated ns since start: the probe alone takes longer than 0
}

TEST(CsPackets, SyncObjectFromMsgShortReachesTheSyncManager) {
  CsWorld w;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.sob_set(200, 5);
    cb.b.sob_add(200, 3);
    EXPECT_EQ(run_one(t, fd, kQ0, cb.handle, cb.b.size()), HL_WAIT_CS_STATUS_COMPLETED);
  });
  EXPECT_EQ(w.card().sync_manager(3).sob(200), 8u);  // W_S is sync manager 3 in GAUDI order
}

TEST(CsPackets, MonitorReleasesAFenceOnAnotherQueue) {
  CsWorld w;
  HostBuffer buf(64);
  int status = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t d = 0;
    ASSERT_EQ(t.map_host(fd, buf.data(), buf.size(), &d), 0);
    // Queue 1 waits on its fence; queue 0 signals sync object 150, whose monitor feeds it.
    UserCb waiter(t, fd), signaller(t, fd);
    waiter.b.fence(0, 1, 1);
    waiter.b.timestamp(d + 4);
    signaller.b.monitor(80, 150, 1, hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_1, 0), 1);
    signaller.b.memset(GAUDI_DRAM_BASE_ADDR_USER, 0, 1u << 20);  // some device time (WAIT is not a user packet)
    signaller.b.timestamp(d, /*eb*/ true);
    signaller.b.sob_add(150, 1);
    uint64_t seq = 0;
    ASSERT_EQ(t.submit(fd, {{GAUDI_QUEUE_ID_DMA_0_1, waiter.handle, waiter.b.size()}, {kQ0, signaller.handle, signaller.b.size()}}, &seq), 0);
    uint32_t st = 0;
    EXPECT_EQ(t.wait_cs(fd, seq, 1000000, &st), 0);
    status = int(st);
  });
  EXPECT_EQ(status, HL_WAIT_CS_STATUS_COMPLETED);
  uint32_t ts[2];
  std::memcpy(ts, buf.data(), 8);
  EXPECT_GT(ts[1], ts[0]) << "the waiting queue ran before the signal";
}

TEST(CsPackets, RepeatRunsTheLoopBodyCountPlusOneTimes) {
  CsWorld w;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.sob_set(300, 0);
    cb.b.sob_add(300, 1);   // at qword 1: the loop body
    cb.b.repeat(1, 4);      // back to qword 1, four more times
    EXPECT_EQ(run_one(t, fd, kQ0, cb.handle, cb.b.size()), HL_WAIT_CS_STATUS_COMPLETED);
  });
  EXPECT_EQ(w.card().sync_manager(3).sob(300), 5u);
}

TEST(CsPackets, RingWrapsAroundOverManySubmissions) {
  CsWorld w;
  unsigned ok = 0;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.sob_add(400, 1);
    for (unsigned i = 0; i < GAUDI_QUEUE_LENGTH_EXT + 100; ++i)
      if (run_one(t, fd, kQ0, cb.handle, cb.b.size()) == HL_WAIT_CS_STATUS_COMPLETED) ++ok;
  });
  EXPECT_EQ(ok, GAUDI_QUEUE_LENGTH_EXT + 100u);
  EXPECT_EQ(w.card().sync_manager(3).sob(400), (GAUDI_QUEUE_LENGTH_EXT + 100u) & 0x7FFF);
}

TEST(CsPackets, ManySubmissionsInFlightAllComplete) {
  CsWorld w;
  unsigned ok = 0;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.sob_add(401, 1);
    std::vector<uint64_t> seqs(64);
    for (auto& s : seqs) ASSERT_EQ(t.submit(fd, {{kQ0, cb.handle, cb.b.size()}}, &s), 0);
    for (auto s : seqs) {
      uint32_t st = 9;
      if (t.wait_cs(fd, s, 1000000, &st) == 0 && st == HL_WAIT_CS_STATUS_COMPLETED) ++ok;
    }
  });
  EXPECT_EQ(ok, 64u);
  EXPECT_EQ(w.card().sync_manager(3).sob(401), 64u);
}

}  // namespace
}  // namespace gs::test
