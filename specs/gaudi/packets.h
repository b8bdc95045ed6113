/* gaudisim: binary formats of GAUDI QMAN command packets and queue entries.
 *
 * Facts from HabanaAI/hl-thunk-open include/specs/gaudi/gaudi_packets.h (MIT) and the Linux
 * habanalabs driver (read for facts only); declarations and comments are gaudisim's own.
 * C99/C++17. No C bit-fields: every field has a _SHIFT and an in-place _MASK, and the static
 * inline builders below produce exact words. Packets are little-endian in memory, like the host.
 *
 * Every packet starts with a 64-bit header made of two 32-bit words: word 0 (bytes 0..3) is
 * packet specific (value, cfg, tsize...), word 1 (bytes 4..7) is "ctl". In ctl:
 *   bits 28..24 opcode (header bits 60..56), bit 29 EB engine barrier (header 61),
 *   bit 30 RB register barrier (header 62), bit 31 MB message barrier (header 63),
 *   bits 4..0 "pred" (predicate) on most packets.
 * Packets follow each other with no gaps; all sizes are multiples of 8 bytes.
 */
#ifndef GAUDISIM_SPECS_GAUDI_PACKETS_H
#define GAUDISIM_SPECS_GAUDI_PACKETS_H

#include <stdint.h>

/* Opcodes (enum packet_id). 0x0 and 0xE are not packets. */
enum packet_id {
	PACKET_WREG_32 = 0x1,      /* write one register of the engine's own block */
	PACKET_WREG_BULK = 0x2,    /* write consecutive registers from 64-bit values */
	PACKET_MSG_LONG = 0x3,     /* 32-bit write (or timestamp) to any address */
	PACKET_MSG_SHORT = 0x4,    /* 32-bit write to a sync manager, relative to a base */
	PACKET_CP_DMA = 0x5,       /* upper CP: fetch a CB for the lower CP */
	PACKET_REPEAT = 0x6,       /* jump back inside the CB */
	PACKET_MSG_PROT = 0x7,     /* like MSG_LONG, driver only: completions and MSI */
	PACKET_FENCE = 0x8,        /* wait for a fence counter, then decrement it */
	PACKET_LIN_DMA = 0x9,      /* linear copy or memset */
	PACKET_NOP = 0xA,
	PACKET_STOP = 0xB,         /* halt the stream */
	PACKET_ARB_POINT = 0xC,    /* stream arbitration point */
	PACKET_WAIT = 0xD,         /* idle N cycles, then increment a fence counter */
	PACKET_LOAD_AND_EXE = 0xF, /* load/execute a predicate or scalar table */
	MAX_PACKET_ID = 0x20
};

/* The opcode as seen in the whole 64-bit header. */
#define PACKET_HEADER_PACKET_ID_SHIFT 56
#define PACKET_HEADER_PACKET_ID_MASK  0x1F00000000000000ull

/* Packet sizes in bytes (WREG_BULK: plus 8 per value). */
#define GAUDI_PKT_SIZE_WREG_32      8
#define GAUDI_PKT_SIZE_WREG_BULK    8
#define GAUDI_PKT_SIZE_MSG_LONG     16
#define GAUDI_PKT_SIZE_MSG_SHORT    8
#define GAUDI_PKT_SIZE_CP_DMA       16
#define GAUDI_PKT_SIZE_REPEAT       8
#define GAUDI_PKT_SIZE_MSG_PROT     16
#define GAUDI_PKT_SIZE_FENCE        8
#define GAUDI_PKT_SIZE_LIN_DMA      24
#define GAUDI_PKT_SIZE_NOP          8
#define GAUDI_PKT_SIZE_STOP         8
#define GAUDI_PKT_SIZE_ARB_POINT    8
#define GAUDI_PKT_SIZE_WAIT         8
#define GAUDI_PKT_SIZE_LOAD_AND_EXE 16

