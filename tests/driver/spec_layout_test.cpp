// Layout and encoding checks of the hardware headers: specs/gaudi/packets.h (the QMAN packets)
// and specs/gaudi/regs.h (the register map). Every number here was derived by hand from the
// public layouts (see docs/uapi.md and docs/address-map.md), not from the headers.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/queues.h"
#include "specs/gaudi/tpc_mme.h"
#include "specs/gaudi/regs.h"

#define EXPECT_OFF(type, member, off) EXPECT_EQ(offsetof(type, member), size_t(off)) << #member

namespace {

template <typename T>
uint64_t header_of(const T& pkt)
{
    uint64_t h = 0;
    std::memcpy(&h, &pkt, sizeof(h));
    return h;
}

}  // namespace

TEST(PacketLayout, SizesAndOffsets)
{
    EXPECT_EQ(sizeof(packet_wreg32), 8u);
    EXPECT_EQ(sizeof(packet_wreg_bulk), 8u);
    EXPECT_EQ(sizeof(packet_msg_long), 16u);
    EXPECT_OFF(packet_msg_long, ctl, 4);
    EXPECT_OFF(packet_msg_long, addr, 8);
    EXPECT_EQ(sizeof(packet_msg_short), 8u);
    EXPECT_EQ(sizeof(packet_msg_prot), 16u);
    EXPECT_OFF(packet_msg_prot, addr, 8);
    EXPECT_EQ(sizeof(packet_fence), 8u);
    EXPECT_EQ(sizeof(packet_lin_dma), 24u);
    EXPECT_OFF(packet_lin_dma, ctl, 4);
    EXPECT_OFF(packet_lin_dma, src_addr, 8);
    EXPECT_OFF(packet_lin_dma, dst_addr, 16);
    EXPECT_EQ(sizeof(packet_nop), 8u);
    EXPECT_EQ(sizeof(packet_stop), 8u);
    EXPECT_EQ(sizeof(packet_arb_point), 8u);
    EXPECT_EQ(sizeof(packet_repeat), 8u);
    EXPECT_EQ(sizeof(packet_wait), 8u);
    EXPECT_EQ(sizeof(packet_load_and_exe), 16u);
    EXPECT_OFF(packet_load_and_exe, src_addr, 8);
    EXPECT_EQ(sizeof(packet_cp_dma), 16u);
    EXPECT_OFF(packet_cp_dma, src_addr, 8);
    EXPECT_EQ(sizeof(gaudi_qman_pq_entry), 16u);
    EXPECT_OFF(gaudi_qman_pq_entry, len, 8);
    EXPECT_OFF(gaudi_qman_pq_entry, ctl, 12);

    EXPECT_EQ(gaudi_pkt_size(PACKET_LIN_DMA, 0), 24u);
    EXPECT_EQ(gaudi_pkt_size(PACKET_MSG_PROT, 0), 16u);
    EXPECT_EQ(gaudi_pkt_size(PACKET_FENCE, 0), 8u);
    EXPECT_EQ(gaudi_pkt_size(PACKET_WREG_BULK, 3), 32u);
    EXPECT_EQ(gaudi_pkt_size(0xE, 0), 0u);
    EXPECT_EQ(gaudi_pkt_size(0, 0), 0u);
}

TEST(PacketEncoding, HeaderBitsOfTheWhole64BitWord)
{
    packet_nop nop = gaudi_pkt_nop();
    uint64_t h = header_of(nop);
    EXPECT_EQ((h & PACKET_HEADER_PACKET_ID_MASK) >> PACKET_HEADER_PACKET_ID_SHIFT, 0xAu);
    EXPECT_EQ(h, 0x0A00000000000000ull);
    EXPECT_EQ(gaudi_pkt_opcode(&nop), uint32_t(PACKET_NOP));

    uint32_t ctl = gaudi_pkt_ctl(PACKET_STOP, 1, 1, 1);
    EXPECT_EQ(ctl, 0xEB000000u);  // EB=bit 29, RB=30, MB=31, opcode 28..24
    EXPECT_EQ(gaudi_pkt_ctl(PACKET_MSG_PROT, 0, 0, 1), 0x87000000u);
}

