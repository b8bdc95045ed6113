// NIC failures end in a reported error, never a hang: a link cut mid-transfer, a wrong rkey,
// writes into the driver's protected HBM, WQEs the port must refuse.
#include "nic_world.hpp"

namespace gs::test {
namespace {

constexpr uint64_t kSrc = kUser + 0x1000000, kDst = kUser + 0x8000000;

bool has_event(const NicPort& p, unsigned id) {
  for (uint16_t e : p.events())
    if (e == id) return true;
  return false;
}

TEST(NicErrors, LinkDownMidTransferEndsInAQpErrorNotAHang) {
  NicWorld w;
  w.build();
  const uint64_t len = 64ull << 20;
  sc_core::sc_time cut, done;
  w.run([&] {
    w.setup();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, uint32_t(len), 1, 200, 1, 300));
    sc_core::wait(us(1000));  // about a fifth of the transfer
    EXPECT_FALSE(w.na().idle());
    cut = sc_core::sc_time_stamp();
    w.ab->set_up(false);
    w.ba->set_up(false);
    w.na().link_changed(false);
    w.nb().link_changed(false);
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_LINK_STATUS), 0u);
    NicWorld::wait_idle(w.na());
    done = sc_core::sc_time_stamp();
  });
  const NicParams& np = w.cp.nic;
  // retry_count retransmissions after timeouts, then the error: (retry_count + 1) timeouts.
  EXPECT_LE((done - cut).to_seconds(), (np.retry_count + 2) * np.retrans_timeout_us * 1e-6);
  EXPECT_TRUE(w.na().qp_in_error(5));
  EXPECT_EQ(w.na().qp_syndrome(5), GSIM_NIC_ERR_RETRY_EXCEEDED);
  EXPECT_EQ(w.na().counters().timeouts, np.retry_count + 1);
  auto [w0, w1] = NicWorld::cqe(*w.a, 0);
  EXPECT_EQ(w0, gsim_nic_cqe_word0(5, 0, GSIM_NIC_CQE_TYPE_QP_ERR));
  EXPECT_EQ(w1, GSIM_NIC_ERR_RETRY_EXCEEDED);
  EXPECT_TRUE(has_event(w.na(), GSIM_EVENT_NIC_LINK_DOWN(0)));
  EXPECT_TRUE(has_event(w.na(), GSIM_EVENT_NIC_QP_ERR(0)));
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 0u);  // the message never completed: nobody signalled
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 0u);
  w.run([&] {
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_LAST_ERR_QP), 5u);
    NicWorld::wr(*w.a, GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_QPC_SEL, 5);
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_QPC_STATUS),
              GSIM_NIC_QPC_STATUS_REQ_VALID | GSIM_NIC_QPC_STATUS_ERROR |
                  GSIM_NIC_ERR_RETRY_EXCEEDED << GSIM_NIC_QPC_STATUS_SYND_SHIFT);
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_CNT_QP_ERRORS), 1u);
  });
}

TEST(NicErrors, LinkDownBeforeTheFirstPacketStillEnds) {
  NicWorld w;
  w.build();
  w.run([&] {
    w.setup();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, 1 << 20, 1, 200, 1, 300));
    w.ab->set_up(false);  // the WQE lands after the cable is gone
    w.na().link_changed(false);
    NicWorld::wait_idle(w.na());
  });
  EXPECT_EQ(w.na().counters().wqes_refused, 1u);  // refused at the post: the port is down
  EXPECT_EQ(NicWorld::cqe(*w.a, 0).second, GSIM_NIC_ERR_PORT_DOWN);
}

TEST(NicErrors, WrongRkeyIsNakedAndBothSidesReportIt) {
  NicWorld w;
  w.build();
  Conn k;
  k.res_rkey = 0xBAD;
  NicWorld::fill_pattern(*w.b, kDst, 64 << 10, 9);  // what must stay untouched
  std::vector<uint8_t> before(64 << 10);
  w.b->hbm().store().read(kDst, before.data(), before.size());
  w.run([&] {
    w.setup(k);
    NicWorld::post(*w.a, gsim_nic_rdma_write(k.qp_a, kSrc, kDst, 64 << 10, 1, 200, 1, 300));
    NicWorld::wait_idle(w.na());
  });
  EXPECT_TRUE(w.na().qp_in_error(k.qp_a));
  EXPECT_EQ(w.na().qp_syndrome(k.qp_a), GSIM_NIC_ERR_REMOTE_ACCESS);
  EXPECT_TRUE(w.nb().qp_in_error(k.qp_b));
  EXPECT_EQ(w.nb().qp_syndrome(k.qp_b), GSIM_NIC_ERR_RX_ACCESS);
  EXPECT_EQ(w.nb().counters().naks_sent, 1u);
  EXPECT_EQ(w.na().counters().naks_received, 1u);
  EXPECT_EQ(w.nb().counters().rx_access_errors, 1u);
  EXPECT_EQ(w.nb().counters().rx_payload_bytes, 0u);
  EXPECT_EQ(NicWorld::cqe(*w.a, 0).second, GSIM_NIC_ERR_REMOTE_ACCESS);
  EXPECT_EQ(NicWorld::cqe_type(NicWorld::cqe(*w.b, 0).first), GSIM_NIC_CQE_TYPE_QP_ERR);
  EXPECT_TRUE(has_event(w.nb(), GSIM_EVENT_NIC_QP_ERR(0)));
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 0u);
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 0u);
  std::vector<uint8_t> got(64 << 10);
  w.b->hbm().store().read(kDst, got.data(), got.size());
  EXPECT_EQ(got, before);
}

