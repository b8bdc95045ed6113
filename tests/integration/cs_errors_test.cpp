// What goes wrong in command submission: every CS-parser refusal (-EPERM/-EINVAL/-EFAULT,
// nothing reaches the device), the card's RAZWI for protected registers, WAIT_CS timeouts, a hung CS recovered by the watchdog's hard reset, and an
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

using Fill = std::function<void(hlthunk::CbBuilder&, uint64_t hbm, uint64_t host)>;

// Builds a CB with `fill`, submits it on `queue` and expects `err` plus a log line that
// contains `why`; then checks the queue was never rung and the device still works.
void expect_rejected_on(unsigned queue, Fill fill, const std::string& why, int err = -EINVAL) {
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
  EXPECT_EQ(rc, err);
  EXPECT_EQ(pi_before, pi_after) << "a rejected CS reached the queue";
  EXPECT_TRUE(w.logged(why)) << "log should say: " << why;
  EXPECT_EQ(after, HL_WAIT_CS_STATUS_COMPLETED) << "device unusable after a rejection";
  EXPECT_EQ(w.device().cs().counters().rejected, 1u);
}

void expect_rejected(Fill fill, const std::string& why, int err = -EINVAL) {
  expect_rejected_on(kQ0, std::move(fill), why, err);
}

// The parser lets the CB through; the card refuses its write to a protected register with
// a RAZWI (logged with initiator and address), the CS fails, the queue works on.
void expect_razwi_on(unsigned queue, Fill fill, const std::string& why) {
  CsWorld w;
  HostBuffer host(4096);
  int rc = 0, after = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t hbm = 0, h = 0;
    ASSERT_EQ(t.mem_alloc(fd, 1 << 20, &hbm), 0);
    ASSERT_EQ(t.map_host(fd, host.data(), host.size(), &h), 0);
    UserCb cb(t, fd);
    fill(cb.b, hbm, h);
    UserCb ext(t, fd);
    ext.b.nop();
    std::vector<hlthunk::Thunk::Job> jobs{{queue, cb.handle, cb.b.size()}};
    if (queue != kQ0) jobs.push_back({kQ0, ext.handle, ext.b.size()});
    uint32_t st = 99;
    rc = t.run(fd, jobs, 1000000, &st);
    if (!rc) rc = int(st);
    UserCb ok(t, fd);
    ok.b.nop();
    after = run_one(t, fd, queue == kQ0 ? kQ0 : unsigned(GAUDI_QUEUE_ID_DMA_0_1), ok.handle, ok.b.size());
  });
  EXPECT_TRUE(rc == -EIO || (queue != kQ0 && rc == HL_WAIT_CS_STATUS_COMPLETED)) << rc;  // the external job may finish first
  EXPECT_TRUE(w.logged(why)) << "log should say: " << why;
  EXPECT_EQ(after, HL_WAIT_CS_STATUS_COMPLETED) << "device unusable after a RAZWI";
  EXPECT_EQ(w.device().events()[GAUDI_EVENT_RAZWI_OR_ADC], 1u);
}

void expect_razwi(Fill fill, const std::string& why) { expect_razwi_on(kQ0, std::move(fill), why); }

TEST(CsParser, RefusesMsgProt) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t h) {
    packet_msg_long p = gaudi_pkt_msg_long(PACKET_MSG_PROT, h, 1, 0, 0, 0, 1);
    b.raw(&p, sizeof p);
  }, "(MSG_PROT) at offset 0x0: user CBs may not use it on an external queue", -EPERM);
}

TEST(CsParser, RefusesCpDma) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t h) { b.cp_dma(h, 64); }, "(CP_DMA) at offset 0x0", -EPERM);
}

TEST(CsParser, RefusesStop) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t) { b.nop(); b.stop(); }, "packet 1 (STOP)", -EPERM);
}

TEST(CsParser, RefusesWregBulk) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    const uint64_t v[1] = {0};
    b.wreg_bulk(GAUDI_DMA_CORE_WR_COMP_WDATA, v, 1);
  }, "(WREG_BULK) at offset 0x0", -EPERM);
}

TEST(CsParser, RefusesLoadAndExeIntoTheCp) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t h) {
    packet_load_and_exe p = gaudi_pkt_load_and_exe(h, GAUDI_PKT_LOAD_AND_EXE_CFG_DST_MASK, 0);
    b.raw(&p, sizeof p);
  }, "LOAD_AND_EXE with DST set", -EPERM);
}

TEST(CsParser, RefusesWait) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t, uint64_t) { b.wait(1, 1, 0); }, "(WAIT) at offset 0x0: invalid packet");
}

TEST(CsParser, RefusesDmaFromHostMemoryNotMapped) {
  expect_rejected([](hlthunk::CbBuilder& b, uint64_t hbm, uint64_t) {
    b.nop();
    b.lin_dma(GAUDI_HOST_PHYS_BASE + 0x100000000ull, hbm, 64);
  }, "packet 1 (LIN_DMA) at offset 0x8: source", -EFAULT);
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

TEST(CardProtection, RefusesTheDriversSyncObjects) {
  expect_razwi([](hlthunk::CbBuilder& b, uint64_t, uint64_t) { b.sob_add(10, 1); },
               "RAZWI: DMA0_QM wrote protected address 0x7ffc492028");
}

TEST(CardProtection, RefusesTheDriversMonitors) {
  expect_razwi([](hlthunk::CbBuilder& b, uint64_t, uint64_t h) { b.monitor(3, 150, 1, h, 1); },
               "RAZWI: DMA0_QM wrote protected address 0x7ffc49400c");
}

TEST(CardProtection, RefusesMsgLongToPrivilegedRegisters) {
  expect_razwi([](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    b.msg_long(GAUDI_CFG_BASE + GAUDI_BLK_DMA_QM(0) + GAUDI_QM_PQ_BASE_LO(0), 0);
  }, "RAZWI: DMA0_QM wrote protected address 0x7ffc508070");
}

TEST(CardProtection, RefusesWregIntoTheQmanBlock) {
  expect_razwi([](hlthunk::CbBuilder& b, uint64_t, uint64_t) { b.wreg32(0x8000 + GAUDI_QM_GLBL_CFG0, 0); },
               "RAZWI: DMA0_QM wrote protected address 0x7ffc508000");
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
    cb.b.memset(GAUDI_DRAM_BASE_ADDR_USER, 0, 64u << 20);  // a while of device time (WAIT is not a user packet)
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

// The driver reads every CB it can, internal ones too (an undefined opcode there is refused
// at submission). A CB in device memory it cannot read: there the hardware
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

// Internal queues get no packet rules, as in Linux: the card polices their registers too.
TEST(CardProtection, PolicesInternalQueuesToo) {
  expect_razwi_on(GAUDI_QUEUE_ID_NIC_0_0, [](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    b.msg_long(GAUDI_CFG_BASE + GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_DESTROY);
  }, "RAZWI: NIC0_QM wrote protected address 0x7ffcce4004");
}

TEST(CardProtection, RefusesWregIntoNicQpContexts) {
  expect_razwi_on(GAUDI_QUEUE_ID_NIC_0_0, [](hlthunk::CbBuilder& b, uint64_t, uint64_t) {
    b.wreg32(0x4000 + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_DESTROY);  // QPC0 in the NIC QMAN's window
  }, "RAZWI: NIC0_QM wrote protected address 0x7ffcce4004");
}

}  // namespace
}  // namespace gs::test
