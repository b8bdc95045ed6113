// The card's engines and QMANs: address map and queue-id mapping, an external-queue job end
// to end over PCIe (host PQ and CB, real DMA core copy, completion entry and MSI), internal
// QMANs without an engine, error reports reaching the card, hard reset.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "driver/uapi/habanalabs.h"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "models/qman/qman.hpp"
#include "pcie_world.hpp"

namespace gs::test {
namespace {

using namespace pcicfg;

template <class P> void append(std::vector<uint8_t>& cb, const P& p) {
  const auto* b = reinterpret_cast<const uint8_t*>(&p);
  cb.insert(cb.end(), b, b + sizeof p);
}

// Register access from a thread through the card's router (device addresses).
void card_write(Card& c, uint32_t cfg_offset, uint32_t v) {
  sc_core::sc_time d;
  ASSERT_EQ(bus_access(c.noc(), tlm::TLM_WRITE_COMMAND, GAUDI_CFG_BASE + cfg_offset, &v, 4, d), tlm::TLM_OK_RESPONSE);
}

// Put a CB and its PQ entry in HBM and ring the doorbell of (qman, stream).
void submit_internal(Card& c, Qman& q, unsigned s, uint64_t pq, uint64_t cb_addr, const std::vector<uint8_t>& cb) {
  c.hbm().store().write(cb_addr, cb.data(), cb.size());
  gaudi_qman_pq_entry e{cb_addr, uint32_t(cb.size()), 0};
  c.hbm().store().write(pq, &e, sizeof e);
  card_write(c, q.block_offset() + GAUDI_QM_PQ_BASE_LO(s), uint32_t(pq));
  card_write(c, q.block_offset() + GAUDI_QM_PQ_SIZE(s), 4);
  card_write(c, q.block_offset() + GAUDI_QM_GLBL_CFG0, GAUDI_QMAN_INTERNAL_ENABLE);
  card_write(c, q.block_offset() + GAUDI_QM_PQ_PI(s), 1);
}

TEST(CardEngines, QueueIdsMapToQmansAndStreams) {
  PcieWorld w;
  w.cp.tpc_cores = 4;
  w.build();
  Card& c = *w.card;
  unsigned s = 99;
  EXPECT_EQ(&c.qman_by_queue_id(GAUDI_QUEUE_ID_DMA_0_0, &s), &c.dma_qman(0));
  EXPECT_EQ(s, 0u);
  EXPECT_EQ(&c.qman_by_queue_id(GAUDI_QUEUE_ID_DMA_1_1, &s), &c.dma_qman(1));
  EXPECT_EQ(s, 1u);
  EXPECT_THROW(c.qman_by_queue_id(GAUDI_QUEUE_ID_CPU_PQ), std::out_of_range);
  EXPECT_EQ(&c.qman_by_queue_id(GAUDI_QUEUE_ID_DMA_2_0, &s), &c.dma_qman(2));
  EXPECT_EQ(&c.qman_by_queue_id(GAUDI_QUEUE_ID_DMA_7_3, &s), &c.dma_qman(7));
  EXPECT_EQ(s, 3u);
  // GAUDI's numbering: MME_0_* is MME2's QMAN, MME_1_* is MME0's.
  EXPECT_EQ(c.qman_by_queue_id(GAUDI_QUEUE_ID_MME_0_2, &s).block_offset(), GAUDI_BLK_MME_QM(2));
  EXPECT_EQ(s, 2u);
  EXPECT_EQ(c.qman_by_queue_id(GAUDI_QUEUE_ID_MME_1_0).block_offset(), GAUDI_BLK_MME_QM(0));
  EXPECT_EQ(c.qman_by_queue_id(GAUDI_QUEUE_ID_TPC_3_1).block_offset(), GAUDI_BLK_TPC_QM(3));
  EXPECT_EQ(c.find_qman_by_queue_id(GAUDI_QUEUE_ID_TPC_4_0), nullptr);  // only 4 TPCs
  EXPECT_EQ(c.qman_by_queue_id(GAUDI_QUEUE_ID_NIC_9_3, &s).block_offset(), GAUDI_BLK_NIC_QM(9));
  EXPECT_EQ(s, 3u);
  EXPECT_EQ(c.find_qman_by_queue_id(GAUDI_QUEUE_ID_SIZE), nullptr);
  EXPECT_EQ(c.qmans().size(), 8u + 2u + 4u + 10u);
  for (unsigned n = 0; n < 8; ++n) {
    EXPECT_EQ(c.dma_qman(n).block_offset(), GAUDI_BLK_DMA_QM(n));
    EXPECT_EQ(c.dma_qman(n).engine(), static_cast<QmanEngine*>(&c.dma_core(n)));
    EXPECT_EQ(c.dma_core(n).channel(), n);
  }
  EXPECT_EQ(c.mme_qman(1).engine(), static_cast<QmanEngine*>(&c.mme(1)));  // compute engines: docs/compute.md
  EXPECT_EQ(c.tpc_qman(3).engine(), static_cast<QmanEngine*>(&c.tpc(3)));
  EXPECT_EQ(c.noc().name_of(GAUDI_CFG_BASE + GAUDI_BLK_DMA_CORE(3)), "dma3_core");
  EXPECT_EQ(c.noc().name_of(GAUDI_CFG_BASE + GAUDI_BLK_DMA_QM(3) + 0xD00), "dma3_qm");
  EXPECT_EQ(c.noc().name_of(GAUDI_CFG_BASE + GAUDI_BLK_NIC_QM(5)), "nic5_qm");
  EXPECT_THROW(c.dma_core(8), std::out_of_range);
}

// What the driver does for an external queue: PQ and CB in host memory, doorbell over PCIe,
// completion entry and MSI from the CB's two MSG_PROTs (the first with EB: after the copy).
// A MSG_PROT is trusted only on a CP that GLBL_PROT marks so: the MSI block is the driver's.
void run_external_job(bool trusted_cp) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0100, 5, true);
  HostMemory& hm = w.rc->memory();
  uint8_t *pq = nullptr, *cbp = nullptr, *src = nullptr, *cq = nullptr;
  uint64_t pq_bus = hm.alloc(16 * 16, reinterpret_cast<void**>(&pq));
  uint64_t cb_bus = hm.alloc(4096, reinterpret_cast<void**>(&cbp));
  uint64_t src_bus = hm.alloc(4096, reinterpret_cast<void**>(&src));
  uint64_t cq_bus = hm.alloc(4096, reinterpret_cast<void**>(&cq));
  for (int i = 0; i < 4096; ++i) src[i] = uint8_t(i * 7 + 1);
  const uint64_t H = devmap::kHostBase, dst = GAUDI_DRAM_BASE_ADDR_USER;
  std::vector<uint8_t> cb;
  append(cb, gaudi_pkt_lin_dma(H + src_bus, dst, 4096, 0, 0, 0));
  append(cb, gaudi_pkt_msg_long(PACKET_MSG_PROT, H + cq_bus, gaudi_cq_entry(0), 0, /*eb*/ 1, 1, 1));
  append(cb, gaudi_pkt_msg_long(PACKET_MSG_PROT, GAUDI_CFG_BASE + mmPCIE_CORE_MSI_REQ, GAUDI_PCIE_CORE_MSI_REQ_VALUE(0), 0, 0, 1, 1));
  std::memcpy(cbp, cb.data(), cb.size());
  gaudi_qman_pq_entry e{H + cb_bus, uint32_t(cb.size()), 0};
  std::memcpy(pq, &e, sizeof e);
  const uint32_t qm = GAUDI_BLK_DMA_QM(0);
  w.run([&] {
    w.write32(w.reg(qm + GAUDI_QM_PQ_BASE_LO(0)), uint32_t(H + pq_bus));
    w.write32(w.reg(qm + GAUDI_QM_PQ_BASE_HI(0)), uint32_t((H + pq_bus) >> 32));
    w.write32(w.reg(qm + GAUDI_QM_PQ_SIZE(0)), 4);
    if (trusted_cp) w.write32(w.reg(qm + GAUDI_QM_GLBL_PROT), GAUDI_QMAN_EXTERNAL_MAKE_TRUSTED);
    w.write32(w.reg(qm + GAUDI_QM_GLBL_CFG0), GAUDI_QMAN_PCI_DMA_ENABLE);
    w.write32(w.reg(qm + GAUDI_QM_PQ_PI(0)), 1);
  });
  if (!trusted_cp) {  // the completion entry is host memory; the MSI write is a RAZWI
    ASSERT_EQ(w.card->qman_errors().size(), 1u);
    EXPECT_EQ(w.card->qman_errors()[0].kind, QmanErrorKind::msg_write);
    EXPECT_EQ(w.card->razwis(), 1u);
    EXPECT_TRUE(w.msis.empty());
    return;
  }
  EXPECT_TRUE(w.card->qman_errors().empty());
  EXPECT_EQ(w.card->razwis(), 0u);
  std::vector<uint8_t> got(4096);
  w.card->hbm().store().read(dst, got.data(), got.size());
  EXPECT_EQ(std::memcmp(got.data(), src, 4096), 0);
  uint32_t entry = 0;
  std::memcpy(&entry, cq, 4);
  EXPECT_EQ(entry, gaudi_cq_entry(0));
  ASSERT_EQ(w.msis.size(), 1u);
  EXPECT_EQ(w.msis[0].data, 0x0100u);
  EXPECT_EQ(w.card->dma_core(0).jobs_done(), 1u);
  EXPECT_EQ(w.card->dma_qman(0).ci(0), 1u);
}