/* ---- ctl word, common part ---- */
#define GAUDI_PKT_CTL_PRED_SHIFT   0
#define GAUDI_PKT_CTL_PRED_MASK    0x0000001Fu
#define GAUDI_PKT_CTL_OPCODE_SHIFT 24
#define GAUDI_PKT_CTL_OPCODE_MASK  0x1F000000u
#define GAUDI_PKT_CTL_EB_SHIFT     29
#define GAUDI_PKT_CTL_EB_MASK      0x20000000u
#define GAUDI_PKT_CTL_RB_SHIFT     30
#define GAUDI_PKT_CTL_RB_MASK      0x40000000u
#define GAUDI_PKT_CTL_MB_SHIFT     31
#define GAUDI_PKT_CTL_MB_MASK      0x80000000u

/* ---- WREG_32: write `value` to register (engine block base + reg_offset). RB must be 1. ---- */
struct packet_wreg32 {
	uint32_t value;
	uint32_t ctl;
};
#define GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT 8
#define GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK  0x00FFFF00u /* byte offset in the block */

/* ---- WREG_BULK: size64 64-bit values follow the header, written to consecutive registers
 * from reg_offset on. Same ctl fields as WREG_32; RB must be 1. ---- */
struct packet_wreg_bulk {
	uint32_t size64;                /* bits 15..0: number of 64-bit values */
	uint32_t ctl;
	/* uint64_t values[size64] follow */
};
#define GAUDI_PKT_WREG_BULK_SIZE64_SHIFT 0
#define GAUDI_PKT_WREG_BULK_SIZE64_MASK  0x0000FFFFu

/* ---- MSG_LONG / MSG_PROT: write `value` (op 0) or a timestamp (op 1) to addr ---- */
struct packet_msg_long {
	uint32_t value;
	uint32_t ctl;
	uint64_t addr;
};
struct packet_msg_prot {
	uint32_t value;
	uint32_t ctl;
	uint64_t addr;
};
#define GAUDI_PKT_LONG_CTL_WEAKLY_ORDERED_SHIFT 16
#define GAUDI_PKT_LONG_CTL_WEAKLY_ORDERED_MASK  0x00010000u
#define GAUDI_PKT_LONG_CTL_NO_SNOOP_SHIFT       17
#define GAUDI_PKT_LONG_CTL_NO_SNOOP_MASK        0x00020000u
#define GAUDI_PKT_LONG_CTL_OP_SHIFT             20
#define GAUDI_PKT_LONG_CTL_OP_MASK              0x00300000u
#define GAUDI_PKT_MSG_OP_WRITE_VALUE     0
#define GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP 1

/* ---- MSG_SHORT: write `value` to (CP_MSG_BASE<base>_ADDR of the stream) + msg_addr_offset.
 * The Linux driver programs the bases as: 0 = E_N monitors (MON_PAY_ADDRL_0), 1 = E_N sync
 * objects (SOB_OBJ_0), 2 = W_S monitors, 3 = W_S sync objects; gaudisim does the same.
 * So a sync-object update targets base 1/3 with offset 4*sob; a monitor set-up targets base
 * 0/2 with offset (register - MON_PAY_ADDRL_0), e.g. MON_ARM_n is 0x1800 + 4*n. ---- */
struct packet_msg_short {
	uint32_t value;
	uint32_t ctl;
};
#define GAUDI_PKT_SHORT_CTL_ADDR_SHIFT           0
#define GAUDI_PKT_SHORT_CTL_ADDR_MASK            0x0000FFFFu
#define GAUDI_PKT_SHORT_CTL_WEAKLY_ORDERED_SHIFT 16
#define GAUDI_PKT_SHORT_CTL_WEAKLY_ORDERED_MASK  0x00010000u
#define GAUDI_PKT_SHORT_CTL_NO_SNOOP_SHIFT       17
#define GAUDI_PKT_SHORT_CTL_NO_SNOOP_MASK        0x00020000u
#define GAUDI_PKT_SHORT_CTL_OP_SHIFT             20 /* as MSG_LONG; the driver uses 0 */
#define GAUDI_PKT_SHORT_CTL_OP_MASK              0x00300000u
#define GAUDI_PKT_SHORT_CTL_BASE_SHIFT           22
#define GAUDI_PKT_SHORT_CTL_BASE_MASK            0x00C00000u
#define GAUDI_MSG_SHORT_BASE_EN_MON 0
#define GAUDI_MSG_SHORT_BASE_EN_SOB 1
#define GAUDI_MSG_SHORT_BASE_WS_MON 2
#define GAUDI_MSG_SHORT_BASE_WS_SOB 3
/* value when writing a sync object: mode 1 adds sync_value to the 15-bit counter, mode 0 sets
 * it. te (bit 30) is not publicly documented; gaudisim ignores it. */
