/* gaudisim: GAUDI (first generation) address map, register blocks and the registers the
 * driver and the card model share.
 *
 * Values are the real public ones, taken as facts from HabanaAI/hl-thunk-open
 * include/specs/gaudi/gaudi.h and asic_reg/ (MIT) and the Linux habanalabs driver (read for
 * facts only). Names and comments are gaudisim's own; a few well-known register names of the
 * public headers (mmPCIE_MSI_INTR_0, mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS, ...) are kept.
 * Anything marked "not public: gaudisim value" is our own choice (see docs/uapi.md).
 *
 * Conventions: GAUDI_*_ADDR / *_BASE_ADDR are device addresses. Register and block offsets
 * (GAUDI_BLK_*, mm*) are relative to GAUDI_CFG_BASE, like the mm* values of the public
 * asic_reg headers. The CFG BAR (BAR 2) starts at GAUDI_SPI_FLASH_BASE_ADDR, so the BAR 2
 * offset of a register is GAUDI_CFG_BAR_CFG_OFFSET + its offset. C99/C++17.
 */
#ifndef GAUDISIM_SPECS_GAUDI_REGS_H
#define GAUDISIM_SPECS_GAUDI_REGS_H

/* ==== Chip ==== */
#define GAUDI_PCI_VENDOR_ID              0x1da3
#define GAUDI_PCI_DEVICE_ID              0x1000
#define GAUDI_DMA_NUMBER_OF_CHANNELS     8  /* DMA 0,1: PCI DMA (external); 2..7: HBM DMA */
#define GAUDI_MME_NUMBER_OF_MASTER_ENGINES 2 /* MME0 and MME2 own a QMAN; MME1, MME3 are slaves */
#define GAUDI_MME_NUMBER_OF_ENGINES      4
#define GAUDI_TPC_NUMBER_OF_ENGINES      8
#define GAUDI_NIC_NUMBER_OF_MACROS       5
#define GAUDI_NIC_NUMBER_OF_ENGINES      10 /* 2 per macro, one QMAN each */
#define GAUDI_NIC_MAX_NUMBER_OF_PORTS    20
#define GAUDI_NIC_SEND_WQE_SIZE          32
#define GAUDI_NIC_RECV_WQE_SIZE          8
#define GAUDI_QMAN_STREAMS               4  /* upper CPs 0..3; CP index 4 is the lower CP */
#define GAUDI_QMAN_CPS                   5
#define GAUDI_QMAN_FENCES                4  /* fence counters per CP */
#define GAUDI_MAX_ASID                   1024
#define GAUDI_DEVICE_CACHE_LINE_SIZE     128
#define GAUDI_PROT_BITS_OFFS             0xF80 /* protection bits inside each 4 KiB block */
#define GAUDI_MAX_PENDING_CS             16384

/* ==== PCI BARs ==== */
#define GAUDI_SRAM_BAR_ID            0
#define GAUDI_CFG_BAR_ID             2
#define GAUDI_HBM_BAR_ID             4
#define GAUDI_SRAM_BAR_SIZE          0x4000000ull  /* 64 MiB */
#define GAUDI_CFG_BAR_SIZE           0x8000000ull  /* 128 MiB: SPI flash window, then CFG */
#define GAUDI_CFG_BAR_CFG_OFFSET     0x4000000ull  /* CFG_BASE - SPI_FLASH_BASE_ADDR */

/* ==== Device address map ==== */
#define GAUDI_DRAM_PHYS_BASE         0x0ull
#define GAUDI_HBM_SIZE               0x800000000ull /* 32 GiB */
#define GAUDI_SRAM_BASE_ADDR         0x7FF0000000ull
#define GAUDI_SRAM_SIZE              0x1400000ull   /* 20 MiB */
#define GAUDI_SPI_FLASH_BASE_ADDR    0x7FF8000000ull
#define GAUDI_PSOC_SCRATCHPAD_ADDR   0x7FFBFE0000ull
#define GAUDI_PSOC_SCRATCHPAD_SIZE   0x10000ull     /* 64 KiB */
#define GAUDI_PCIE_FW_SRAM_ADDR      0x7FFBFF0000ull
#define GAUDI_PCIE_FW_SRAM_SIZE      0x8000ull      /* 32 KiB */
#define GAUDI_CFG_BASE               0x7FFC000000ull
#define GAUDI_CFG_SIZE               0x4000000ull   /* 32 MiB registers + 32 MiB debug */
/* Host memory as the device sees it: the Linux driver adds HOST_PHYS_BASE to every DMA address
 * it hands to the device (queues, CBs, completion entries). */
#define GAUDI_HOST_PHYS_BASE         0x8000000000ull
#define GAUDI_HOST_PHYS_SIZE         0x1000000000000ull /* 48 bits */
/* HBM layout kept by the Linux driver: firmware image at 0 (256 MiB), MMU page tables after
 * it; user allocations start at 512 MiB. */
