// Engine-initiated RDMA through a real QMAN: a CB on the NIC queue writes a send WQE with
// WREG_BULK into the engine's work-request block; an engine barrier on a later packet waits
// until the write has been acknowledged by the peer.
#include "models/qman/qman.hpp"
#include "nic_world.hpp"
#include "specs/gaudi/packets.h"

namespace gs::test {
namespace {

constexpr uint64_t kSrc = kUser + 0x1000000, kDst = kUser + 0x8000000;
constexpr uint64_t kPq = 0x1E000000, kCb = 0x1E001000, kStamps = kUser + 0x100;

struct Cb {
  std::vector<uint8_t> bytes;
  template <class P> Cb& add(const P& p) {
    const auto* b = reinterpret_cast<const uint8_t*>(&p);
    bytes.insert(bytes.end(), b, b + sizeof p);
    return *this;
  }
  // The WQE as WREG_BULK values: 4 qwords to the engine's SEND_WQE_0..7 (word 7 posts).
  Cb& post(unsigned engine, const gsim_nic_send_wqe& w) {
    add(gaudi_pkt_wreg_bulk(GSIM_NIC_WQE_WINDOW_OFFSET(engine), 4, 0));
    return add(w);
  }
};

// Put a CB and its PQ entry in HBM and ring stream 0 of the QMAN.
void submit(Card& c, Qman& q, const Cb& cb) {
  c.hbm().store().write(kCb, cb.bytes.data(), cb.bytes.size());
  gaudi_qman_pq_entry e{kCb, uint32_t(cb.bytes.size()), 0};
  c.hbm().store().write(kPq, &e, sizeof e);
  NicWorld::wr(c, q.block_offset() + GAUDI_QM_PQ_BASE_LO(0), uint32_t(kPq));
  NicWorld::wr(c, q.block_offset() + GAUDI_QM_PQ_SIZE(0), 4);
  NicWorld::wr(c, q.block_offset() + GAUDI_QM_GLBL_CFG0, GAUDI_QMAN_INTERNAL_ENABLE);
  NicWorld::wr(c, q.block_offset() + GAUDI_QM_PQ_PI(0), 1);
}

packet_msg_long stamp(uint64_t addr, int eb) {
  return gaudi_pkt_msg_long(PACKET_MSG_LONG, addr, 0, GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP, eb, 1, 1);
}

TEST(NicQman, EngineBarrierWaitsUntilTheWriteIsAcknowledged) {
  NicWorld w;
  w.build();
  NicWorld::fill_pattern(*w.a, kSrc, 256 << 10, 5);
  Qman& q = w.a->nic_qman(0);
  ASSERT_EQ(q.engine(), static_cast<QmanEngine*>(&w.na()));
  sc_core::sc_time idle_at;
  w.run([&] {
    w.setup();
    Cb cb;
    cb.post(0, gsim_nic_rdma_write(5, kSrc, kDst, 256 << 10, 1, 200, 1, 300));
    cb.add(stamp(kStamps, 0));      // runs while the NIC sends
    cb.add(stamp(kStamps + 4, 1));  // engine barrier: after the ACK
    submit(*w.a, q, cb);
    while (w.na().outstanding_wqes() == 0) sc_core::wait(ns(10));
    NicWorld::wait_idle(w.na());
    idle_at = sc_core::sc_time_stamp();
  });
  EXPECT_TRUE(w.a->qman_errors().empty());
  EXPECT_TRUE(NicWorld::same_bytes(*w.a, kSrc, *w.b, kDst, 256 << 10));
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 1u);
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 1u);
  uint32_t t[2];
  w.a->hbm().store().read(kStamps, t, 8);
  const double idle_ns = to_ns(idle_at);
  EXPECT_LT(t[0], idle_ns - 10000);  // 256 KiB take ~21 us on the wire
  EXPECT_GE(t[1], uint32_t(idle_ns));
  EXPECT_LE(t[1], idle_ns + 100);  // one packet's cycles after the engine went idle
}