#define GAUDI_PKT_SHORT_VAL_SOB_SYNC_VAL_SHIFT 0
#define GAUDI_PKT_SHORT_VAL_SOB_SYNC_VAL_MASK  0x00007FFFu
#define GAUDI_PKT_SHORT_VAL_SOB_TE_SHIFT       30
#define GAUDI_PKT_SHORT_VAL_SOB_TE_MASK        0x40000000u
#define GAUDI_PKT_SHORT_VAL_SOB_MOD_SHIFT      31
#define GAUDI_PKT_SHORT_VAL_SOB_MOD_MASK       0x80000000u
/* value when writing MON_ARM: watch sync objects 8*sync_group_id .. +7; a CLEARED mask bit
 * selects an object (the driver arms one object with mask ~(1 << (sob % 8))); mode 0 fires
 * when every selected object >= sync_value, mode 1 (gaudisim's reading) when all are ==. */
#define GAUDI_PKT_SHORT_VAL_MON_SYNC_GID_SHIFT 0
#define GAUDI_PKT_SHORT_VAL_MON_SYNC_GID_MASK  0x000000FFu
#define GAUDI_PKT_SHORT_VAL_MON_MASK_SHIFT     8
#define GAUDI_PKT_SHORT_VAL_MON_MASK_MASK      0x0000FF00u
#define GAUDI_PKT_SHORT_VAL_MON_MODE_SHIFT     16
#define GAUDI_PKT_SHORT_VAL_MON_MODE_MASK      0x00010000u
#define GAUDI_PKT_SHORT_VAL_MON_SYNC_VAL_SHIFT 17
#define GAUDI_PKT_SHORT_VAL_MON_SYNC_VAL_MASK  0xFFFE0000u
#define GAUDI_MON_MODE_GREATER_EQUAL 0
#define GAUDI_MON_MODE_EQUAL         1 /* not public: gaudisim value */

/* ---- FENCE: stall until fence counter `id` of this stream reaches target_val, then subtract
 * dec_val from it. Counters are raised by writes to CP_FENCE<id>_RDATA_<stream>. ---- */
struct packet_fence {
	uint32_t cfg;
	uint32_t ctl;
};
#define GAUDI_PKT_FENCE_CFG_DEC_VAL_SHIFT    0
#define GAUDI_PKT_FENCE_CFG_DEC_VAL_MASK     0x0000000Fu
#define GAUDI_PKT_FENCE_CFG_TARGET_VAL_SHIFT 16
#define GAUDI_PKT_FENCE_CFG_TARGET_VAL_MASK  0x00FF0000u
#define GAUDI_PKT_FENCE_CFG_ID_SHIFT         30
#define GAUDI_PKT_FENCE_CFG_ID_MASK          0xC0000000u

/* ---- LIN_DMA: move tsize bytes src_addr -> dst_addr; with memset, src_addr holds the 64-bit
 * pattern. The 16-bit context id is split: low byte in ctl, high byte in dst_addr[63:56].
 * wr_comp_en: on completion the DMA core writes WR_COMP_WDATA to WR_COMP_ADDR. RB must be 1. */