#define GAUDI_DRAM_CPU_FW_IMAGE_SIZE 0x10000000ull
#define GAUDI_DRAM_MMU_PGT_ADDR      0x10000000ull
#define GAUDI_DRAM_MMU_PGT_SIZE      0x0BF00000ull
#define GAUDI_DRAM_BASE_ADDR_USER    0x20000000ull
/* Device virtual range where the MMU maps host memory (HL_IOCTL_MEMORY map of a user pointer). */
#define GAUDI_VA_HOST_SPACE_START    0x1000000000000ull
#define GAUDI_VA_HOST_SPACE_END      0x3FF8000000000ull
#define GAUDI_SRAM_USER_BASE_OFFSET  0x80 /* GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START */

/* ==== Device MMU (MMU v1.1): hop-0 table per ASID, STLB invalidation, 5-hop walk ==== */
#define mmMMU_UP_MMU_ENABLE            0xC1100Cu
#define mmMMU_UP_PAGE_ERROR_CAPTURE    0xC11034u /* bit 19 valid, bits 17..0 VA[49:32] */
#define mmMMU_UP_PAGE_ERROR_CAPTURE_VA 0xC11038u /* VA[31:0] */
#define mmMMU_BUSY                     0xC12000u /* write bit 31: load hop-0 of MMU_ASID */
#define mmMMU_ASID                     0xC12004u
#define mmMMU_HOP0_PA43_12             0xC12008u
#define mmMMU_HOP0_PA49_44             0xC1200Cu
#define mmSTLB_CACHE_INV               0xC12010u
#define mmSTLB_INV_PS                  0xC1203Cu /* 2: start invalidation; reads 0 when done */
#define mmSTLB_INV_SET                 0xC12048u
#define mmSTLB_MEM_CACHE_INVALIDATION  0xC12050u
#define GAUDI_MMU_BUSY_BIT             0x80000000u
#define GAUDI_MMU_MAX_ASID             2
#define GAUDI_MMU_HOPS                 5
#define GAUDI_MMU_PTE_PRESENT          0x1ull
#define GAUDI_MMU_PTE_LAST             0x800ull /* the walk ends at this hop (large page) */
#define GAUDI_MMU_PTE_FLAGS            0xFFFull
/* Hop h indexes VA bits [shift(h) + 8 .. shift(h)] (hop 0: bits 49..48): 48, 39, 30, 21, 12. */
#define GAUDI_MMU_HOP_SHIFT(h)         ((h) == 0 ? 48u : 48u - 9u * (unsigned)(h))
#define GAUDI_MMU_HOP_MASK(h)          ((h) == 0 ? 0x3000000000000ull : (0x1FFull << GAUDI_MMU_HOP_SHIFT(h)))

/* ==== Register blocks (offsets from GAUDI_CFG_BASE) ==== */
#define GAUDI_BLK_DMA_CORE(n)        (0x500000u + (unsigned)(n) * 0x20000u) /* n = 0..7 */
#define GAUDI_BLK_DMA_QM(n)          (0x508000u + (unsigned)(n) * 0x20000u)
/* MME n = 0..3; QMANs of the masters 0 and 2 are used (queues MME_1_* and MME_0_*). Public:
 * MME0/MME1 CTRL, MME0/MME1/MME2 QM; MME2/MME3 CTRL and MME3 QM follow the same stride. */
#define GAUDI_BLK_MME_CTRL(n)        (0x060000u + (unsigned)(n) * 0x80000u)
#define GAUDI_BLK_MME_QM(n)          (0x068000u + (unsigned)(n) * 0x80000u)
#define GAUDI_BLK_TPC_CFG(n)         (0xE06000u + (unsigned)(n) * 0x40000u) /* n = 0..7 */
#define GAUDI_BLK_TPC_QM(n)          (0xE08000u + (unsigned)(n) * 0x40000u)
#define GAUDI_BLK_NIC_MACRO(m)       (0xCC0000u + (unsigned)(m) * 0x40000u) /* m = 0..4 */
/* NIC engine e (0..9) = macro e/2, QMAN e%2 (queues GAUDI_QUEUE_ID_NIC_e_*) */
#define GAUDI_BLK_NIC_QM(e) \
	(GAUDI_BLK_NIC_MACRO((unsigned)(e) / 2u) + 0x20000u + ((unsigned)(e) % 2u) * 0x2000u)
/* Sub-blocks inside a NIC macro */
#define GAUDI_NIC_MAC_CH(c)          (0x00000u + (unsigned)(c) * 0x1000u) /* lanes 0..3 */
#define GAUDI_NIC_STAT               0x04000u
#define GAUDI_NIC_MAC_XPCS91         0x05000u
#define GAUDI_NIC_MAC_CORE           0x08000u
#define GAUDI_NIC_MAC_AUX            0x09000u
#define GAUDI_NIC_PHY                0x18000u
#define GAUDI_NIC_QM0                0x20000u
#define GAUDI_NIC_QM1                0x22000u
#define GAUDI_NIC_QPC0               0x24000u /* QP-context control, engine 0 */
#define GAUDI_NIC_QPC1               0x25000u
#define GAUDI_NIC_RXB                0x28000u
#define GAUDI_NIC_RXE0               0x29000u
#define GAUDI_NIC_RXE1               0x2A000u
#define GAUDI_NIC_RX_GW              0x2B000u
#define GAUDI_NIC_TXS0               0x30000u
#define GAUDI_NIC_TXS1               0x31000u
#define GAUDI_NIC_TXE0               0x32000u
#define GAUDI_NIC_TXE1               0x33000u
#define GAUDI_NIC_TXB                0x34000u
#define GAUDI_NIC_TMR                0x35000u
#define GAUDI_NIC_TX_GW              0x36000u

