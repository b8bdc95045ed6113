// QMAN faults: illegal packets stop only their stream and are reported with where they were;
// re-enabling restarts the stream; STOP; engine refusal and failure; reset; CFG1 flush.
#include "qman_world.hpp"

namespace gs::test {
namespace {

using sc_core::wait;

// A packet with opcode 0xE, which is not a packet.
packet_nop bad_opcode() {
  packet_nop p = gaudi_pkt_nop();
  p.ctl = gaudi_pkt_ctl(0xE, 0, 0, 0);
  return p;
}

TEST(QmanError, IllegalPacketStopsOnlyItsStreamUntilReenabled) {
  QmanWorld w;
  w.build();
  uint32_t sts0 = 0, sts1 = 0, err_lo = 0, err_wdata = 0;
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.setup_stream(1, 0x11000, 4);
    w.enable();
    Cb bad;
    bad.add(gaudi_pkt_nop()).add(gaudi_pkt_nop()).add(bad_opcode()).add(msg_long(0x1000, 1));
    w.submit(0, 0x20000, bad);
    w.submit(0, 0x21000, Cb().add(msg_long(0x1004, 2)));  // queued behind the bad CB
    wait(ns(3000));
    sts0 = w.rd(GAUDI_QM_GLBL_STS0);
    sts1 = w.rd(GAUDI_QM_GLBL_STS1(0));
    err_lo = w.rd(GAUDI_QM_GLBL_ERR_ADDR_LO);
    err_wdata = w.rd(GAUDI_QM_GLBL_ERR_WDATA);
    w.submit(1, 0x22000, Cb().add(msg_long(0x1008, 3)));  // other streams keep working
    wait(ns(3000));
    EXPECT_EQ(w.get32(0x1008), 3u);
    EXPECT_EQ(w.get32(0x1004), 0u);  // stream 0 is stopped
    // Re-enable stream 0: its bits cleared, then set.
    w.enable(GAUDI_QMAN_INTERNAL_ENABLE & ~(1u | 1u << GAUDI_QM_GLBL_CP_SHIFT));
    w.enable();
  });
  ASSERT_EQ(w.errors.size(), 1u);
  const QmanError& e = w.errors[0];
  EXPECT_EQ(e.qman, "qm");
  EXPECT_EQ(e.qman_id, 17u);
  EXPECT_EQ(e.stream, 0u);
  EXPECT_EQ(e.cb_addr, 0x20000u);
  EXPECT_EQ(e.offset, 16u);
  EXPECT_EQ(e.opcode, 0xEu);
  EXPECT_EQ(e.kind, QmanErrorKind::undefined_opcode);
  EXPECT_FALSE(e.reason.empty());
  EXPECT_TRUE(sts0 & qm_sts0::cp_stopped(0));
  EXPECT_TRUE(sts0 & qm_sts0::pqf_stopped(0));
  EXPECT_FALSE(sts0 & qm_sts0::cp_stopped(1));
  EXPECT_EQ(sts1, qm_sts1::kCpUndefCmdErr);
  EXPECT_EQ(err_lo, 0x20010u);
  EXPECT_EQ(err_wdata, gaudi_pkt_ctl(0xE, 0, 0, 0));
  EXPECT_EQ(w.get32(0x1000), 0u);  // the rest of the bad CB was dropped
  EXPECT_EQ(w.get32(0x1004), 2u);  // the queued CB ran after re-enable
  EXPECT_EQ(w.qm->sts1(0), 0u);
  EXPECT_FALSE(w.qm->stream_in_error(0));
}

