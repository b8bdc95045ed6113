// What goes wrong in command submission: every CS-parser refusal (-EINVAL, nothing reaches
// the device), WAIT_CS timeouts, a hung CS recovered by the watchdog's hard reset, and an
// illegal packet on an internal queue raising the QMAN's error event while the card stays
// usable.
#include <cerrno>
#include <cstring>

#include "cs_harness.hpp"
#include "specs/gaudi/events.h"
#include "specs/gaudi/nic.h"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

constexpr unsigned kQ0 = GAUDI_QUEUE_ID_DMA_0_0;

// Builds a CB with `fill`, submits it on queue 0 and expects -EINVAL plus a log line that
// contains `why`; then checks the queue was never rung and the device still works.
void expect_rejected_on(unsigned queue, std::function<void(hlthunk::CbBuilder&, uint64_t hbm, uint64_t host)> fill,
                        const std::string& why) {
  CsWorld w;
  HostBuffer host(4096);
  int rc = 0, after = -1;
  uint32_t pi_before = 1, pi_after = 2;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t hbm = 0, h = 0;
    ASSERT_EQ(t.mem_alloc(fd, 1 << 20, &hbm), 0);
    ASSERT_EQ(t.map_host(fd, host.data(), host.size(), &h), 0);
    UserCb cb(t, fd);
    fill(cb.b, hbm, h);
    pi_before = w.device().cs().queues()[queue].pi;
    uint64_t seq = 0;
    UserCb ext(t, fd);
    ext.b.nop();
    std::vector<hlthunk::Thunk::Job> jobs{{queue, cb.handle, cb.b.size()}};
    if (queue != kQ0) jobs.push_back({kQ0, ext.handle, ext.b.size()});
    rc = t.submit(fd, jobs, &seq);
    pi_after = w.device().cs().queues()[queue].pi;
    UserCb ok(t, fd);
    ok.b.nop();
    after = run_one(t, fd, kQ0, ok.handle, ok.b.size());
  });
  EXPECT_EQ(rc, -EINVAL);
  EXPECT_EQ(pi_before, pi_after) << "a rejected CS reached the queue";
  EXPECT_TRUE(w.logged(why)) << "log should say: " << why;
  EXPECT_EQ(after, HL_WAIT_CS_STATUS_COMPLETED) << "device unusable after a rejection";
  EXPECT_EQ(w.device().cs().counters().rejected, 1u);
}

void expect_rejected(std::function<void(hlthunk::CbBuilder&, uint64_t hbm, uint64_t host)> fill, const std::string& why) {
  expect_rejected_on(kQ0, std::move(fill), why);
}

TEST(CsParser, RefusesMsgProt) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t h) {
    packet_msg_long p = gaudi_pkt_msg_long(PACKET_MSG_PROT, h, 1, 0, 0, 0, 1);
    b.raw(&p, sizeof p);
  }, "(MSG_PROT) at offset 0x0: protected packet");
}

TEST(CsParser, RefusesDmaOutsideTheContextsMemory) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t hbm, uint64_t) { b.lin_dma(hbm, 0x1000, 64); },
                  "destination 0x1000 + 64 is outside the context's memory");
}

TEST(CsParser, RefusesDmaFromMemoryOfNobody) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t hbm, uint64_t) {
    b.nop();
    b.lin_dma(GAUDI_HOST_PHYS_BASE + 0x100000000ull, hbm, 64);
  }, "packet 1 (LIN_DMA) at offset 0x8: source");
}

TEST(CsParser, RefusesDmaRunningPastTheAllocation) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t hbm, uint64_t h) { b.lin_dma(h, hbm + (2 << 20) - 8, 4096); },  // allocations are whole 2 MiB pages
                  "is outside the context's memory");
}

TEST(CsParser, RefusesTheDriversSyncObjects) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t) { b.sob_add(10, 1); },
                  "is not a sync object or monitor the user owns");
}

TEST(CsParser, RefusesTheDriversMonitors) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t h) { b.monitor(3, 150, 1, h, 1); },
                  "(MSG_SHORT) at offset 0x0");
}

TEST(CsParser, RefusesMsgLongToPrivilegedRegisters) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    b.msg_long(GAUDI_CFG_BASE + GAUDI_BLK_DMA_QM(0) + GAUDI_QM_PQ_BASE_LO(0), 0);
  }, "is neither memory of the context nor a user sync object");
}