#define GAUDI_BLK_CPU_CA53_CFG       0x441000u
#define GAUDI_BLK_CPU_IF             0x442000u
#define GAUDI_BLK_CPU_TIMESTAMP      0x444000u
#define GAUDI_BLK_HBM(n)             (0x600000u + (unsigned)(n) * 0x80000u) /* n = 0..3 */
#define GAUDI_BLK_GIC                0x800000u
#define GAUDI_BLK_PCIE_WRAP          0xC01000u
#define GAUDI_BLK_PCIE_DBI           0xC02000u
#define GAUDI_BLK_PCIE_CORE          0xC04000u
#define GAUDI_BLK_PCIE_AUX           0xC07000u
#define GAUDI_BLK_MMU_UP             0xC11000u
#define GAUDI_BLK_STLB               0xC12000u
#define GAUDI_BLK_PCIE_MSI           0xC13000u
#define GAUDI_BLK_PSOC_TIMESTAMP     0xC49000u
#define GAUDI_BLK_PSOC_EFUSE         0xC4A000u
#define GAUDI_BLK_PSOC_GLOBAL_CONF   0xC4B000u

/* ==== Sync managers ====
 * Four, one per die quarter. Each has a GLBL block and an OBJS block 0x1000 above it with 2048
 * sync objects (15-bit counters) and 512 monitors, 4 bytes apart. Users own W_S objects from
 * 144 and monitors from 72 on; the driver's CP_MSG_BASE set-up uses E_N and W_S. */
#define GAUDI_BLK_SYNC_MNGR_GLBL_W_S 0x490000u
#define GAUDI_BLK_SYNC_MNGR_GLBL_E_S 0x4B0000u
#define GAUDI_BLK_SYNC_MNGR_GLBL_W_N 0x4D0000u
#define GAUDI_BLK_SYNC_MNGR_GLBL_E_N 0x4F0000u
#define GAUDI_SYNC_MNGR_OBJS_OFFSET  0x1000u
#define GAUDI_BLK_SYNC_MNGR_OBJS(glbl) ((glbl) + GAUDI_SYNC_MNGR_OBJS_OFFSET)
/* The driver's ranges, in the manager's GLBL block: user transactions may not touch sync
 * objects below FIRST_USER_SOB nor monitors below FIRST_USER_MON (RAZWI), and monitors from
 * FIRST_USER_MON on send their payloads as user transactions. Both 0 at reset (all the
 * user's); the driver sets them at init and protects the GLBL block. Silicon has no such
 * registers (Linux keeps its W_S range by convention): not public: gaudisim values. */
#define GSIM_SM_GLBL_FIRST_USER_SOB  0xE00u
#define GSIM_SM_GLBL_FIRST_USER_MON  0xE04u
/* Objects below FIRST_USER_SOB that user transactions may touch all the same: bit i%32 of word
 * i/32 (64 words, 0 at reset). The driver opens the sync-stream object that holds signals it
 * reserved for a user's own CBs (encapsulated signals). gaudisim's, like the two above. */
#define GSIM_SM_GLBL_USER_SOB_OPEN(w) (0xE40u + 4u * (unsigned)(w))
#define GSIM_SM_GLBL_USER_SOB_OPEN_WORDS 64
#define GAUDI_SM_NUM_SOBS            2048
#define GAUDI_SM_NUM_MONITORS        512
#define GAUDI_SM_SOBS_PER_MONITOR    8
/* Inside an OBJS block */
#define GAUDI_SM_SOB_OBJ(i)          (0x1000u + (unsigned)(i) * 4u)
#define GAUDI_SM_MON_PAY_ADDRL(i)    (0x3000u + (unsigned)(i) * 4u)
#define GAUDI_SM_MON_PAY_ADDRH(i)    (0x3800u + (unsigned)(i) * 4u)
#define GAUDI_SM_MON_PAY_DATA(i)     (0x4000u + (unsigned)(i) * 4u)
#define GAUDI_SM_MON_ARM(i)          (0x4800u + (unsigned)(i) * 4u)
#define GAUDI_SM_MON_STATUS(i)       (0x5000u + (unsigned)(i) * 4u)
/* SOB_OBJ: a written word is applied like the MSG_SHORT sync-object value (bit 31 = add). */
#define GAUDI_SM_SOB_VAL_MASK        0x00007FFFu
#define GAUDI_SM_SOB_INC_SHIFT       31
#define GAUDI_SM_SOB_INC_MASK        0x80000000u
/* MON_ARM: same layout as the MSG_SHORT monitor-arm value (specs/gaudi/packets.h). */
#define GAUDI_SM_MON_ARM_SID_SHIFT   0
#define GAUDI_SM_MON_ARM_SID_MASK    0x000000FFu
#define GAUDI_SM_MON_ARM_MASK_SHIFT  8
#define GAUDI_SM_MON_ARM_MASK_MASK   0x0000FF00u
#define GAUDI_SM_MON_ARM_SOP_SHIFT   16
#define GAUDI_SM_MON_ARM_SOP_MASK    0x00010000u
#define GAUDI_SM_MON_ARM_SOD_SHIFT   17
#define GAUDI_SM_MON_ARM_SOD_MASK    0xFFFE0000u
#define GAUDI_SM_MON_STATUS_VALID_SHIFT   0
#define GAUDI_SM_MON_STATUS_VALID_MASK    0x00000001u
#define GAUDI_SM_MON_STATUS_PENDING_SHIFT 1
#define GAUDI_SM_MON_STATUS_PENDING_MASK  0x000001FEu