struct packet_lin_dma {
	uint32_t tsize;
	uint32_t ctl;
	uint64_t src_addr;
	uint64_t dst_addr;               /* bits 55..0 address, 63..56 context id high */
};
#define GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_SHIFT  0
#define GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK   0x00000001u
#define GAUDI_PKT_LIN_DMA_CTL_TRANSPOSE_SHIFT  1
#define GAUDI_PKT_LIN_DMA_CTL_TRANSPOSE_MASK   0x00000002u
#define GAUDI_PKT_LIN_DMA_CTL_DTYPE_SHIFT      2
#define GAUDI_PKT_LIN_DMA_CTL_DTYPE_MASK       0x00000004u
#define GAUDI_PKT_LIN_DMA_CTL_LIN_SHIFT        3 /* must be 1 */
#define GAUDI_PKT_LIN_DMA_CTL_LIN_MASK         0x00000008u
#define GAUDI_PKT_LIN_DMA_CTL_MEMSET_SHIFT     4
#define GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK      0x00000010u
#define GAUDI_PKT_LIN_DMA_CTL_COMPRESS_SHIFT   5
#define GAUDI_PKT_LIN_DMA_CTL_COMPRESS_MASK    0x00000020u
#define GAUDI_PKT_LIN_DMA_CTL_DECOMPRESS_SHIFT 6
#define GAUDI_PKT_LIN_DMA_CTL_DECOMPRESS_MASK  0x00000040u
#define GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_SHIFT  16
#define GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_MASK   0x00FF0000u
#define GAUDI_PKT_LIN_DMA_DST_ADDR_SHIFT       0
#define GAUDI_PKT_LIN_DMA_DST_ADDR_MASK        0x00FFFFFFFFFFFFFFull
#define GAUDI_PKT_LIN_DMA_DST_CTX_ID_HI_SHIFT  56
#define GAUDI_PKT_LIN_DMA_DST_CTX_ID_HI_MASK   0xFF00000000000000ull
#define GAUDI_DMA_MAX_TRANSFER_SIZE            0xFFFFFFFFu /* 4 GiB - 1 */

/* ---- NOP / STOP: word 0 reserved. STOP: RB and MB must be 0. ---- */
struct packet_nop {
	uint32_t reserved;
	uint32_t ctl;
};
struct packet_stop {
	uint32_t reserved;
	uint32_t ctl;
};

/* ---- ARB_POINT: rls 0 = acquire/arbitrate with priority, 1 = release the arbiter ---- */
struct packet_arb_point {
	uint32_t cfg;
	uint32_t ctl;
};
#define GAUDI_PKT_ARB_POINT_CFG_PRIORITY_SHIFT 0
#define GAUDI_PKT_ARB_POINT_CFG_PRIORITY_MASK  0x000000FFu
#define GAUDI_PKT_ARB_POINT_CFG_RLS_SHIFT      31
#define GAUDI_PKT_ARB_POINT_CFG_RLS_MASK       0x80000000u

/* ---- REPEAT: jump to jmp_ptr (o and sore select the loop kind; not detailed publicly). ---- */
struct packet_repeat {
	uint32_t cfg;
	uint32_t ctl;
};
#define GAUDI_PKT_REPEAT_CFG_SORE_SHIFT    0
#define GAUDI_PKT_REPEAT_CFG_SORE_MASK     0x00000001u
#define GAUDI_PKT_REPEAT_CFG_O_SHIFT       1
#define GAUDI_PKT_REPEAT_CFG_O_MASK        0x00000002u
#define GAUDI_PKT_REPEAT_CFG_JMP_PTR_SHIFT 16
#define GAUDI_PKT_REPEAT_CFG_JMP_PTR_MASK  0xFFFF0000u

/* ---- WAIT: wait num_cycles, then add inc_val to fence counter id. RB must be 0. ---- */
struct packet_wait {
	uint32_t cfg;
	uint32_t ctl;
};
#define GAUDI_PKT_WAIT_CFG_NUM_CYCLES_SHIFT 0
#define GAUDI_PKT_WAIT_CFG_NUM_CYCLES_MASK  0x00FFFFFFu
#define GAUDI_PKT_WAIT_CFG_INC_VAL_SHIFT    24
#define GAUDI_PKT_WAIT_CFG_INC_VAL_MASK     0x0F000000u
#define GAUDI_PKT_WAIT_CFG_ID_SHIFT         28
#define GAUDI_PKT_WAIT_CFG_ID_MASK          0x30000000u

