#include "driver/lib/cb_builder.hpp"

#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/regs.h"

namespace hlthunk {

void CbBuilder::put(const void* p, uint32_t n) {
  if (size_ + n > cap_) {
    overflow_ = true;
    return;
  }
  std::memcpy(buf_ + size_, p, n);
  size_ += n;
}

void CbBuilder::lin_dma(uint64_t src, uint64_t dst, uint32_t bytes, bool eb, bool write_completion) {
  put(gaudi_pkt_lin_dma(src, dst, bytes, write_completion ? GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK : 0, 0, eb));
}

void CbBuilder::memset(uint64_t dst, uint64_t pattern, uint32_t bytes, bool eb) {
  put(gaudi_pkt_lin_dma(pattern, dst, bytes, GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK, 0, eb));
}

void CbBuilder::msg_long(uint64_t addr, uint32_t value, bool eb) {
  put(gaudi_pkt_msg_long(PACKET_MSG_LONG, addr, value, GAUDI_PKT_MSG_OP_WRITE_VALUE, eb, 0, 1));
}

void CbBuilder::timestamp(uint64_t addr, bool eb) {
  put(gaudi_pkt_msg_long(PACKET_MSG_LONG, addr, 0, GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP, eb, 0, 1));
}

void CbBuilder::wreg32(uint32_t reg_offset, uint32_t value, bool eb) { put(gaudi_pkt_wreg32(reg_offset, value, eb)); }

void CbBuilder::wreg_bulk(uint32_t reg_offset, const uint64_t* values, uint32_t count, bool eb) {
  put(gaudi_pkt_wreg_bulk(reg_offset, count, eb));
  put(values, count * 8);
}

void CbBuilder::fence(uint32_t id, uint32_t target, uint32_t dec, bool eb) { put(gaudi_pkt_fence(id, target, dec, eb)); }
void CbBuilder::nop() { put(gaudi_pkt_nop()); }
void CbBuilder::stop() { put(gaudi_pkt_stop(0)); }
void CbBuilder::arb_point(uint32_t priority, bool release) { put(gaudi_pkt_arb_point(priority, release)); }
void CbBuilder::wait(uint32_t cycles, uint32_t inc, uint32_t fence_id) { put(gaudi_pkt_wait(cycles, inc, fence_id)); }

// gaudisim's REPEAT: cfg bits 15..2 carry the count (docs/qman.md).
void CbBuilder::repeat(uint32_t jmp_ptr_qwords, uint32_t count) {
  packet_repeat p = gaudi_pkt_repeat(jmp_ptr_qwords, 0, 0);
  p.cfg |= (count & 0x3FFFu) << 2;
  put(p);
}

void CbBuilder::cp_dma(uint64_t src, uint32_t bytes, bool eb) { put(gaudi_pkt_cp_dma(src, bytes, eb)); }
void CbBuilder::load_and_exe(uint64_t src) { put(gaudi_pkt_load_and_exe(src, 0, 0)); }

void CbBuilder::sob_add(uint32_t sob, uint32_t value, bool eb) {
  put(gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_SOB, sob * 4, gaudi_msg_short_sob_value(value, 1), eb, 0, 1));
}

void CbBuilder::sob_set(uint32_t sob, uint32_t value, bool eb) {
  put(gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_SOB, sob * 4, gaudi_msg_short_sob_value(value, 0), eb, 0, 1));
}

void CbBuilder::monitor(uint32_t mon, uint32_t sob, uint32_t target, uint64_t addr, uint32_t data) {
  monitor_group(mon, sob / 8, uint8_t(1u << (sob % 8)), target, addr, data);
}

void CbBuilder::monitor_group(uint32_t mon, uint32_t group, uint8_t select, uint32_t target, uint64_t addr,
                              uint32_t data) {
  // Offsets relative to MON_PAY_ADDRL_0, which is what MSG_SHORT base 2 points at.
  const uint32_t addrl = GAUDI_SM_MON_PAY_ADDRL(mon) - GAUDI_SM_MON_PAY_ADDRL(0);
  const uint32_t addrh = GAUDI_SM_MON_PAY_ADDRH(mon) - GAUDI_SM_MON_PAY_ADDRL(0);
  const uint32_t pdata = GAUDI_SM_MON_PAY_DATA(mon) - GAUDI_SM_MON_PAY_ADDRL(0);
  const uint32_t arm = GAUDI_SM_MON_ARM(mon) - GAUDI_SM_MON_PAY_ADDRL(0);
  put(gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_MON, addrl, uint32_t(addr), 0, 0, 1));
  put(gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_MON, addrh, uint32_t(addr >> 32), 0, 0, 1));
  put(gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_MON, pdata, data, 0, 0, 1));
  uint32_t mask = 0xFFu & ~uint32_t(select);  // a cleared bit selects the object
  put(gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_MON, arm,
                          gaudi_msg_short_mon_arm_value(group, mask, GAUDI_MON_MODE_GREATER_EQUAL, target), 0, 0, 1));
}

static uint32_t qman_block_of(unsigned qid) {
  if (qid < GAUDI_QUEUE_ID_CPU_PQ) return GAUDI_BLK_DMA_QM(qid / 4);
  if (qid < GAUDI_QUEUE_ID_MME_0_0) return GAUDI_BLK_DMA_QM(2 + (qid - GAUDI_QUEUE_ID_DMA_2_0) / 4);
  if (qid < GAUDI_QUEUE_ID_TPC_0_0) return GAUDI_BLK_MME_QM(qid < GAUDI_QUEUE_ID_MME_1_0 ? 2 : 0);
  if (qid < GAUDI_QUEUE_ID_NIC_0_0) return GAUDI_BLK_TPC_QM((qid - GAUDI_QUEUE_ID_TPC_0_0) / 4);
  return GAUDI_BLK_NIC_QM((qid - GAUDI_QUEUE_ID_NIC_0_0) / 4);
}

static unsigned stream_of(unsigned qid) {
  return qid < GAUDI_QUEUE_ID_CPU_PQ ? qid % 4 : (qid - GAUDI_QUEUE_ID_DMA_2_0) % 4;
}

uint64_t fence_rdata_addr(unsigned queue_id, unsigned fence) {
  return GAUDI_CFG_BASE + qman_block_of(queue_id) + GAUDI_QM_CP_FENCE_RDATA(fence, stream_of(queue_id));
}

uint64_t sob_addr(uint32_t sob) {
  return GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(sob);
}

}  // namespace hlthunk