/* ==== QMAN block (same layout for DMA, MME, TPC and NIC QMANs) ====
 * s = stream 0..3 (PQ registers exist for upper CPs only); c = CP 0..4 (4 = lower CP);
 * f = fence 0..3; b = message base 0..3. */
#define GAUDI_QM_GLBL_CFG0             0x000u
#define GAUDI_QM_GLBL_CFG1             0x004u
#define GAUDI_QM_GLBL_PROT             0x008u
#define GAUDI_QM_GLBL_ERR_CFG          0x00Cu
#define GAUDI_QM_GLBL_SECURE_PROPS(c)  (0x010u + (unsigned)(c) * 4u)
#define GAUDI_QM_GLBL_NON_SECURE_PROPS(c) (0x024u + (unsigned)(c) * 4u)
#define GAUDI_QM_GLBL_STS0             0x038u
#define GAUDI_QM_GLBL_STS1(c)          (0x040u + (unsigned)(c) * 4u)
#define GAUDI_QM_GLBL_MSG_EN(c)        ((c) == 4 ? 0x068u : 0x054u + (unsigned)(c) * 4u)
#define GAUDI_QM_PQ_BASE_LO(s)         (0x070u + (unsigned)(s) * 4u)
#define GAUDI_QM_PQ_BASE_HI(s)         (0x080u + (unsigned)(s) * 4u)
#define GAUDI_QM_PQ_SIZE(s)            (0x090u + (unsigned)(s) * 4u) /* log2(entries) */
#define GAUDI_QM_PQ_PI(s)              (0x0A0u + (unsigned)(s) * 4u) /* doorbell */
#define GAUDI_QM_PQ_CI(s)              (0x0B0u + (unsigned)(s) * 4u)
#define GAUDI_QM_PQ_CFG0(s)            (0x0C0u + (unsigned)(s) * 4u)
#define GAUDI_QM_PQ_CFG1(s)            (0x0D0u + (unsigned)(s) * 4u)
#define GAUDI_QM_PQ_STS0(s)            (0x0F0u + (unsigned)(s) * 4u)
#define GAUDI_QM_PQ_STS1(s)            (0x100u + (unsigned)(s) * 4u)
#define GAUDI_QM_CQ_CFG0(c)            (0x110u + (unsigned)(c) * 4u)
#define GAUDI_QM_CQ_CFG1(c)            (0x124u + (unsigned)(c) * 4u)
#define GAUDI_QM_CQ_STS0(c)            (0x14Cu + (unsigned)(c) * 4u)
#define GAUDI_QM_CQ_STS1(c)            (0x160u + (unsigned)(c) * 4u)
#define GAUDI_QM_CQ_PTR_LO(c)          (0x174u + (unsigned)(c) * 0x10u)
#define GAUDI_QM_CQ_PTR_HI(c)          (0x178u + (unsigned)(c) * 0x10u)
#define GAUDI_QM_CQ_TSIZE(c)           (0x17Cu + (unsigned)(c) * 0x10u)
#define GAUDI_QM_CQ_CTL(c)             (0x180u + (unsigned)(c) * 0x10u)
#define GAUDI_QM_CQ_IFIFO_CNT(c)       (0x214u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_MSG_BASE_ADDR_LO(b, c) (0x228u + (unsigned)(b) * 0x28u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_MSG_BASE_ADDR_HI(b, c) (0x23Cu + (unsigned)(b) * 0x28u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_LDMA_TSIZE_OFFSET(c)       (0x2C8u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_LDMA_SRC_BASE_LO_OFFSET(c) (0x2E0u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_LDMA_DST_BASE_LO_OFFSET(c) (0x2F4u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_FENCE_RDATA(f, c)  (0x308u + (unsigned)(f) * 0x14u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_FENCE_CNT(f, c)    (0x358u + (unsigned)(f) * 0x14u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_STS(c)             (0x3A8u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_CURRENT_INST_LO(c) (0x3BCu + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_CURRENT_INST_HI(c) (0x3D0u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_BARRIER_CFG(c)     (0x3F4u + (unsigned)(c) * 4u)
#define GAUDI_QM_CP_DBG_0(c)           (0x408u + (unsigned)(c) * 4u)
#define GAUDI_QM_ARB_CFG_0             0xA00u
#define GAUDI_QM_ARB_CHOISE_Q_PUSH     0xA04u
#define GAUDI_QM_ARB_WRR_WEIGHT(s)     (0xA08u + (unsigned)(s) * 4u)
#define GAUDI_QM_ARB_CFG_1             0xA18u
#define GAUDI_QM_ARB_SLV_CHOISE_WDT    0xB38u
#define GAUDI_QM_ARB_ERR_CAUSE         0xB9Cu
#define GAUDI_QM_ARB_ERR_MSG_EN        0xBA0u
#define GAUDI_QM_CGM_CFG               0xC70u
#define GAUDI_QM_LOCAL_RANGE_BASE      0xC80u
#define GAUDI_QM_LOCAL_RANGE_SIZE      0xC84u
#define GAUDI_QM_GLBL_ERR_ADDR_LO      0xCD0u
#define GAUDI_QM_GLBL_ERR_ADDR_HI      0xCD4u
#define GAUDI_QM_GLBL_ERR_WDATA        0xCD8u
#define GAUDI_QM_GLBL_MEM_INIT_BUSY    0xD00u