/* ---- LOAD_AND_EXE: load (and/or execute) from src_addr. RB must be 1. ---- */
struct packet_load_and_exe {
	uint32_t cfg;
	uint32_t ctl;
	uint64_t src_addr;
};
#define GAUDI_PKT_LOAD_AND_EXE_CFG_DST_SHIFT   0
#define GAUDI_PKT_LOAD_AND_EXE_CFG_DST_MASK    0x00000001u
#define GAUDI_PKT_LOAD_AND_EXE_CFG_LOAD_SHIFT  8
#define GAUDI_PKT_LOAD_AND_EXE_CFG_LOAD_MASK   0x00000100u
#define GAUDI_PKT_LOAD_AND_EXE_CFG_EXE_SHIFT   9
#define GAUDI_PKT_LOAD_AND_EXE_CFG_EXE_MASK    0x00000200u
#define GAUDI_PKT_LOAD_AND_EXE_CFG_ETYPE_SHIFT 10
#define GAUDI_PKT_LOAD_AND_EXE_CFG_ETYPE_MASK  0x00000400u

/* ---- CP_DMA: the upper CP hands tsize bytes at src_addr to the lower CP. RB must be 1. ---- */
struct packet_cp_dma {
	uint32_t tsize;
	uint32_t ctl;
	uint64_t src_addr;
};

/* ---- Queue entries ----
 * Primary-queue entry (16 bytes): the driver writes it into the stream's ring, then writes the
 * new producer index to PQ_PI. ptr/len describe the CB; ctl carries the driver's job index. */
struct gaudi_qman_pq_entry {
	uint64_t ptr;                    /* device address of the CB */
	uint32_t len;                    /* bytes */
	uint32_t ctl;
};
#define GAUDI_PQ_ENTRY_SIZE               16
#define GAUDI_PQ_ENTRY_CTL_SHADOW_IDX_SHIFT 0
#define GAUDI_PQ_ENTRY_CTL_SHADOW_IDX_MASK  0x00000FFFu

/* Completion-queue entry (4 bytes) in host memory, written by the CB's first MSG_PROT. */
#define GAUDI_CQ_ENTRY_SIZE                  4
#define GAUDI_CQ_ENTRY_SHADOW_IDX_SHIFT      0
#define GAUDI_CQ_ENTRY_SHADOW_IDX_MASK       0x00000FFFu
#define GAUDI_CQ_ENTRY_SHADOW_IDX_VALID_SHIFT 30
#define GAUDI_CQ_ENTRY_SHADOW_IDX_VALID_MASK 0x40000000u
#define GAUDI_CQ_ENTRY_READY_SHIFT           31
#define GAUDI_CQ_ENTRY_READY_MASK            0x80000000u

/* ---- Encoding helpers ---- */
#define GAUDI_FIELD_PREP(mask, shift, v) ((((uint32_t)(v)) << (shift)) & (uint32_t)(mask))
#define GAUDI_FIELD_GET(mask, shift, w)  ((((uint32_t)(w)) & (uint32_t)(mask)) >> (shift))

static inline uint32_t gaudi_pkt_ctl(uint32_t opcode, int eb, int rb, int mb)
{
	return GAUDI_FIELD_PREP(GAUDI_PKT_CTL_OPCODE_MASK, GAUDI_PKT_CTL_OPCODE_SHIFT, opcode) |
	       GAUDI_FIELD_PREP(GAUDI_PKT_CTL_EB_MASK, GAUDI_PKT_CTL_EB_SHIFT, eb != 0) |
	       GAUDI_FIELD_PREP(GAUDI_PKT_CTL_RB_MASK, GAUDI_PKT_CTL_RB_SHIFT, rb != 0) |
	       GAUDI_FIELD_PREP(GAUDI_PKT_CTL_MB_MASK, GAUDI_PKT_CTL_MB_SHIFT, mb != 0);
}

/* Opcode of the packet at p (p points at its first byte; needs 8 readable bytes). */
static inline uint32_t gaudi_pkt_opcode(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	uint32_t ctl = (uint32_t)b[4] | ((uint32_t)b[5] << 8) | ((uint32_t)b[6] << 16) |
		       ((uint32_t)b[7] << 24);
	return GAUDI_FIELD_GET(GAUDI_PKT_CTL_OPCODE_MASK, GAUDI_PKT_CTL_OPCODE_SHIFT, ctl);
}