TEST(PacketEncoding, LinDma)
{
    const uint32_t flags = GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK | GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK;
    packet_lin_dma p = gaudi_pkt_lin_dma(0x8000001000ull, 0x20000000ull, 0x1000, flags, 0x1234, 1);
    EXPECT_EQ(p.tsize, 0x1000u);
    EXPECT_EQ(p.ctl, 0xE9340019u);  // MB RB EB, opcode 9, ctx lo 0x34, LIN|MEMSET|WRCOMP
    EXPECT_EQ(p.src_addr, 0x8000001000ull);
    EXPECT_EQ(p.dst_addr, 0x1200000020000000ull);  // ctx hi 0x12 in bits 63..56
    EXPECT_EQ(gaudi_pkt_lin_dma_context_id(&p), 0x1234u);
    EXPECT_EQ(header_of(p), 0xE934001900001000ull);

    unsigned char raw[24];
    std::memcpy(raw, &p, sizeof(raw));
    EXPECT_EQ(raw[7], 0xE9);  // little-endian: ctl's top byte is byte 7
    EXPECT_EQ(raw[23], 0x12);
}

TEST(PacketEncoding, MsgShortSignalAndMonitorArm)
{
    // Signal: add 1 to W_S sync object 150.
    packet_msg_short sig = gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_SOB, 150 * 4,
                                               gaudi_msg_short_sob_value(1, 1), 1, 1, 1);
    EXPECT_EQ(sig.value, 0x80000001u);
    EXPECT_EQ(sig.ctl, 0xE4C00258u);

    // Arm W_S monitor 80 on object 150 (group 18, bit 6 cleared), >= 1.
    uint32_t arm = gaudi_msg_short_mon_arm_value(150 / 8, uint8_t(~(1u << (150 % 8))),
                                                 GAUDI_MON_MODE_GREATER_EQUAL, 1);
    EXPECT_EQ(arm, 0x0002BF12u);
    packet_msg_short mon = gaudi_pkt_msg_short(GAUDI_MSG_SHORT_BASE_WS_MON,
                                               GAUDI_SM_MON_ARM(80) - GAUDI_SM_MON_PAY_ADDRL(0),
                                               arm, 0, 1, 1);
    EXPECT_EQ(mon.ctl, 0xC4801940u);
    EXPECT_EQ(GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_BASE_MASK, GAUDI_PKT_SHORT_CTL_BASE_SHIFT,
                              mon.ctl), 2u);
}

TEST(PacketEncoding, FenceWaitArbAndOthers)
{
    packet_fence f = gaudi_pkt_fence(2, 1, 1, 0);
    EXPECT_EQ(f.cfg, 0x80010001u);  // id 2 in 31..30, target 1 in 23..16, dec 1 in 3..0
    EXPECT_EQ(f.ctl, 0xC8000000u);

    packet_wait w = gaudi_pkt_wait(0x123456, 3, 1);
    EXPECT_EQ(w.cfg, 0x13123456u);
    EXPECT_EQ(w.ctl, 0x0D000000u);

    packet_arb_point a = gaudi_pkt_arb_point(1, 1);
    EXPECT_EQ(a.cfg, 0x80000001u);
    EXPECT_EQ(a.ctl, 0x0C000000u);

    packet_wreg32 r = gaudi_pkt_wreg32(0x1234, 7, 0);
    EXPECT_EQ(r.value, 7u);
    EXPECT_EQ(r.ctl, 0xC1123400u);

    packet_wreg_bulk b = gaudi_pkt_wreg_bulk(0x100, 3, 0);
    EXPECT_EQ(b.size64, 3u);
    EXPECT_EQ(b.ctl, 0xC2010000u);

    packet_msg_long m = gaudi_pkt_msg_long(PACKET_MSG_PROT, 0x7FFCC04100ull, GAUDI_PCIE_CORE_MSI_REQ_VALUE(8),
                                           GAUDI_PKT_MSG_OP_WRITE_VALUE, 0, 0, 1);
    EXPECT_EQ(m.ctl, 0x87000000u);
    EXPECT_EQ(m.addr, GAUDI_CFG_BASE + mmPCIE_CORE_MSI_REQ);
    EXPECT_EQ(m.value, 0x11u);  // request bit and vector 8

    packet_repeat rp = gaudi_pkt_repeat(0x40, 1, 0);
    EXPECT_EQ(rp.cfg, 0x00400002u);

    packet_cp_dma c = gaudi_pkt_cp_dma(0x8000002000ull, 256, 0);
    EXPECT_EQ(c.ctl, 0xC5000000u);

    EXPECT_EQ(gaudi_pkt_stop(1).ctl, 0x2B000000u);
    EXPECT_EQ(gaudi_cq_entry(5), 0xC0000005u);
    EXPECT_EQ(gaudi_cq_entry(0x1005), 0xC0000005u);  // shadow index is 12 bits
}

