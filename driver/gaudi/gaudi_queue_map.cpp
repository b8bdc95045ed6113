#include "driver/gaudi/gaudi_queue_map.hpp"

#include <string>

#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/regs.h"

namespace hl {

QueueDesc gaudi_queue_desc(unsigned qid, const AsicProps& p) {
  QueueDesc d;
  auto set = [&](QueueType t, uint32_t block, unsigned stream, unsigned len, const char* kind, unsigned n) {
    d.type = t;
    d.qman_block = block;
    d.stream = stream;
    d.length = len;
    const std::string name = std::string(kind) + "_" + std::to_string(n) + "_" + std::to_string(stream);
    name.copy(d.name, sizeof d.name - 1);
  };
  if (qid < GAUDI_QUEUE_ID_CPU_PQ) {  // DMA 0 and 1: the PCI DMA channels
    set(QueueType::external, GAUDI_BLK_DMA_QM(qid / 4), qid % 4, GAUDI_QUEUE_LENGTH_EXT, "DMA", qid / 4);
  } else if (qid == GAUDI_QUEUE_ID_CPU_PQ) {
    d.type = QueueType::cpu;
    std::string("CPU_PQ").copy(d.name, sizeof d.name - 1);
  } else if (qid < GAUDI_QUEUE_ID_MME_0_0) {
    unsigned n = 2 + (qid - GAUDI_QUEUE_ID_DMA_2_0) / 4;
    if (n < p.dma_channels)
      set(QueueType::internal, GAUDI_BLK_DMA_QM(n), (qid - GAUDI_QUEUE_ID_DMA_2_0) % 4, GAUDI_QUEUE_LENGTH_HBM_DMA, "DMA", n);
  } else if (qid < GAUDI_QUEUE_ID_TPC_0_0) {
    unsigned g = (qid - GAUDI_QUEUE_ID_MME_0_0) / 4;  // MME_0_* is MME2's QMAN, MME_1_* MME0's
    unsigned master = 1 - g;
    if (master < p.mme_engines)
      set(QueueType::internal, GAUDI_BLK_MME_QM(2 * master), (qid - GAUDI_QUEUE_ID_MME_0_0) % 4, GAUDI_QUEUE_LENGTH_MME, "MME", g);
  } else if (qid < GAUDI_QUEUE_ID_NIC_0_0) {
    unsigned t = (qid - GAUDI_QUEUE_ID_TPC_0_0) / 4;
    if (t < p.tpc_cores)
      set(QueueType::internal, GAUDI_BLK_TPC_QM(t), (qid - GAUDI_QUEUE_ID_TPC_0_0) % 4, GAUDI_QUEUE_LENGTH_TPC, "TPC", t);
  } else if (qid < GAUDI_QUEUE_ID_SIZE) {
    unsigned e = (qid - GAUDI_QUEUE_ID_NIC_0_0) / 4;
    if (e < p.nic_ports)
      set(QueueType::internal, GAUDI_BLK_NIC_QM(e), (qid - GAUDI_QUEUE_ID_NIC_0_0) % 4, GAUDI_QUEUE_LENGTH_NIC, "NIC", e);
  }
  // The engine core a CB may program with WREG: DMA and MME cores fill the low half of the
  // window, the TPC configuration block sits at 0x6000, a NIC engine's work-request block
  // (docs/nic.md) at 0xC000 + 0x1000 * (engine % 2).
  if (d.type == QueueType::external || d.type == QueueType::internal) {
    uint32_t in_window = d.qman_block & 0xFFFFu;
    if (qid >= GAUDI_QUEUE_ID_NIC_0_0) {
      d.user_reg_lo = 0xC000u + (in_window >= 0x2000u ? 0x1000u : 0u);
      d.user_reg_hi = d.user_reg_lo + 0x1000u;
    } else if (qid >= GAUDI_QUEUE_ID_TPC_0_0) {
      d.user_reg_lo = GAUDI_BLK_TPC_CFG(0) & 0xFFFFu;
      d.user_reg_hi = in_window;
    } else {
      d.user_reg_lo = 0;
      d.user_reg_hi = in_window;
    }
  }
  return d;
}

}  // namespace hl