TEST(CsParser, RefusesWregIntoTheQmanBlock) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t) { b.wreg32(0x8000 + GAUDI_QM_GLBL_CFG0, 0); },
                  "is outside the engine's user registers");
}

TEST(CsParser, RefusesUnknownOpcodes) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    uint32_t bad[2] = {0, gaudi_pkt_ctl(0xE, 0, 0, 0)};
    b.raw(bad, 8);
  }, "unknown opcode 14");
}

TEST(CsParser, RefusesAPacketRunningPastTheEnd) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t hbm, uint64_t h) {
    packet_lin_dma p = gaudi_pkt_lin_dma(h, hbm, 64, 0, 0, 0);
    b.raw(&p, 16);  // 24-byte packet cut at 16
  }, "packet runs past the end of the CB");
}

TEST(CsParser, RefusesCpDmaAndStop) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t h) { b.cp_dma(h, 64); }, "CP_DMA would fetch");
}

TEST(CsSubmit, RefusesBadQueuesHandlesAndSizes) {
  CsWorld w;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.nop();
    uint64_t seq;
    EXPECT_EQ(t.submit(fd, {{GAUDI_QUEUE_ID_SIZE, cb.handle, 8}}, &seq), -EINVAL);
    EXPECT_EQ(t.submit(fd, {{GAUDI_QUEUE_ID_CPU_PQ, cb.handle, 8}}, &seq), -EINVAL);
    EXPECT_EQ(t.submit(fd, {{kQ0, cb.handle + 0x1000, 8}}, &seq), -EINVAL);  // unknown handle
    EXPECT_EQ(t.submit(fd, {{kQ0, cb.handle, 0}}, &seq), -EINVAL);
    EXPECT_EQ(t.submit(fd, {{kQ0, cb.handle, 8192}}, &seq), -EINVAL);        // beyond the CB
    EXPECT_EQ(t.submit(fd, {}, &seq), -EINVAL);
    // Only an internal job: nothing would ever complete it.
    uint64_t hbm = 0;
    ASSERT_EQ(t.mem_alloc(fd, 4096, &hbm), 0);
    EXPECT_EQ(t.submit(fd, {{GAUDI_QUEUE_ID_DMA_2_0, hbm, 8}}, &seq), -EINVAL);
    EXPECT_EQ(run_one(t, fd, kQ0, cb.handle, 8), HL_WAIT_CS_STATUS_COMPLETED);
  });
  EXPECT_TRUE(w.body_done);
}

TEST(WaitCs, ZeroTimeoutReportsBusyAndUnknownSeqIsInvalid) {
  CsWorld w;
  uint32_t busy = 9, done = 9;
  int bad = 0;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.wait(165000, 0, 0);  // 100 us of device time
    uint64_t seq;
    ASSERT_EQ(t.submit(fd, {{kQ0, cb.handle, cb.b.size()}}, &seq), 0);
    EXPECT_EQ(t.wait_cs(fd, seq, 0, &busy), 0);
    EXPECT_EQ(t.wait_cs(fd, seq, 10, &busy), 0);  // the user's timeout: still busy
    EXPECT_EQ(t.wait_cs(fd, seq, 1000000, &done), 0);
    uint32_t st;
    bad = t.wait_cs(fd, seq + 5, 0, &st);
  });
  EXPECT_EQ(busy, HL_WAIT_CS_STATUS_BUSY);
  EXPECT_EQ(done, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(bad, -EINVAL);
}

TEST(WaitCs, HungSubmissionTimesOutResetsTheCardAndTheNextOneWorks) {
  CsWorld w;
  w.params.driver.cs_timeout_ms = 2;
  int rc = 0, next = -1;
  uint32_t st = 99;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb hang(t, fd), ok(t, fd);
    hang.b.fence(2, 1, 1);  // nobody ever signals fence 2
    ok.b.sob_add(500, 1);
    uint64_t seq;
    ASSERT_EQ(t.submit(fd, {{kQ0, hang.handle, hang.b.size()}}, &seq), 0);
    rc = t.wait_cs(fd, seq, 1000000, &st);
    next = run_one(t, fd, kQ0, ok.handle, ok.b.size());
  });
  EXPECT_EQ(rc, -ETIMEDOUT);
  EXPECT_EQ(st, HL_WAIT_CS_STATUS_TIMEDOUT);
  EXPECT_EQ(next, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(w.device().hard_resets(), 1u);
  EXPECT_EQ(w.card().hard_resets(), 1u);
  EXPECT_TRUE(w.logged("did not complete within its timeout: hard-resetting the device"));
  EXPECT_EQ(w.card().sync_manager(3).sob(500), 1u);  // the reset cleared the sync objects first
  EXPECT_TRUE(w.finished);
}