TEST(RegisterMap, AddressMap)
{
    EXPECT_EQ(GAUDI_CFG_BASE, 0x7FFC000000ull);
    EXPECT_EQ(GAUDI_SRAM_BASE_ADDR, 0x7FF0000000ull);
    EXPECT_EQ(GAUDI_SRAM_SIZE, 20ull << 20);
    EXPECT_EQ(GAUDI_HOST_PHYS_BASE, 0x8000000000ull);
    EXPECT_EQ(GAUDI_PSOC_SCRATCHPAD_ADDR, 0x7FFBFE0000ull);
    EXPECT_EQ(GAUDI_SPI_FLASH_BASE_ADDR + GAUDI_CFG_BAR_CFG_OFFSET, GAUDI_CFG_BASE);
    EXPECT_EQ(GAUDI_CFG_BAR_CFG_OFFSET + GAUDI_CFG_SIZE, GAUDI_CFG_BAR_SIZE);
    EXPECT_EQ(GAUDI_MSI_ENTRIES, 32);
    EXPECT_EQ(GAUDI_EVENT_QUEUE_MSI_IDX, 8);
}

TEST(RegisterMap, BlocksMatchPublicAbsoluteOffsets)
{
    EXPECT_EQ(GAUDI_CFG_BASE + GAUDI_BLK_DMA_QM(0), 0x7FFC508000ull);
    EXPECT_EQ(GAUDI_BLK_DMA_QM(7), 0x5E8000u);
    EXPECT_EQ(GAUDI_BLK_DMA_CORE(5), 0x5A0000u);
    EXPECT_EQ(GAUDI_BLK_MME_QM(0), 0x068000u);
    EXPECT_EQ(GAUDI_BLK_MME_QM(1), 0x0E8000u);
    EXPECT_EQ(GAUDI_BLK_MME_QM(2), 0x168000u);
    EXPECT_EQ(GAUDI_BLK_MME_CTRL(1), 0x0E0000u);
    EXPECT_EQ(GAUDI_BLK_TPC_CFG(1), 0xE46000u);
    EXPECT_EQ(GAUDI_BLK_TPC_QM(7), 0xFC8000u);
    EXPECT_EQ(GAUDI_BLK_NIC_QM(0), 0xCE0000u);
    EXPECT_EQ(GAUDI_BLK_NIC_QM(1), 0xCE2000u);
    EXPECT_EQ(GAUDI_BLK_NIC_QM(3), 0xD22000u);
    EXPECT_EQ(GAUDI_BLK_NIC_QM(4), 0xD60000u);
    EXPECT_EQ(GAUDI_BLK_NIC_QM(9), 0xDE2000u);
    EXPECT_EQ(GAUDI_BLK_NIC_MACRO(4) + GAUDI_NIC_TXS0, 0xDF0000u);
    EXPECT_EQ(GAUDI_BLK_NIC_MACRO(1) + GAUDI_NIC_QPC1, 0xD25000u);
    EXPECT_EQ(GAUDI_BLK_HBM(2), 0x700000u);
    EXPECT_EQ(GAUDI_BLK_PSOC_GLOBAL_CONF, 0xC4B000u);
}