/* Size in bytes of a packet with this opcode and header word 0; 0 for an invalid opcode. */
static inline uint32_t gaudi_pkt_size(uint32_t opcode, uint32_t word0)
{
	switch (opcode) {
	case PACKET_WREG_BULK:
		return GAUDI_PKT_SIZE_WREG_BULK + 8u * GAUDI_FIELD_GET(
			GAUDI_PKT_WREG_BULK_SIZE64_MASK, GAUDI_PKT_WREG_BULK_SIZE64_SHIFT, word0);
	case PACKET_MSG_LONG: case PACKET_MSG_PROT: case PACKET_CP_DMA: case PACKET_LOAD_AND_EXE:
		return GAUDI_PKT_SIZE_MSG_LONG;
	case PACKET_LIN_DMA:
		return GAUDI_PKT_SIZE_LIN_DMA;
	case PACKET_WREG_32: case PACKET_MSG_SHORT: case PACKET_REPEAT: case PACKET_FENCE:
	case PACKET_NOP: case PACKET_STOP: case PACKET_ARB_POINT: case PACKET_WAIT:
		return GAUDI_PKT_SIZE_NOP;
	default:
		return 0;
	}
}

static inline struct packet_wreg32 gaudi_pkt_wreg32(uint32_t reg_offset, uint32_t value, int eb)
{
	struct packet_wreg32 p;
	p.value = value;
	p.ctl = gaudi_pkt_ctl(PACKET_WREG_32, eb, 1, 1) |
		GAUDI_FIELD_PREP(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK,
				 GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, reg_offset);
	return p;
}

/* Header of a WREG_BULK carrying count values (they follow, 8 bytes each). */
static inline struct packet_wreg_bulk gaudi_pkt_wreg_bulk(uint32_t reg_offset, uint32_t count,
							  int eb)
{
	struct packet_wreg_bulk p;
	p.size64 = GAUDI_FIELD_PREP(GAUDI_PKT_WREG_BULK_SIZE64_MASK,
				    GAUDI_PKT_WREG_BULK_SIZE64_SHIFT, count);
	p.ctl = gaudi_pkt_ctl(PACKET_WREG_BULK, eb, 1, 1) |
		GAUDI_FIELD_PREP(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK,
				 GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, reg_offset);
	return p;
}

/* MSG_LONG (or, with opcode PACKET_MSG_PROT, the driver's protected write). */
static inline struct packet_msg_long gaudi_pkt_msg_long(uint32_t opcode, uint64_t addr,
							uint32_t value, uint32_t op, int eb, int rb,
							int mb)
{
	struct packet_msg_long p;
	p.value = value;
	p.ctl = gaudi_pkt_ctl(opcode, eb, rb, mb) |
		GAUDI_FIELD_PREP(GAUDI_PKT_LONG_CTL_OP_MASK, GAUDI_PKT_LONG_CTL_OP_SHIFT, op);
	p.addr = addr;
	return p;
}

static inline struct packet_msg_short gaudi_pkt_msg_short(uint32_t base, uint32_t addr_offset,
							  uint32_t value, int eb, int rb, int mb)
{
	struct packet_msg_short p;
	p.value = value;
	p.ctl = gaudi_pkt_ctl(PACKET_MSG_SHORT, eb, rb, mb) |
		GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_CTL_ADDR_MASK, GAUDI_PKT_SHORT_CTL_ADDR_SHIFT,
				 addr_offset) |
		GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_CTL_BASE_MASK, GAUDI_PKT_SHORT_CTL_BASE_SHIFT,
				 base);
	return p;
}

/* MSG_SHORT value to add (add != 0) or set a sync object. */
static inline uint32_t gaudi_msg_short_sob_value(uint32_t sync_value, int add)
{
	return GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_VAL_SOB_SYNC_VAL_MASK,
				GAUDI_PKT_SHORT_VAL_SOB_SYNC_VAL_SHIFT, sync_value) |
	       GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_VAL_SOB_MOD_MASK, GAUDI_PKT_SHORT_VAL_SOB_MOD_SHIFT,
				add != 0);
}