/* GLBL_CFG0 enables, GLBL_CFG1 stops/flushes, GLBL_STS0 idle/stopped; per-unit bit fields:
 * PQF = PQ fetchers (4), CQF = CQ fetchers (5), CP = command processors (5). */
#define GAUDI_QM_GLBL_PQF_SHIFT        0
#define GAUDI_QM_GLBL_PQF_MASK         0x0000000Fu
#define GAUDI_QM_GLBL_CQF_SHIFT        4
#define GAUDI_QM_GLBL_CQF_MASK         0x000001F0u
#define GAUDI_QM_GLBL_CP_SHIFT         9
#define GAUDI_QM_GLBL_CP_MASK          0x00003E00u
#define GAUDI_QM_GLBL_CFG1_PQF_FLUSH_SHIFT 16 /* CFG1; in STS0 these are the IS_STOP bits */
#define GAUDI_QM_GLBL_CFG1_CQF_FLUSH_SHIFT 20
#define GAUDI_QM_GLBL_CFG1_CP_FLUSH_SHIFT  25
#define GAUDI_QM_GLBL_STS0_ARB_IS_STOP_MASK 0x80000000u
#define GAUDI_QM_GLBL_PROT_ERR_MASK    0x00004000u
#define GAUDI_QM_GLBL_PROT_ARB_MASK    0x00008000u
/* Values the Linux driver writes to GLBL_CFG0 / GLBL_PROT */
#define GAUDI_QMAN_PCI_DMA_ENABLE      0x00001EFFu /* PQF 0xF, CQF 0xF, CP 0xF */
#define GAUDI_QMAN_INTERNAL_ENABLE     0x00003FFFu /* PQF 0xF, CQF 0x1F, CP 0x1F */
#define GAUDI_QMAN_EXTERNAL_MAKE_TRUSTED 0x00005EFFu
#define GAUDI_QMAN_INTERNAL_MAKE_TRUSTED 0x0000400Fu
/* CP_STS */
#define GAUDI_QM_CP_STS_FENCE_ID_SHIFT       20
#define GAUDI_QM_CP_STS_FENCE_ID_MASK        0x00300000u
#define GAUDI_QM_CP_STS_FENCE_IN_PROGRESS_MASK 0x00400000u

/* ==== DMA core block ==== */
#define GAUDI_DMA_CORE_CFG_0           0x000u
#define GAUDI_DMA_CORE_CFG_1           0x004u
#define GAUDI_DMA_CORE_SRC_BASE_LO     0x014u
#define GAUDI_DMA_CORE_SRC_BASE_HI     0x018u
#define GAUDI_DMA_CORE_DST_BASE_LO     0x01Cu
#define GAUDI_DMA_CORE_DST_BASE_HI     0x020u
#define GAUDI_DMA_CORE_SRC_TSIZE_0     0x04Cu
#define GAUDI_DMA_CORE_DST_TSIZE_0     0x074u
#define GAUDI_DMA_CORE_COMMIT          0x078u
#define GAUDI_DMA_CORE_WR_COMP_WDATA   0x07Cu
#define GAUDI_DMA_CORE_WR_COMP_ADDR_LO 0x080u
#define GAUDI_DMA_CORE_WR_COMP_ADDR_HI 0x084u
#define GAUDI_DMA_CORE_PROT            0x0B8u /* bit 0: transactions are secure */
#define GAUDI_DMA_CORE_SECURE_PROPS    0x0F0u /* ASID bits 9..0, MMU bypass bit 10 */
#define GAUDI_DMA_CORE_NON_SECURE_PROPS 0x0F4u
#define GAUDI_DMA_CORE_ERR_CFG         0x160u
#define GAUDI_DMA_CORE_ERR_CAUSE       0x164u
#define GAUDI_DMA_CORE_STS0            0x190u
#define GAUDI_DMA_CORE_STS1            0x194u
/* DMA core fields (public asic_reg dma0_core_masks.h) */
#define GAUDI_DMA_CORE_CFG_0_EN_MASK          0x00000001u /* engine enabled */
#define GAUDI_DMA_CORE_CFG_1_HALT_MASK        0x00000001u /* stop at the next chunk boundary */
#define GAUDI_DMA_CORE_CFG_1_FLUSH_MASK       0x00000002u
/* COMMIT: the low byte is the LIN_DMA ctl flags (WR_COMP_EN, TRANSPOSE, DTYPE, LIN, MEM_SET,
 * COMPRESS, DECOMPRESS); writing it starts a transfer from SRC_BASE, DST_BASE, DST_TSIZE_0. */