TEST(RegisterMap, QmanRegisterOffsets)
{
    const uint32_t q = GAUDI_BLK_DMA_QM(0);
    EXPECT_EQ(q + GAUDI_QM_GLBL_CFG1, 0x508004u);
    EXPECT_EQ(q + GAUDI_QM_GLBL_STS0, 0x508038u);
    EXPECT_EQ(q + GAUDI_QM_GLBL_STS1(4), 0x508050u);
    EXPECT_EQ(q + GAUDI_QM_GLBL_MSG_EN(3), 0x508060u);
    EXPECT_EQ(q + GAUDI_QM_GLBL_MSG_EN(4), 0x508068u);
    EXPECT_EQ(q + GAUDI_QM_PQ_BASE_LO(0), 0x508070u);
    EXPECT_EQ(q + GAUDI_QM_PQ_BASE_HI(3), 0x50808Cu);
    EXPECT_EQ(q + GAUDI_QM_PQ_SIZE(1), 0x508094u);
    EXPECT_EQ(q + GAUDI_QM_PQ_PI(0), 0x5080A0u);
    EXPECT_EQ(q + GAUDI_QM_PQ_CI(3), 0x5080BCu);
    EXPECT_EQ(q + GAUDI_QM_PQ_CFG1(3), 0x5080DCu);
    EXPECT_EQ(q + GAUDI_QM_CQ_CFG1(4), 0x508134u);
    EXPECT_EQ(q + GAUDI_QM_CQ_CTL(2), 0x5081A0u);
    EXPECT_EQ(q + GAUDI_QM_CQ_PTR_LO(4), 0x5081B4u);
    EXPECT_EQ(q + GAUDI_QM_CQ_TSIZE(4), 0x5081BCu);
    EXPECT_EQ(q + GAUDI_QM_CP_MSG_BASE_ADDR_LO(0, 0), 0x508228u);
    EXPECT_EQ(q + GAUDI_QM_CP_MSG_BASE_ADDR_HI(1, 2), 0x50826Cu);
    EXPECT_EQ(q + GAUDI_QM_CP_MSG_BASE_ADDR_LO(3, 4), 0x5082B0u);
    EXPECT_EQ(q + GAUDI_QM_CP_MSG_BASE_ADDR_HI(3, 4), 0x5082C4u);
    EXPECT_EQ(q + GAUDI_QM_CP_LDMA_TSIZE_OFFSET(4), 0x5082D8u);
    EXPECT_EQ(q + GAUDI_QM_CP_LDMA_SRC_BASE_LO_OFFSET(0), 0x5082E0u);
    EXPECT_EQ(q + GAUDI_QM_CP_LDMA_DST_BASE_LO_OFFSET(4), 0x508304u);
    EXPECT_EQ(q + GAUDI_QM_CP_FENCE_RDATA(0, 0), 0x508308u);
    EXPECT_EQ(q + GAUDI_QM_CP_FENCE_RDATA(1, 1), 0x508320u);
    EXPECT_EQ(q + GAUDI_QM_CP_FENCE_RDATA(3, 4), 0x508354u);
    EXPECT_EQ(q + GAUDI_QM_CP_FENCE_CNT(0, 0), 0x508358u);
    EXPECT_EQ(q + GAUDI_QM_CP_FENCE_CNT(3, 4), 0x5083A4u);
    EXPECT_EQ(q + GAUDI_QM_CP_STS(0), 0x5083A8u);
    EXPECT_EQ(q + GAUDI_QM_CP_CURRENT_INST_LO(0), 0x5083BCu);
    EXPECT_EQ(q + GAUDI_QM_CP_CURRENT_INST_HI(4), 0x5083E0u);
    EXPECT_EQ(q + GAUDI_QM_CP_BARRIER_CFG(0), 0x5083F4u);
    EXPECT_EQ(q + GAUDI_QM_ARB_CFG_0, 0x508A00u);
    EXPECT_EQ(q + GAUDI_QM_ARB_SLV_CHOISE_WDT, 0x508B38u);
    EXPECT_EQ(q + GAUDI_QM_ARB_ERR_MSG_EN, 0x508BA0u);
    EXPECT_EQ(q + GAUDI_QM_GLBL_ERR_WDATA, 0x508CD8u);
    EXPECT_EQ(q + GAUDI_QM_GLBL_MEM_INIT_BUSY, 0x508D00u);

    EXPECT_EQ(GAUDI_BLK_DMA_CORE(0) + GAUDI_DMA_CORE_DST_TSIZE_0, 0x500074u);
    EXPECT_EQ(GAUDI_BLK_DMA_CORE(0) + GAUDI_DMA_CORE_WR_COMP_ADDR_HI, 0x500084u);
    EXPECT_EQ(q + GAUDI_QM_CQ_PTR_LO(4) - GAUDI_BLK_DMA_CORE(0), GAUDI_QMAN_CPDMA_SRC_OFFSET);
    EXPECT_EQ(q + GAUDI_QM_CQ_TSIZE(4) - GAUDI_BLK_DMA_CORE(0), GAUDI_QMAN_CPDMA_SIZE_OFFSET);
    EXPECT_EQ(GAUDI_QMAN_LDMA_SIZE_OFFSET, GAUDI_DMA_CORE_DST_TSIZE_0);

    EXPECT_EQ(GAUDI_QMAN_PCI_DMA_ENABLE,
              GAUDI_FIELD_PREP(GAUDI_QM_GLBL_PQF_MASK, GAUDI_QM_GLBL_PQF_SHIFT, 0xF) |
                  GAUDI_FIELD_PREP(GAUDI_QM_GLBL_CQF_MASK, GAUDI_QM_GLBL_CQF_SHIFT, 0xF) |
                  GAUDI_FIELD_PREP(GAUDI_QM_GLBL_CP_MASK, GAUDI_QM_GLBL_CP_SHIFT, 0xF));
    EXPECT_EQ(GAUDI_QMAN_INTERNAL_ENABLE,
              GAUDI_QM_GLBL_PQF_MASK | GAUDI_QM_GLBL_CQF_MASK | GAUDI_QM_GLBL_CP_MASK);
    EXPECT_EQ(GAUDI_QMAN_EXTERNAL_MAKE_TRUSTED,
              GAUDI_QMAN_PCI_DMA_ENABLE | GAUDI_QM_GLBL_PROT_ERR_MASK);
}

