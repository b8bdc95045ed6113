// The driver's heartbeat to the device CPU (docs/reliability.md): Linux sends it every
// driver.heartbeat_ms from the moment the device is operational, busy or idle, and
// hard-resets the card when the CPU does not answer. gaudisim keeps that schedule: while work
// is in flight at each tick, while idle at the next ioctl (before it is served). No false
// alarm while the firmware boots (5 s at the defaults) or resets.
#include <gmock/gmock.h>

#include <algorithm>

#include "cs_harness.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;

// A 4 KiB host -> HBM -> host round trip; true if it completed and the data came back.
bool round_trip(hlthunk::Thunk& t, int fd) {
  HostBuffer src(4096), dst(4096);
  src.fill_pattern(5);
  uint64_t hbm = 0, s = 0, d = 0;
  if (t.mem_alloc(fd, 4096, &hbm) || t.map_host(fd, src.data(), 4096, &s) || t.map_host(fd, dst.data(), 4096, &d))
    return false;
  for (auto [from, to] : {std::pair{s, hbm}, std::pair{hbm, d}}) {
    UserCb cb(t, fd);
    cb.b.lin_dma(from, to, 4096, true);
    if (run_one(t, fd, GAUDI_QUEUE_ID_DMA_0_0, cb.handle, cb.b.size(), 200000) != HL_WAIT_CS_STATUS_COMPLETED)
      return false;
  }
  return std::equal(src.data(), src.data() + 4096, dst.data());
}

void idle_until(double ms) { sc_core::wait(sc_core::sc_time(ms, sc_core::SC_MS) - sc_core::sc_time_stamp()); }

// The CPU dies at 3 ms while nothing is in flight; heartbeats fell due at about 2, 4 and 6 ms.
// The user's next work, at 8 ms, first gets the heartbeat Linux would have sent: no answer,
// hard reset; then the work runs on the rebooted card, nothing lost.
TEST(Heartbeat, CpuThatDiesWhileTheDeviceIsIdleIsFoundBeforeTheNextWork) {
  CsWorld w;
  w.params.driver.heartbeat_ms = 2;
  w.params.fault.events = "3ms cpu_hang card0";
  bool before = false, after = false;
  uint32_t resets_while_idle = 99;
  w.run([&](hlthunk::Thunk& t, int fd) {
    before = round_trip(t, fd);
    idle_until(8);
    resets_while_idle = w.device().hard_resets();
    after = round_trip(t, fd);
  });
  ASSERT_TRUE(w.finished) << "an idle device must not keep the simulation running";
  EXPECT_TRUE(before);
  EXPECT_EQ(resets_while_idle, 0u) << "gaudisim's deviation: the check waits for the next ioctl";
  EXPECT_EQ(w.device().heartbeat_failures(), 1u);
  EXPECT_EQ(w.device().hard_resets(), 1u);
  EXPECT_THAT(w.device().last_reset_reason(), HasSubstr("heartbeat lost"));
  EXPECT_FALSE(w.card().cpu().hung()) << "the reset rebooted the CPU";
  EXPECT_TRUE(after) << "the work after the reset completes with its data";
}

// At the real boot and reset times and the real 5 s period: heartbeats sent across idle
// periods and while a CS waits for 6 s, all answered; no reset.
TEST(Heartbeat, NoFalseAlarmAtTheRealFiveSecondBootWhileIdleOrBusy) {
  CsWorld w;
  w.params.card.boot_us = CardParams{}.boot_us;  // 5 s: probe ends at about 5.01 s
  w.params.card.reset_us = CardParams{}.reset_us;
  w.params.driver.cs_timeout_ms = 30000;
  w.params.sim.max_time_ms = 40000;
  bool first = false, idle = false;
  int waited = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    first = round_trip(t, fd);
    idle_until(16000);  // the ticks at about 10 s and 15 s fell due while idle
    idle = round_trip(t, fd);
    UserCb waiter(t, fd), release(t, fd);  // in flight from 16 s to 22 s: the tick at 20 s is sent by the thread
    waiter.b.monitor(94, 240, 1, hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 0), 1);
    waiter.b.fence(0, 1, 1);
    waiter.b.sob_set(240, 0);
    release.b.sob_add(240, 1);
    uint64_t seq = 0;
    ASSERT_EQ(t.submit(fd, {{GAUDI_QUEUE_ID_DMA_0_0, waiter.handle, waiter.b.size()}}, &seq), 0);
    idle_until(22000);
    ASSERT_EQ(run_one(t, fd, GAUDI_QUEUE_ID_DMA_1_0, release.handle, release.b.size()), HL_WAIT_CS_STATUS_COMPLETED);
    uint32_t st = 99;
    t.wait_cs(fd, seq, 1000000, &st);
    waited = int(st);
  });
  ASSERT_TRUE(w.finished);
  EXPECT_TRUE(first);
  EXPECT_TRUE(idle);
  EXPECT_EQ(waited, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_GE(w.device().heartbeats_sent(), 2u) << "the caught-up one at 16 s and the in-flight one at 20 s";
  EXPECT_EQ(w.device().heartbeat_failures(), 0u);
  EXPECT_EQ(w.device().hard_resets(), 0u);
}

}  // namespace
}  // namespace gs::test