#define GAUDI_DMA_CORE_COMMIT_FLAGS_MASK      0x0000007Fu
#define GAUDI_DMA_CORE_COMMIT_CTX_ID_SHIFT    16
#define GAUDI_DMA_CORE_COMMIT_CTX_ID_MASK     0x00FF0000u
#define GAUDI_DMA_CORE_ERR_CFG_ERR_MSG_EN_MASK  0x00000001u /* report errors as an event */
#define GAUDI_DMA_CORE_ERR_CFG_STOP_ON_ERR_MASK 0x00000002u /* set CFG_1.HALT on an error */
#define GAUDI_DMA_CORE_ERR_CAUSE_HBW_RD_ERR_MASK 0x00000001u /* source read failed */
#define GAUDI_DMA_CORE_ERR_CAUSE_HBW_WR_ERR_MASK 0x00000002u /* destination write failed */
#define GAUDI_DMA_CORE_ERR_CAUSE_LBW_WR_ERR_MASK 0x00000004u /* write-completion write failed */
#define GAUDI_DMA_CORE_ERR_CAUSE_DESC_OVF_MASK   0x00000008u
#define GAUDI_DMA_CORE_STS0_BUSY_MASK         0x80000000u /* bit 31, as on silicon */
#define GAUDI_DMA_CORE_STS1_IS_HALT_MASK      0x00000001u
/* Values for CP_LDMA_*_OFFSET: where a CP writes LIN_DMA (or CP_DMA) fields, relative to the
 * DMA core's CFG_0. PCI DMA streams use the LDMA set; internal QMANs use the CPDMA set for
 * streams 0..3 (hand CBs to the lower CP) and the LDMA set for the lower CP. */
#define GAUDI_QMAN_LDMA_SRC_OFFSET     0x0014u
#define GAUDI_QMAN_LDMA_DST_OFFSET     0x001Cu
#define GAUDI_QMAN_LDMA_SIZE_OFFSET    0x0074u
#define GAUDI_QMAN_CPDMA_SRC_OFFSET    0x81B4u /* QM CQ_PTR_LO(4) - DMA core */
#define GAUDI_QMAN_CPDMA_DST_OFFSET    0x001Cu
#define GAUDI_QMAN_CPDMA_SIZE_OFFSET   0x81BCu /* QM CQ_TSIZE(4) - DMA core */

/* ==== Interrupts ====
 * MSI (not MSI-X), 32 vectors. The card raises a vector through its PCIe core: a write to
 * mmPCIE_CORE_MSI_REQ with bit 0 set asks the core for an MSI; that is the target of the second
 * MSG_PROT the driver appends to every external-queue CB (the first one writes the completion
 * entry), and the path the device CPU (event queue) and the NICs use on chip. The upstream 6.12
 * driver writes 1 there (vector 0, its single-MSI mode); the vector field (bits 5..1, the width
 * of the DesignWare core's vendor MSI vector) is not public: gaudisim's layout, so that the
 * 2020 driver's multi-MSI vectors have a real path. With a single vector the driver uses
 * vector 0 and polls all completion queues and the event queue. The PCIe core sends what the
 * MSI capability allows (enable, vectors enabled, per-vector mask). mmPCIE_MSI_INTR_0 (one
 * register per vector) serves only the Linux driver's no-PCI simulator mode: gaudisim's card
 * does not have it. */
#define GAUDI_MSI_ENTRIES              32
#define mmPCIE_MSI_INTR_0              0xC13000u /* not on the card (see above) */
#define GAUDI_PCIE_CORE_MSI_REQ_GO     0x1u
#define GAUDI_PCIE_CORE_MSI_REQ_VECTOR_SHIFT 1   /* not public: gaudisim's layout */
#define GAUDI_PCIE_CORE_MSI_REQ_VECTOR_MASK  0x3Eu
#define GAUDI_PCIE_CORE_MSI_REQ_VALUE(v) \
	(GAUDI_PCIE_CORE_MSI_REQ_GO | (((unsigned)(v) << GAUDI_PCIE_CORE_MSI_REQ_VECTOR_SHIFT) & GAUDI_PCIE_CORE_MSI_REQ_VECTOR_MASK))
