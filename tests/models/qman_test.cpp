// QMAN registers and the effect of each packet type. Expected times are worked out from the
// world's parameters (qman_world.hpp): simulated time is exact and deterministic.
#include "qman_world.hpp"

namespace gs::test {
namespace {

using sc_core::wait;

TEST(Qman, RegisterBlockAfterReset) {
  QmanWorld w;
  w.build();
  w.run([&] {
    EXPECT_EQ(w.rd(GAUDI_QM_GLBL_STS0), qm_sts0::kAllIdle);  // idle, nothing stopped
    EXPECT_EQ(w.rd(GAUDI_QM_GLBL_CFG0), 0u);
    w.wr(GAUDI_QM_PQ_CI(0), 5);  // CI belongs to the QMAN: ignored
    EXPECT_EQ(w.rd(GAUDI_QM_PQ_CI(0)), 0u);
    w.wr(GAUDI_QM_CP_FENCE_RDATA(1, 2), 3);  // RDATA adds to the counter
    w.wr(GAUDI_QM_CP_FENCE_RDATA(1, 2), 4);
    wait(ns(w.hop_ns + w.reg_ns));  // posted writes act when they arrive
    EXPECT_EQ(w.rd(GAUDI_QM_CP_FENCE_CNT(1, 2)), 7u);
    EXPECT_EQ(w.qm->fence(2, 1), 7u);
    w.wr(GAUDI_QM_CP_MSG_BASE_ADDR_HI(3, 4), 0x12345678);
    EXPECT_EQ(w.rd(GAUDI_QM_CP_MSG_BASE_ADDR_HI(3, 4)), 0x12345678u);
    w.wr(GAUDI_QM_PQ_PI(1), 3);
    EXPECT_EQ(w.rd(GAUDI_QM_PQ_PI(1)), 3u);
    EXPECT_EQ(w.rd(GAUDI_QM_GLBL_STS0) & qm_sts0::pqf_idle(1), 0u);  // work queued (disabled)
    uint32_t v = 0;
    sc_core::sc_time d;
    EXPECT_EQ(bus_access(*w.noc, tlm::TLM_READ_COMMAND, w.reg_addr(0x064), &v, 4, d),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);  // a hole in the map
  });
}

// A QMAN holds no SystemC event or process until a register effect has to wait (the card
// has 28 QMANs, and SystemC names and registers what elaboration makes); effects still run
// in write order: one written to act at once waits for an earlier one due later.
TEST(Qman, NothingRegisteredAtElaborationAndEffectsKeepWriteOrder) {
  QmanWorld w;
  w.hop_ns = w.reg_ns = 0;
  w.build();
  EXPECT_TRUE(w.qm->get_child_events().empty());
  EXPECT_TRUE(w.qm->get_child_objects().empty());
  std::vector<uint32_t> seen;
  w.run([&] {
    uint32_t three = 3, four = 4;
    sc_core::sc_time later = ns(50), at_once = sc_core::SC_ZERO_TIME;
    bus_access(*w.noc, tlm::TLM_WRITE_COMMAND, w.reg_addr(GAUDI_QM_CP_FENCE_RDATA(0, 0)), &three, 4, later);
    bus_access(*w.noc, tlm::TLM_WRITE_COMMAND, w.reg_addr(GAUDI_QM_CP_FENCE_RDATA(0, 0)), &four, 4, at_once);
    wait(ns(1));
    seen.push_back(w.qm->fence(0, 0));
    wait(ns(49));
    seen.push_back(w.qm->fence(0, 0));
  });
  EXPECT_EQ(seen, (std::vector<uint32_t>{0, 7}));
  EXPECT_EQ(w.qm->get_child_objects().size(), 1u);  // the method of zero-delay wakes, made by the second write
}

TEST(Qman, StreamFetchesOnlyWithPqfAndCpEnabled) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.submit(0, 0x20000, Cb().add(msg_long(0x1000, 0xAA)));
    wait(sc_core::sc_time(5, sc_core::SC_US));
    EXPECT_EQ(w.qm->ci(0), 0u);
    w.enable(GAUDI_QM_GLBL_PQF_MASK);  // fetchers only
    wait(sc_core::sc_time(5, sc_core::SC_US));
    EXPECT_EQ(w.qm->ci(0), 0u);
    w.enable(GAUDI_QMAN_PCI_DMA_ENABLE);
    wait(sc_core::sc_time(5, sc_core::SC_US));
    EXPECT_EQ(w.qm->ci(0), 1u);
    EXPECT_EQ(w.get32(0x1000), 0xAAu);
  });
  EXPECT_TRUE(w.errors.empty());
}

TEST(Qman, Wreg32AndWregBulkWriteTheEngineWindow) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(2, 0x10000, 4);
    w.enable();
    Cb cb;
    cb.add(gaudi_pkt_wreg32(0x100, 0xCAFEF00D, 0));
    cb.add(gaudi_pkt_wreg_bulk(0x200, 2, 0)).u64(0x1111111122222222ull).u64(0x3333333344444444ull);
    w.submit(2, 0x20000, cb);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.engine_regs->value(0x100), 0xCAFEF00Du);
  EXPECT_EQ(w.engine_regs->value(0x200), 0x22222222u);
  EXPECT_EQ(w.engine_regs->value(0x204), 0x11111111u);
  EXPECT_EQ(w.engine_regs->value(0x208), 0x44444444u);
  EXPECT_EQ(w.engine_regs->value(0x20C), 0x33333333u);
  EXPECT_EQ(w.qm->packets_executed(), 2u);
}