// One faulty CB per case; each case gets a fresh stream state through re-enable.
TEST(QmanError, EveryFaultIsReportedWithItsKindAndOffset) {
  QmanWorld w;
  w.build();
  struct Case {
    Cb cb;
    uint32_t len;  // PQ entry length (may cut the CB short)
    QmanErrorKind kind;
    uint32_t offset, opcode;
    uint64_t cb_addr = 0;  // 0: the CB itself
  };
  std::vector<Case> cases;
  {
    Cb c;
    c.add(gaudi_pkt_nop()).add(msg_long(0x1000, 1));
    cases.push_back({c, 20, QmanErrorKind::truncated_packet, 8, PACKET_MSG_LONG});
  }
  {
    Cb c;
    c.add(gaudi_pkt_nop());
    cases.push_back({c, 12, QmanErrorKind::truncated_packet, 8, 0});
  }
  {
    packet_lin_dma p = gaudi_pkt_lin_dma(0, 0x1000, 64, 0, 0, 0);
    p.ctl &= ~GAUDI_PKT_LIN_DMA_CTL_LIN_MASK;
    cases.push_back({Cb().add(p), 24, QmanErrorKind::bad_packet, 0, PACKET_LIN_DMA});
  }
  cases.push_back({Cb().add(gaudi_pkt_lin_dma(0, 0x1000, 64, 0, 0, 0)), 24, QmanErrorKind::engine, 0, PACKET_LIN_DMA});
  cases.push_back({Cb().add(gaudi_pkt_nop()).add(make_repeat(2, 1)), 16, QmanErrorKind::bad_packet, 8, PACKET_REPEAT});
  cases.push_back({Cb().add(gaudi_pkt_load_and_exe(0x1000, 0, 0)), 16, QmanErrorKind::not_supported, 0, PACKET_LOAD_AND_EXE});
  cases.push_back({Cb().add(msg_long(0x7000000000ull, 1)), 16, QmanErrorKind::msg_write, 0, PACKET_MSG_LONG});
  cases.push_back({Cb().add(gaudi_pkt_wreg32(0x7FF0, 1, 0)), 8, QmanErrorKind::wreg_write, 0, PACKET_WREG_32});
  {
    Cb nested;  // nested CB at 0x60000 holding a CP_DMA at offset 8
    nested.add(gaudi_pkt_nop()).add(gaudi_pkt_cp_dma(0x60000, 8, 0));
    w.put(0x60000, nested.bytes.data(), nested.size());
    cases.push_back({Cb().add(gaudi_pkt_cp_dma(0x60000, nested.size(), 0)), 16, QmanErrorKind::bad_packet, 8,
                     PACKET_CP_DMA, 0x60000});
  }
  cases.push_back({Cb().add(gaudi_pkt_cp_dma(0x7000000000ull, 64, 0)), 16, QmanErrorKind::cb_read, 0, PACKET_CP_DMA});
  w.run([&] {
    w.setup_stream(2, 0x10000, 5);
    w.enable();
    for (size_t i = 0; i < cases.size(); ++i) {
      Cb c = cases[i].cb;
      c.bytes.resize(cases[i].len);
      w.submit(2, 0x20000 + 0x100 * i, c);
      wait(ns(3000));
      w.enable(0);  // re-enable for the next case
      w.enable();
    }
    // A CB at an unmapped address is a CB read error at offset 0.
    gaudi_qman_pq_entry e{0x7000000000ull, 64, 0};
    w.put(w.pq[2] + (w.pi[2] % 32) * 16, &e, sizeof e);
    w.pi[2] += 1;
    w.wr(GAUDI_QM_PQ_PI(2), w.pi[2]);
  });
  ASSERT_EQ(w.errors.size(), cases.size() + 1);
  for (size_t i = 0; i < cases.size(); ++i) {
    const QmanError& e = w.errors[i];
    EXPECT_EQ(e.kind, cases[i].kind) << i << ": " << e.reason;
    EXPECT_EQ(e.stream, 2u) << i;
    EXPECT_EQ(e.offset, cases[i].offset) << i;
    EXPECT_EQ(e.opcode, cases[i].opcode) << i;
    EXPECT_EQ(e.cb_addr, cases[i].cb_addr ? cases[i].cb_addr : 0x20000 + 0x100 * i) << i;
    EXPECT_EQ(e.queue_id(), 19u);
  }
  EXPECT_EQ(w.errors.back().kind, QmanErrorKind::cb_read);
  EXPECT_EQ(w.errors.back().cb_addr, 0x7000000000ull);
  EXPECT_EQ(w.qm->sts1(2), qm_sts1::kCpRdErr);
}

TEST(QmanError, StopHaltsTheStreamUntilReenabled) {
  QmanWorld w;
  w.build();
  uint32_t sts0 = 0;
  w.run([&] {
    w.setup_stream(1, 0x10000, 4);
    w.enable();
    w.submit(1, 0x20000, Cb().add(msg_long(0x1000, 1)).add(gaudi_pkt_stop(0)).add(msg_long(0x1004, 2)));
    wait(ns(3000));
    sts0 = w.rd(GAUDI_QM_GLBL_STS0);
    EXPECT_EQ(w.get32(0x1004), 0u);
    EXPECT_TRUE(w.qm->stream_stopped(1));
    EXPECT_EQ(w.qm->sts1(1), 0u);  // not an error: the driver treats STS1 bits as errors
    w.enable(0);
    w.enable();
  });
  EXPECT_TRUE(w.errors.empty());  // STOP is not an error
  EXPECT_EQ(w.get32(0x1000), 1u);
  EXPECT_TRUE(sts0 & qm_sts0::cp_stopped(1));
  EXPECT_FALSE(sts0 & qm_sts0::cp_idle(1));  // halted inside its CB
  EXPECT_EQ(w.get32(0x1004), 2u);            // resumed after the STOP
  EXPECT_FALSE(w.qm->stream_stopped(1));
}