/* MSG_SHORT value for MON_ARM; hw_mask uses the hardware's inverted sense (0 = watched). */
static inline uint32_t gaudi_msg_short_mon_arm_value(uint32_t group_id, uint32_t hw_mask,
						     uint32_t mode, uint32_t sync_value)
{
	return GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_VAL_MON_SYNC_GID_MASK,
				GAUDI_PKT_SHORT_VAL_MON_SYNC_GID_SHIFT, group_id) |
	       GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_VAL_MON_MASK_MASK,
				GAUDI_PKT_SHORT_VAL_MON_MASK_SHIFT, hw_mask) |
	       GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_VAL_MON_MODE_MASK,
				GAUDI_PKT_SHORT_VAL_MON_MODE_SHIFT, mode) |
	       GAUDI_FIELD_PREP(GAUDI_PKT_SHORT_VAL_MON_SYNC_VAL_MASK,
				GAUDI_PKT_SHORT_VAL_MON_SYNC_VAL_SHIFT, sync_value);
}

static inline struct packet_fence gaudi_pkt_fence(uint32_t id, uint32_t target_val,
						  uint32_t dec_val, int eb)
{
	struct packet_fence p;
	p.cfg = GAUDI_FIELD_PREP(GAUDI_PKT_FENCE_CFG_DEC_VAL_MASK, GAUDI_PKT_FENCE_CFG_DEC_VAL_SHIFT,
				 dec_val) |
		GAUDI_FIELD_PREP(GAUDI_PKT_FENCE_CFG_TARGET_VAL_MASK,
				 GAUDI_PKT_FENCE_CFG_TARGET_VAL_SHIFT, target_val) |
		GAUDI_FIELD_PREP(GAUDI_PKT_FENCE_CFG_ID_MASK, GAUDI_PKT_FENCE_CFG_ID_SHIFT, id);
	p.ctl = gaudi_pkt_ctl(PACKET_FENCE, eb, 1, 1);
	return p;
}

/* flags: any of GAUDI_PKT_LIN_DMA_CTL_{WRCOMP_EN,TRANSPOSE,DTYPE,MEMSET,...}_MASK; LIN is set. */
static inline struct packet_lin_dma gaudi_pkt_lin_dma(uint64_t src, uint64_t dst, uint32_t tsize,
						      uint32_t flags, uint32_t context_id, int eb)
{
	struct packet_lin_dma p;
	p.tsize = tsize;
	p.ctl = gaudi_pkt_ctl(PACKET_LIN_DMA, eb, 1, 1) | GAUDI_PKT_LIN_DMA_CTL_LIN_MASK |
		(flags & 0x7Fu) |
		GAUDI_FIELD_PREP(GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_MASK,
				 GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_SHIFT, context_id & 0xFFu);
	p.src_addr = src;
	p.dst_addr = (dst & GAUDI_PKT_LIN_DMA_DST_ADDR_MASK) |
		     ((uint64_t)((context_id >> 8) & 0xFFu) << GAUDI_PKT_LIN_DMA_DST_CTX_ID_HI_SHIFT);
	return p;
}

static inline uint32_t gaudi_pkt_lin_dma_context_id(const struct packet_lin_dma *p)
{
	return GAUDI_FIELD_GET(GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_MASK,
			       GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_SHIFT, p->ctl) |
	       ((uint32_t)(p->dst_addr >> GAUDI_PKT_LIN_DMA_DST_CTX_ID_HI_SHIFT) << 8);
}

static inline struct packet_nop gaudi_pkt_nop(void)
{
	struct packet_nop p;
	p.reserved = 0;
	p.ctl = gaudi_pkt_ctl(PACKET_NOP, 0, 0, 0);
	return p;
}

static inline struct packet_stop gaudi_pkt_stop(int eb)
{
	struct packet_stop p;
	p.reserved = 0;
	p.ctl = gaudi_pkt_ctl(PACKET_STOP, eb, 0, 0);
	return p;
}