TEST(RegisterMap, SyncManagers)
{
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(0),
              0x492000u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_MON_PAY_ADDRL(0),
              0x494000u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_MON_PAY_ADDRH(0),
              0x494800u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_MON_PAY_DATA(0),
              0x495000u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_MON_ARM(0),
              0x495800u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_MON_STATUS(0),
              0x496000u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_E_S) + GAUDI_SM_SOB_OBJ(0),
              0x4B2000u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_N) + GAUDI_SM_MON_STATUS(0),
              0x4D6000u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_E_N) + GAUDI_SM_SOB_OBJ(148),
              0x4F2250u);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_E_N) +
                  GAUDI_SM_SOB_OBJ(GAUDI_SM_NUM_SOBS - 1),
              0x4F3FFCu);
    EXPECT_EQ(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_E_N) +
                  GAUDI_SM_MON_STATUS(GAUDI_SM_NUM_MONITORS - 1),
              0x4F67FCu);
    // MSG_SHORT monitor offsets fit the 16-bit address field.
    EXPECT_LE(GAUDI_SM_MON_STATUS(511) - GAUDI_SM_MON_PAY_ADDRL(0), 0xFFFFu);
}

TEST(RegisterMap, CpuPcieAndTimestamp)
{
    EXPECT_EQ(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS, 0xC4B300u);
    EXPECT_EQ(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU, 0xC4B304u);
    EXPECT_EQ(mmCPU_BOOT_ERR0, 0xC4B160u);
    EXPECT_EQ(mmCPU_BOOT_DEV_STS0, 0xC4B150u);
    EXPECT_EQ(GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL, 3);
    EXPECT_EQ(GAUDI_CPU_BOOT_STATUS_NIC_FW_RDY, 11);
    EXPECT_EQ(GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT, 15);
    EXPECT_EQ(mmCPU_IF_PF_PQ_PI, GAUDI_BLK_CPU_IF + 0x200u);
    EXPECT_EQ(mmCPU_IF_QUEUE_INIT, 0x442230u);
    EXPECT_EQ(GAUDI_PQ_INIT_STATUS_READY_FOR_HOST, 2);
    EXPECT_EQ(mmPCIE_MSI_INTR_0, GAUDI_BLK_PCIE_MSI);
    EXPECT_EQ(mmPCIE_CORE_MSI_REQ, GAUDI_BLK_PCIE_CORE + 0x100u);
    EXPECT_EQ(GAUDI_PCIE_CORE_MSI_REQ_VALUE(0), 1u);  // what the 6.12 driver writes
    EXPECT_EQ(GAUDI_PCIE_CORE_MSI_REQ_VALUE(31), 0x3Fu);
    EXPECT_EQ(mmPSOC_TIMESTAMP_CNTCVL, GAUDI_BLK_PSOC_TIMESTAMP + 8u);
    EXPECT_EQ(mmPSOC_TIMESTAMP_CNTCVU, 0xC4900Cu);
    EXPECT_EQ(mmGIC_DISTRIBUTOR__5_GICD_SETSPI_NSR, GAUDI_BLK_GIC + 0x40u);
}

// The card routes queue ids with specs/gaudi/queues.h: it must agree with the uAPI enum.
static_assert(GAUDI_QID_DMA_0_0 == GAUDI_QUEUE_ID_DMA_0_0 && GAUDI_QID_CPU_PQ == GAUDI_QUEUE_ID_CPU_PQ &&
              GAUDI_QID_DMA_2_0 == GAUDI_QUEUE_ID_DMA_2_0 && GAUDI_QID_MME_0_0 == GAUDI_QUEUE_ID_MME_0_0 &&
              GAUDI_QID_MME_1_0 == GAUDI_QUEUE_ID_MME_1_0 && GAUDI_QID_TPC_0_0 == GAUDI_QUEUE_ID_TPC_0_0 &&
              GAUDI_QID_NIC_0_0 == GAUDI_QUEUE_ID_NIC_0_0 && GAUDI_QID_COUNT == GAUDI_QUEUE_ID_SIZE,
              "specs/gaudi/queues.h and the uAPI queue enum disagree");