TEST(QmanError, EngineRefusalAndLateFailureStopTheStream) {
  FakeEngine eng;
  QmanWorld w;
  w.build(&eng);
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.setup_stream(1, 0x11000, 4);
    w.enable();
    eng.refuse = true;
    w.submit(0, 0x20000, Cb().add(gaudi_pkt_lin_dma(0, 0x1000, 64, 0, 0, 0)).add(msg_long(0x1000, 1)));
    wait(ns(3000));
    eng.refuse = false;
    eng.fail = true;  // accepted, then reported failed 1 us later
    Cb late;
    late.add(gaudi_pkt_nop()).add(gaudi_pkt_lin_dma(0, 0x1000, 64, 0, 0, 0)).add(gaudi_pkt_fence(0, 1, 1, 0)).add(msg_long(0x1004, 1));
    w.submit(1, 0x21000, late);
    wait(ns(3000));
    EXPECT_FALSE(w.rd(GAUDI_QM_CP_STS(1)) & GAUDI_QM_CP_STS_FENCE_IN_PROGRESS_MASK);
  });
  ASSERT_EQ(w.errors.size(), 2u);
  EXPECT_EQ(w.errors[0].stream, 0u);
  EXPECT_EQ(w.errors[0].kind, QmanErrorKind::engine);
  EXPECT_EQ(w.errors[1].stream, 1u);
  EXPECT_EQ(w.errors[1].offset, 8u);  // the LIN_DMA, even though the stream had moved on
  EXPECT_EQ(w.qm->sts1(1), qm_sts1::kEngineErr);
  EXPECT_EQ(w.get32(0x1000), 0u);
  EXPECT_EQ(w.get32(0x1004), 0u);
}

TEST(QmanError, ResetDropsWorkAndClearsState) {
  FakeEngine eng;
  QmanWorld w;
  w.build(&eng);
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.wr(GAUDI_QM_CP_MSG_BASE_ADDR_LO(1, 0), 0x4000);
    w.submit(0, 0x20000, Cb().add(gaudi_pkt_fence(3, 1, 1, 0)).add(msg_long(0x1000, 1)));
    w.submit(0, 0x21000, Cb().add(msg_long(0x1004, 1)));
    wait(ns(3000));
    w.qm->reset();
    EXPECT_EQ(eng.resets, 1u);
    EXPECT_EQ(w.rd(GAUDI_QM_GLBL_CFG0), 0u);
    EXPECT_EQ(w.rd(GAUDI_QM_PQ_CI(0)), 0u);
    EXPECT_EQ(w.rd(GAUDI_QM_PQ_BASE_LO(0)), 0u);
    EXPECT_EQ(w.rd(GAUDI_QM_CP_MSG_BASE_ADDR_LO(1, 0)), 0u);
    EXPECT_EQ(w.rd(GAUDI_QM_CP_STS(0)), 0u);
    EXPECT_EQ(w.rd(GAUDI_QM_GLBL_STS0), qm_sts0::kAllIdle);
    w.wr(GAUDI_QM_CP_FENCE_RDATA(3, 0), 1);  // too late: the FENCE'd CB is gone
    wait(ns(3000));
    EXPECT_EQ(w.get32(0x1000), 0u);
    EXPECT_EQ(w.get32(0x1004), 0u);
    // The driver programs the queue again; the QMAN works as after power-on.
    w.pi.fill(0);
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.submit(0, 0x22000, Cb().add(msg_long(0x1008, 5)));
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.get32(0x1008), 5u);
  EXPECT_EQ(w.qm->fence(0, 3), 1u);  // the late RDATA write still counts
}

TEST(QmanError, Cfg1FlushDropsQueuedEntries) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.wr(GAUDI_QM_GLBL_CFG1, 1u << 0);  // PQF stop for stream 0
    w.enable();
    w.submit(0, 0x20000, Cb().add(msg_long(0x1000, 1)));
    w.submit(0, 0x21000, Cb().add(msg_long(0x1004, 1)));
    wait(ns(3000));
    EXPECT_EQ(w.qm->ci(0), 0u);
    EXPECT_TRUE(w.rd(GAUDI_QM_GLBL_STS0) & qm_sts0::pqf_stopped(0));
    w.wr(GAUDI_QM_GLBL_CFG1, 1u << GAUDI_QM_GLBL_CFG1_PQF_FLUSH_SHIFT);  // flush, un-stop
    wait(ns(3000));
    EXPECT_EQ(w.qm->ci(0), 2u);
    w.submit(0, 0x22000, Cb().add(msg_long(0x1008, 1)));
  });
  EXPECT_EQ(w.get32(0x1000), 0u);
  EXPECT_EQ(w.get32(0x1004), 0u);
  EXPECT_EQ(w.get32(0x1008), 1u);
}

}  // namespace
}  // namespace gs::test