#define GAUDI_MSI_CQ_FIRST             0  /* vectors 0..7: completion queue of queues 0..7 */
#define GAUDI_NUMBER_OF_CMPLT_QUEUES   8
#define GAUDI_EVENT_QUEUE_MSI_IDX      8  /* device CPU event queue */
#define GAUDI_NIC_RX_MSI_IDX           9  /* 2020 NIC series: driver Ethernet RX */
#define GAUDI_NIC_PORT1_MSI_IDX        10 /* public: ports 1,3,5,7,9 at 10,12,14,16,18 */
#define GAUDI_NIC_CQ_MSI_IDX           19 /* 2020 NIC series: NIC completion queues */
/* The device CPU's GIC: the driver writes an event number to SETSPI_NSR to interrupt it. */
#define mmGIC_DISTRIBUTOR__5_GICD_SETSPI_NSR 0x800040u
#define GAUDI_EVENT_PI_UPDATE          484 /* "CPU queue PI moved" */

/* ==== Device CPU: boot status and the CPU queue ==== */
#define mmPSOC_GLOBAL_CONF_SCRATCHPAD(n)   (0xC4B100u + (unsigned)(n) * 4u) /* n = 0..31 */
#define mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS 0xC4B300u /* enum gaudi_cpu_boot_status */
#define mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU  0xC4B304u /* enum gaudi_kmd_msg */
#define mmPSOC_GLOBAL_CONF_BOOT_SEQ_RE_START 0xC4B024u
#define mmPSOC_GLOBAL_CONF_BTM_FSM 0xC4B028u /* bits 3..0: reset state machine, 0 = idle */
#define mmPSOC_GLOBAL_CONF_SW_ALL_RST 0xC4B498u /* write bit 0: hard reset of the chip */
#define GAUDI_PSOC_SW_ALL_RST_IND  0x1u
#define mmHW_STATE                 mmPSOC_GLOBAL_CONF_SCRATCHPAD(0)
#define mmCPU_BOOT_DEV_STS0        mmPSOC_GLOBAL_CONF_SCRATCHPAD(20)
#define mmCPU_BOOT_DEV_STS1        mmPSOC_GLOBAL_CONF_SCRATCHPAD(21)
#define mmFUSE_VER_OFFSET          mmPSOC_GLOBAL_CONF_SCRATCHPAD(22)
#define mmCPU_CMD_STATUS_TO_HOST   mmPSOC_GLOBAL_CONF_SCRATCHPAD(23)
#define mmCPU_BOOT_ERR0            mmPSOC_GLOBAL_CONF_SCRATCHPAD(24)

enum gaudi_cpu_boot_status {
	GAUDI_CPU_BOOT_STATUS_NA = 0,            /* after chip reset */
	GAUDI_CPU_BOOT_STATUS_IN_WFE = 1,
	GAUDI_CPU_BOOT_STATUS_DRAM_RDY = 2,
	GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL = 3,
	GAUDI_CPU_BOOT_STATUS_IN_BTL = 4,
	GAUDI_CPU_BOOT_STATUS_IN_PREBOOT = 5,
	GAUDI_CPU_BOOT_STATUS_IN_SPL = 6,
	GAUDI_CPU_BOOT_STATUS_IN_UBOOT = 7,
	GAUDI_CPU_BOOT_STATUS_DRAM_INIT_FAIL = 8,
	GAUDI_CPU_BOOT_STATUS_FIT_CORRUPTED = 9,
	GAUDI_CPU_BOOT_STATUS_UBOOT_NOT_READY = 10,
	GAUDI_CPU_BOOT_STATUS_NIC_FW_RDY = 11,   /* DRAM and NICs initialized */
	GAUDI_CPU_BOOT_STATUS_TS_INIT_FAIL = 12,
	GAUDI_CPU_BOOT_STATUS_DRAM_SKIPPED = 13,
	GAUDI_CPU_BOOT_STATUS_BMC_WAITING_SKIPPED = 14,
	GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT = 15, /* boot loader done, takes commands */
	GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT = 16,
	GAUDI_CPU_BOOT_STATUS_SECURITY_READY = 17
};

enum gaudi_kmd_msg {
	GAUDI_KMD_MSG_NA = 0,
	GAUDI_KMD_MSG_GOTO_WFE = 1,
	GAUDI_KMD_MSG_FIT_RDY = 2,
	GAUDI_KMD_MSG_SKIP_BMC = 3,
	GAUDI_KMD_MSG_RST_DEV = 5
};

/* CPU_CMD_STATUS_TO_HOST: the firmware's answer to a KMD message (the boot-FIT request). */
enum gaudi_cpu_msg_status {
	GAUDI_CPU_MSG_CLR = 0,
	GAUDI_CPU_MSG_OK = 1,
	GAUDI_CPU_MSG_ERR = 2
};