TEST(NicQman, SecondEngineOfAMacroUsesItsOwnWorkRequestBlock) {
  NicWorld w;
  w.build();
  w.run([&] {
    w.setup();
    // Port 1 (macro 0, half 1) has no cable in this world: its WQE is refused as PORT_DOWN.
    Cb cb;
    cb.post(1, gsim_nic_rdma_write(5, kSrc, kDst, 4096, 0, 0, 0, 0));
    submit(*w.a, w.a->nic_qman(1), cb);
  });
  EXPECT_TRUE(w.a->qman_errors().empty());
  EXPECT_EQ(w.a->nic(1).counters().wqes_refused, 1u);
  EXPECT_EQ(w.na().counters().wqes_refused, 0u);
}

TEST(NicQman, LinDmaOnANicQueueIsAnError) {
  NicWorld w;
  w.build();
  w.run([&] {
    Cb cb;
    cb.add(gaudi_pkt_lin_dma(kSrc, kDst, 64, 0, 0, 0));
    submit(*w.a, w.a->nic_qman(0), cb);
  });
  ASSERT_EQ(w.a->qman_errors().size(), 1u);
  EXPECT_EQ(w.a->qman_errors()[0].qman, "card0.nic0_qm");
}

TEST(NicQman, RegisterBlocksAreWhereTheContractSays) {
  NicWorld w;
  w.build();
  Card& c = *w.a;
  EXPECT_EQ(c.nic_ports(), 2u);
  EXPECT_EQ(c.noc().name_of(GAUDI_CFG_BASE + GSIM_NIC_QPC_BLOCK(0)), "nic0_qpc");
  EXPECT_EQ(c.noc().name_of(GAUDI_CFG_BASE + GAUDI_BLK_NIC_MACRO(0) + GAUDI_NIC_QPC1), "nic1_qpc");
  EXPECT_EQ(c.noc().name_of(GAUDI_CFG_BASE + GAUDI_BLK_NIC_MACRO(0) + 0x2C000), "nic0_wqe");
  EXPECT_EQ(c.noc().name_of(GAUDI_CFG_BASE + GAUDI_BLK_NIC_MACRO(0) + 0x2D000), "nic1_wqe");
  // The WQE window offset seen from the QMAN's WREG window is the block's offset.
  EXPECT_EQ((GAUDI_BLK_NIC_QM(1) & ~0xFFFFu) + GSIM_NIC_WQE_WINDOW_OFFSET(1), GSIM_NIC_WQE_BLOCK(1));
  EXPECT_EQ((GAUDI_BLK_NIC_QM(8) & ~0xFFFFu) + GSIM_NIC_WQE_WINDOW_OFFSET(8), GSIM_NIC_WQE_BLOCK(8));
  EXPECT_THROW(c.nic_port(2), std::out_of_range);
  w.run([&] {
    EXPECT_EQ(NicWorld::qpc(c, GSIM_NIC_CQ_MSI), unsigned(GAUDI_NIC_CQ_MSI_IDX));
    EXPECT_EQ(NicWorld::qpc(c, GSIM_NIC_MAC_LO), uint32_t(c.nic(0).mac()));
    EXPECT_EQ(NicWorld::qpc(c, GSIM_NIC_IP), c.nic(0).ip());
    EXPECT_EQ(NicWorld::qpc(c, GSIM_NIC_LINK_STATUS), 0u);  // not enabled yet
    NicWorld::bring_up(c);
    EXPECT_EQ(NicWorld::qpc(c, GSIM_NIC_LINK_STATUS), GSIM_NIC_LINK_STATUS_UP);
    NicWorld::wr(c, GSIM_NIC_QPC_BLOCK(0) + GSIM_NIC_MAC_LO, 0x11223344);
    EXPECT_EQ(c.nic(0).mac() & 0xFFFFFFFFu, 0x11223344u);
  });
  EXPECT_EQ(w.na().events().size(), 1u);
  EXPECT_EQ(w.na().events()[0], GSIM_EVENT_NIC_LINK_UP(0));
}

}  // namespace
}  // namespace gs::test