TEST(CardEngines, ExternalQueueJobRunsEndToEnd) { run_external_job(true); }
TEST(CardEngines, MsgProtOfAnUntrustedCpIsAUserWrite) { run_external_job(false); }

TEST(CardEngines, EnginelessQmansRunSyncPacketsAndReportLinDma) {
  PcieWorld w;
  w.build();
  Card& c = *w.card;
  std::vector<QmanError> seen;
  c.qman_error_sink = [&](const QmanError& e) { seen.push_back(e); };
  unsigned s = 0;
  Qman& mme = c.qman_by_queue_id(GAUDI_QUEUE_ID_MME_1_2, &s);
  Qman& tpc = c.qman_by_queue_id(GAUDI_QUEUE_ID_TPC_1_2);
  w.run([&] {
    std::vector<uint8_t> ok;
    append(ok, gaudi_pkt_wait(50, 1, 1));
    append(ok, gaudi_pkt_fence(1, 1, 1, 0));
    append(ok, gaudi_pkt_msg_long(PACKET_MSG_LONG, 0x30000000, 0x77, 0, 0, 1, 1));
    submit_internal(c, mme, s, 0x28000000, 0x28001000, ok);
    std::vector<uint8_t> bad;
    append(bad, gaudi_pkt_nop());
    append(bad, gaudi_pkt_lin_dma(0x28000000, 0x29000000, 64, 0, 0, 0));
    submit_internal(c, tpc, 2, 0x28010000, 0x28011000, bad);
  });
  uint32_t v = 0;
  c.hbm().store().read(0x30000000, &v, 4);
  EXPECT_EQ(v, 0x77u);
  ASSERT_EQ(c.qman_errors().size(), 1u);
  ASSERT_EQ(seen.size(), 1u);
  const QmanError& e = c.qman_errors()[0];
  EXPECT_EQ(e.qman, "card0.tpc1_qm");
  EXPECT_EQ(e.queue_id(), unsigned(GAUDI_QUEUE_ID_TPC_1_2));
  EXPECT_EQ(e.kind, QmanErrorKind::engine);
  EXPECT_EQ(e.cb_addr, 0x28011000u);
  EXPECT_EQ(e.offset, 8u);
  EXPECT_EQ(seen[0].offset, 8u);
  EXPECT_TRUE(tpc.stream_in_error(2));
}

TEST(CardEngines, HardResetClearsEveryQman) {
  PcieWorld w;
  w.build();
  Card& c = *w.card;
  Qman& q = c.dma_qman(3);
  w.run([&] {
    std::vector<uint8_t> cb;
    append(cb, gaudi_pkt_fence(0, 1, 1, 0));
    submit_internal(c, q, 1, 0x28000000, 0x28001000, cb);
    sc_core::wait(sc_core::sc_time(2, sc_core::SC_US));
    EXPECT_TRUE(q.regs().value(GAUDI_QM_GLBL_CFG0) != 0);
    c.hard_reset();
  });
  EXPECT_EQ(q.regs().value(GAUDI_QM_GLBL_CFG0), 0u);
  EXPECT_EQ(q.ci(1), 0u);
  EXPECT_EQ(q.pi(1), 0u);
  EXPECT_EQ(c.hard_resets(), 1u);
  EXPECT_TRUE(c.dma_core(3).idle());
}

}  // namespace
}  // namespace gs::test