/* CPU queue (queue 8), event queue and CPU-accessible memory, programmed by the driver. */
#define mmCPU_IF_CPU_MSB_ADDR          0x44212Cu
#define mmCPU_IF_PF_PQ_PI              0x442200u /* CPU queue doorbell */
#define mmCPU_IF_PQ_BASE_ADDR_LOW      0x442204u
#define mmCPU_IF_PQ_BASE_ADDR_HIGH     0x442208u
#define mmCPU_IF_PQ_LENGTH             0x44220Cu /* bytes */
#define mmCPU_IF_CQ_BASE_ADDR_LOW      0x442210u
#define mmCPU_IF_CQ_BASE_ADDR_HIGH     0x442214u
#define mmCPU_IF_CQ_LENGTH             0x442218u
#define mmCPU_IF_EQ_BASE_ADDR_LOW      0x442220u
#define mmCPU_IF_EQ_BASE_ADDR_HIGH     0x442224u
#define mmCPU_IF_EQ_LENGTH             0x442228u
#define mmCPU_IF_EQ_RD_OFFS            0x44222Cu /* driver's event-queue consumer index */
#define mmCPU_IF_QUEUE_INIT            0x442230u /* enum gaudi_pq_init_status handshake */

enum gaudi_pq_init_status {
	GAUDI_PQ_INIT_STATUS_NA = 0,
	GAUDI_PQ_INIT_STATUS_READY_FOR_CP = 1,            /* driver -> CPU, multi-MSI */
	GAUDI_PQ_INIT_STATUS_READY_FOR_HOST = 2,          /* CPU -> driver */
	GAUDI_PQ_INIT_STATUS_READY_FOR_CP_SINGLE_MSI = 3, /* driver -> CPU, one vector */
	GAUDI_PQ_INIT_STATUS_LEN_NOT_POWER_OF_TWO_ERR = 4,
	GAUDI_PQ_INIT_STATUS_ILLEGAL_Q_ADDR_ERR = 5
};

/* Event-queue entry written by the device CPU: 64 bytes, ctl word at byte 4. */
#define GAUDI_EQ_ENTRY_SIZE            64
#define GAUDI_EQ_CTL_READY_MASK        0x80000000u
#define GAUDI_EQ_CTL_EVENT_TYPE_SHIFT  16
#define GAUDI_EQ_CTL_EVENT_TYPE_MASK   0x0FFF0000u
#define GAUDI_EQ_CTL_INDEX_MASK        0x0000FFFFu

/* ==== PSOC timestamp counter (the device time of HL_INFO_TIME_SYNC) ==== */
#define mmPSOC_TIMESTAMP_CNTCR         0xC49000u /* bit 0: counter enable */
#define mmPSOC_TIMESTAMP_CNTSR         0xC49004u
#define mmPSOC_TIMESTAMP_CNTCVL        0xC49008u /* counter, low 32 bits */
#define mmPSOC_TIMESTAMP_CNTCVU        0xC4900Cu /* counter, high 32 bits */
#define mmPSOC_TIMESTAMP_CNTFID0       0xC49020u /* frequency */

/* ==== PSOC CPU PLL: the driver derives the timestamp frequency from output 2 ==== */
#define GAUDI_BLK_PSOC_CPU_PLL         0xC70000u
#define mmPSOC_CPU_PLL_NR              0xC70100u /* f_pll = ref * (NF + 1) / ((NR + 1) * (OD + 1)) */
#define mmPSOC_CPU_PLL_NF              0xC70104u
#define mmPSOC_CPU_PLL_OD              0xC70108u
#define mmPSOC_CPU_PLL_DIV_FACTOR_2    0xC70208u /* output 2 divider: DIV_FACTOR_2 + 1 */
#define mmPSOC_CPU_PLL_DIV_SEL_2       0xC70288u /* output 2 source, enum below */
#define GAUDI_PLL_REF_CLK_MHZ          50u       /* the driver's PLL_REF_CLK */
#define GAUDI_PLL_DIV_SEL_REF_CLK      0u
#define GAUDI_PLL_DIV_SEL_PLL_CLK      1u
#define GAUDI_PLL_DIV_SEL_DIVIDED_REF  2u
#define GAUDI_PLL_DIV_SEL_DIVIDED_PLL  3u

#define mmPCIE_DBI_DEVICE_ID_VENDOR_ID_REG 0xC02000u
#define mmPCIE_CORE_MSI_REQ            0xC04100u /* a write raises an MSI (Interrupts, above) */
#define mmPCIE_AUX_DBI                 0xC07490u /* 0x00300000: the DBI window shows the iATU */
#define GAUDI_ELBI_DEVICE_BASE         0x7F00000000ull /* ELBI address a = device address base + a */

/* ==== Queues, as the Linux driver sets them up ==== */
#define GAUDI_QUEUE_LENGTH_EXT         4096 /* external and CPU queues (HL_QUEUE_LENGTH) */
#define GAUDI_QUEUE_LENGTH_HBM_DMA     4096
#define GAUDI_QUEUE_LENGTH_MME         1024
#define GAUDI_QUEUE_LENGTH_TPC         1024
#define GAUDI_QUEUE_LENGTH_NIC         4096
/* PQ_PI/PQ_CI count modulo 2 * length (one wrap bit); the slot is the value modulo length. */

#endif /* GAUDISIM_SPECS_GAUDI_REGS_H */