static inline struct packet_arb_point gaudi_pkt_arb_point(uint32_t priority, int release)
{
	struct packet_arb_point p;
	p.cfg = GAUDI_FIELD_PREP(GAUDI_PKT_ARB_POINT_CFG_PRIORITY_MASK,
				 GAUDI_PKT_ARB_POINT_CFG_PRIORITY_SHIFT, priority) |
		GAUDI_FIELD_PREP(GAUDI_PKT_ARB_POINT_CFG_RLS_MASK, GAUDI_PKT_ARB_POINT_CFG_RLS_SHIFT,
				 release != 0);
	p.ctl = gaudi_pkt_ctl(PACKET_ARB_POINT, 0, 0, 0);
	return p;
}

static inline struct packet_wait gaudi_pkt_wait(uint32_t num_cycles, uint32_t inc_val,
						uint32_t id)
{
	struct packet_wait p;
	p.cfg = GAUDI_FIELD_PREP(GAUDI_PKT_WAIT_CFG_NUM_CYCLES_MASK,
				 GAUDI_PKT_WAIT_CFG_NUM_CYCLES_SHIFT, num_cycles) |
		GAUDI_FIELD_PREP(GAUDI_PKT_WAIT_CFG_INC_VAL_MASK, GAUDI_PKT_WAIT_CFG_INC_VAL_SHIFT,
				 inc_val) |
		GAUDI_FIELD_PREP(GAUDI_PKT_WAIT_CFG_ID_MASK, GAUDI_PKT_WAIT_CFG_ID_SHIFT, id);
	p.ctl = gaudi_pkt_ctl(PACKET_WAIT, 0, 0, 0);
	return p;
}

static inline struct packet_repeat gaudi_pkt_repeat(uint32_t jmp_ptr, int o, int sore)
{
	struct packet_repeat p;
	p.cfg = GAUDI_FIELD_PREP(GAUDI_PKT_REPEAT_CFG_SORE_MASK, GAUDI_PKT_REPEAT_CFG_SORE_SHIFT,
				 sore != 0) |
		GAUDI_FIELD_PREP(GAUDI_PKT_REPEAT_CFG_O_MASK, GAUDI_PKT_REPEAT_CFG_O_SHIFT, o != 0) |
		GAUDI_FIELD_PREP(GAUDI_PKT_REPEAT_CFG_JMP_PTR_MASK,
				 GAUDI_PKT_REPEAT_CFG_JMP_PTR_SHIFT, jmp_ptr);
	p.ctl = gaudi_pkt_ctl(PACKET_REPEAT, 0, 1, 1);
	return p;
}

static inline struct packet_load_and_exe gaudi_pkt_load_and_exe(uint64_t src, uint32_t cfg,
								 int eb)
{
	struct packet_load_and_exe p;
	p.cfg = cfg; /* GAUDI_PKT_LOAD_AND_EXE_CFG_* bits */
	p.ctl = gaudi_pkt_ctl(PACKET_LOAD_AND_EXE, eb, 1, 1);
	p.src_addr = src;
	return p;
}

static inline struct packet_cp_dma gaudi_pkt_cp_dma(uint64_t src, uint32_t tsize, int eb)
{
	struct packet_cp_dma p;
	p.tsize = tsize;
	p.ctl = gaudi_pkt_ctl(PACKET_CP_DMA, eb, 1, 1);
	p.src_addr = src;
	return p;
}

/* Completion-queue entry value for the job in primary-queue slot pi. */
static inline uint32_t gaudi_cq_entry(uint32_t pi)
{
	return GAUDI_FIELD_PREP(GAUDI_CQ_ENTRY_SHADOW_IDX_MASK, GAUDI_CQ_ENTRY_SHADOW_IDX_SHIFT, pi) |
	       GAUDI_CQ_ENTRY_SHADOW_IDX_VALID_MASK | GAUDI_CQ_ENTRY_READY_MASK;
}

#endif /* GAUDISIM_SPECS_GAUDI_PACKETS_H */