TEST(NicErrors, WritesIntoProtectedHbmAreRefused) {
  NicWorld w;
  w.build();
  w.run([&] {
    w.setup();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kUser - 4096, 8192, 1, 200, 0, 0));
    NicWorld::wait_idle(w.na());
  });
  EXPECT_EQ(w.na().qp_syndrome(5), GSIM_NIC_ERR_REMOTE_ACCESS);
  EXPECT_EQ(w.nb().counters().rx_access_errors, 1u);
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 0u);
}

TEST(NicErrors, InvalidWqesAreRefusedWithACauseAndNothingIsSent) {
  NicWorld w;
  w.build();
  struct Case {
    gsim_nic_send_wqe wqe;
    uint32_t cause;
  };
  std::vector<Case> cases = {
      {gsim_nic_rdma_write(9, kSrc, kDst, 4096, 1, 200, 1, 300), GSIM_NIC_ERR_BAD_QP},   // no context
      {gsim_nic_rdma_write(0, kSrc, kDst, 4096, 1, 200, 1, 300), GSIM_NIC_ERR_BAD_QP},   // reserved QP
      {gsim_nic_rdma_write(5, kSrc, kDst, 0, 1, 200, 1, 300), GSIM_NIC_ERR_BAD_LENGTH},
      {gsim_nic_rdma_write(5, 0x7000000000ull, kDst, 4096, 1, 200, 1, 300), GSIM_NIC_ERR_BAD_LOCAL_ADDR},
      {gsim_nic_rdma_write(5, kSrc, kDst, 4096, 1, 5000, 1, 300), GSIM_NIC_ERR_BAD_SOB},
  };
  gsim_nic_send_wqe bad_op = gsim_nic_rdma_write(5, kSrc, kDst, 4096, 0, 0, 0, 0);
  bad_op.ctl = 2;  // RDMA READ: GAUDI's NIC has none
  cases.push_back({bad_op, GSIM_NIC_ERR_BAD_OPCODE});
  std::vector<uint32_t> wqe_err;
  w.run([&] {
    w.setup();
    for (const Case& c : cases) {
      NicWorld::post(*w.a, c.wqe);
      NicWorld::wait_idle(w.na());
      wqe_err.push_back(NicWorld::rd(*w.a, GSIM_NIC_WQE_BLOCK(0) + GSIM_NIC_WQE_ERR));
    }
    EXPECT_EQ(NicWorld::rd(*w.a, GSIM_NIC_WQE_BLOCK(0) + GSIM_NIC_WQE_STATUS), cases.size());
  });
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(wqe_err[i], cases[i].cause) << "case " << i;
    auto [w0, w1] = NicWorld::cqe(*w.a, unsigned(i));
    EXPECT_EQ(NicWorld::cqe_type(w0), GSIM_NIC_CQE_TYPE_QP_ERR) << "case " << i;
    EXPECT_EQ(w1, cases[i].cause) << "case " << i;
  }
  EXPECT_EQ(w.na().counters().tx_frames, 0u);
  EXPECT_EQ(w.na().counters().wqes_refused, cases.size());
  EXPECT_FALSE(w.na().qp_in_error(5));  // a refused WQE does not break the connection
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 0u);
}

TEST(NicErrors, DisabledPortRefusesAndDestroyFlushes) {
  NicWorld w;
  w.build();
  w.run([&] {
    w.setup();
    NicWorld::wr(*w.a, GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_PORT_CFG, 0);
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_LINK_STATUS), 0u);
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, 4096, 0, 0, 0, 0));
    NicWorld::wait_idle(w.na());
    EXPECT_EQ(NicWorld::rd(*w.a, GSIM_NIC_WQE_BLOCK(0) + GSIM_NIC_WQE_ERR), GSIM_NIC_ERR_PORT_DOWN);
    NicWorld::wr(*w.a, GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_PORT_CFG, 1);
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_LINK_STATUS), GSIM_NIC_LINK_STATUS_UP);
    // A big write, then destroy the QP under it: its WQE is flushed, the engine goes idle.
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, 8 << 20, 1, 200, 1, 300));
    sc_core::wait(us(50));
    NicWorld::wr(*w.a, GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_QPC_SEL, 5);
    NicWorld::wr(*w.a, GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_DESTROY);
    EXPECT_TRUE(w.na().idle());
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_QPC_STATUS), 0u);
  });
  EXPECT_TRUE(w.na().events().size() >= 3);  // link down (disable), QP error (refusal), link up
  EXPECT_EQ(w.na().events()[0], GSIM_EVENT_NIC_LINK_UP(0));
  EXPECT_EQ(NicWorld::cqe(*w.a, 1).second, GSIM_NIC_ERR_FLUSHED);
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 0u);
}

}  // namespace
}  // namespace gs::test