// The driver checks every CB it can read, internal ones too (a bad packet there is refused
// at submission: see CsParser.*). A CB in device memory it cannot read: there the hardware
// finds the illegal packet, raises the QMAN's event, the driver fails that job and restarts
// the stream, and the card stays usable without a reset.
TEST(QmanError, IllegalPacketInADeviceResidentCbRaisesTheEventAndTheCardStaysUsable) {
  CsWorld w;
  HostBuffer staging(4096);
  int rc = 0, next = -1, refused = 0;
  uint32_t st = 99;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t stage_d = 0, hbm = 0;
    ASSERT_EQ(t.map_host(fd, staging.data(), staging.size(), &stage_d), 0);
    ASSERT_EQ(t.mem_alloc(fd, 4096, &hbm), 0);
    hlthunk::CbBuilder bad(staging.data(), 2048);
    bad.nop();
    uint32_t junk[2] = {0, gaudi_pkt_ctl(0xE, 0, 0, 0)};
    bad.raw(junk, 8);
    bad.sob_add(600, 1);
    // Submitted from host memory, the driver refuses it...
    uint64_t seq;
    UserCb ext(t, fd);
    ext.b.nop();
    refused = t.submit(fd, {{GAUDI_QUEUE_ID_DMA_2_0, stage_d, bad.size()}, {kQ0, ext.handle, ext.b.size()}}, &seq);
    // ...so the program copies it to HBM and submits it from there.
    UserCb up(t, fd);
    up.b.lin_dma(stage_d, hbm, 2048, true);
    ASSERT_EQ(run_one(t, fd, kQ0, up.handle, up.b.size()), HL_WAIT_CS_STATUS_COMPLETED);
    ASSERT_EQ(t.submit(fd, {{GAUDI_QUEUE_ID_DMA_2_0, hbm, bad.size()}, {kQ0, ext.handle, ext.b.size()}}, &seq), 0);
    rc = t.wait_cs(fd, seq, 1000000, &st);
    // The stream was restarted: the same queue works again.
    hlthunk::CbBuilder good(staging.data() + 2048, 2048);
    good.sob_add(601, 1);
    UserCb ext2(t, fd);
    ext2.b.monitor(90, 601, 1, hlthunk::fence_rdata_addr(kQ0, 1), 1);
    ext2.b.fence(1, 1, 1);
    ASSERT_EQ(t.submit(fd, {{GAUDI_QUEUE_ID_DMA_2_0, stage_d + 2048, good.size()}, {kQ0, ext2.handle, ext2.b.size()}}, &seq), 0);
    uint32_t st2 = 99;
    t.wait_cs(fd, seq, 1000000, &st2);
    next = int(st2);
  });
  EXPECT_EQ(refused, -EINVAL);
  EXPECT_TRUE(rc == 0 || rc == -EIO) << rc;  // the external job may finish first
  EXPECT_EQ(next, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(w.logged("DMA2_QM stream 0 error")) << "the driver decodes the event";
  EXPECT_EQ(w.device().events()[GAUDI_EVENT_DMA0_QM + 2], 1u);
  EXPECT_EQ(w.card().sync_manager(3).sob(600), 0u) << "the stream went on after the bad packet";
  EXPECT_EQ(w.card().sync_manager(3).sob(601), 1u);
  EXPECT_EQ(w.device().hard_resets(), 0u);
}

TEST(CsParser, ChecksInternalQueueCbsToo) {
  expect_rejected_on(GAUDI_QUEUE_ID_NIC_0_0, [](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    b.msg_long(GAUDI_CFG_BASE + GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_DESTROY);
  }, "is neither memory of the context nor a user sync object");
}

TEST(CsParser, RefusesWregIntoNicQpContexts) {
  expect_rejected_on(GAUDI_QUEUE_ID_NIC_0_0, [](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    b.wreg32(0x4000 + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_DESTROY);  // QPC0 in the NIC QMAN's window
  }, "is outside the engine's user registers");
}

}  // namespace
}  // namespace gs::test