TEST(Qman, MsgLongMsgProtAndTimestampAtExactTimes) {
  QmanWorld w;
  w.build();
  const double ring = 1000;
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    wait(ns(ring));
    Cb cb;
    cb.add(msg_long(0x1000, 0xABCD));
    cb.add(gaudi_pkt_msg_long(PACKET_MSG_PROT, QmanWorld::kHost + 0x40, 0x5151, 0, 0, 1, 1));
    cb.add(msg_timestamp(0x1004));
    w.submit(0, 0x20000, cb);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.get32(0x1000), 0xABCDu);
  EXPECT_EQ(w.get32(QmanWorld::kHost + 0x40), 0x5151u);
  // Packet 3 starts after two packets and their writes (one to HBM, one to the host).
  double t = w.cb_fetched_ns(ring, 48) + w.pkt_ns() + w.write_ns() + w.pkt_ns() + w.write_ns(true) + w.pkt_ns();
  EXPECT_EQ(t, 1893.0);  // 1000 + 15 + 16 + 109 + 117 + 8 + 106 + 8 + 506 + 8
  EXPECT_EQ(w.get32(0x1004), uint32_t(t));
}

TEST(Qman, NopAndArbPointCostOnePacketEach) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.submit(0, 0x20000, Cb().add(gaudi_pkt_nop()).add(gaudi_pkt_arb_point(1, 0)).add(msg_timestamp(0x1000)));
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.get32(0x1000), uint32_t(w.cb_fetched_ns(0, 32) + 3 * w.pkt_ns()));
}

TEST(Qman, MsgShortUsesTheStreamsMessageBases) {
  QmanWorld w;
  w.build();
  w.run([&] {
    w.setup_stream(1, 0x10000, 4);
    w.wr(GAUDI_QM_CP_MSG_BASE_ADDR_LO(3, 1), 0x20000);  // base 3 of CP 1: HBM
    w.wr(GAUDI_QM_CP_MSG_BASE_ADDR_LO(0, 1), 0x100);     // base 0 of CP 1: host
    w.wr(GAUDI_QM_CP_MSG_BASE_ADDR_HI(0, 1), uint32_t(QmanWorld::kHost >> 32));
    w.wr(GAUDI_QM_CP_MSG_BASE_ADDR_LO(3, 0), 0x30000);  // another stream's base: unused
    w.enable();
    Cb cb;
    cb.add(gaudi_pkt_msg_short(3, 0x10, gaudi_msg_short_sob_value(7, 1), 0, 1, 1));
    cb.add(gaudi_pkt_msg_short(0, 0x4, 9, 0, 1, 1));
    w.submit(1, 0x40000, cb);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.get32(0x20010), gaudi_msg_short_sob_value(7, 1));
  EXPECT_EQ(w.get32(QmanWorld::kHost + 0x104), 9u);
  EXPECT_EQ(w.get32(0x30010), 0u);
}

TEST(Qman, CpDmaRunsANestedCb) {
  QmanWorld w;
  w.build();
  Cb nested;
  nested.add(msg_long(0x1004, 2)).add(gaudi_pkt_wait(10, 1, 3));
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    w.put(0x50000, nested.bytes.data(), nested.size());
    Cb outer;
    outer.add(msg_long(0x1000, 1)).add(gaudi_pkt_cp_dma(0x50000, nested.size(), 0)).add(msg_long(0x1008, 3));
    w.submit(0, 0x20000, outer);
  });
  EXPECT_TRUE(w.errors.empty());
  EXPECT_EQ(w.get32(0x1000), 1u);
  EXPECT_EQ(w.get32(0x1004), 2u);
  EXPECT_EQ(w.get32(0x1008), 3u);
  EXPECT_EQ(w.qm->fence(0, 3), 1u);  // the nested CB's WAIT used the stream's fences
  EXPECT_EQ(w.qm->packets_executed(), 5u);
}

TEST(Qman, LinDmaGoesToTheEngine) {
  FakeEngine eng;
  QmanWorld w;
  w.build(&eng);
  w.run([&] {
    w.setup_stream(3, 0x10000, 4);
    w.enable();
    w.submit(3, 0x20000, Cb().add(gaudi_pkt_lin_dma(0x1000, 0x2000, 256, GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK, 0x1234, 0)));
  });
  EXPECT_TRUE(w.errors.empty());
  ASSERT_EQ(eng.jobs.size(), 1u);
  EXPECT_EQ(eng.jobs[0].src_addr, 0x1000u);
  EXPECT_EQ(eng.jobs[0].tsize, 256u);
  EXPECT_EQ(gaudi_pkt_lin_dma_context_id(&eng.jobs[0]), 0x1234u);
  EXPECT_NEAR(to_ns(eng.starts[0]), w.cb_fetched_ns(0, 24) + w.pkt_ns(), 1e-6);
}

TEST(Qman, EngineBarrierWaitsForTheEngine) {
  FakeEngine eng;
  QmanWorld w;
  w.build(&eng);
  w.run([&] {
    w.setup_stream(0, 0x10000, 4);
    w.enable();
    Cb cb;
    cb.add(gaudi_pkt_lin_dma(0x1000, 0x2000, 64, 0, 0, 0));
    cb.add(msg_timestamp(0x3000, /*eb*/ 0));  // runs while the engine works
    cb.add(msg_timestamp(0x3004, /*eb*/ 1));  // waits until the engine is idle
    w.submit(0, 0x20000, cb);
  });
  EXPECT_TRUE(w.errors.empty());
  ASSERT_EQ(eng.starts.size(), 1u);
  double start = to_ns(eng.starts[0]);
  EXPECT_EQ(w.get32(0x3000), uint32_t(start + w.pkt_ns()));
  EXPECT_EQ(w.get32(0x3004), uint32_t(start + to_ns(eng.job_time) + w.pkt_ns()));
}

}  // namespace
}  // namespace gs::test
