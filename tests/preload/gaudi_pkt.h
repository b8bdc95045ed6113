/* GAUDI packets and addresses a user program needs, from the public GAUDI headers
 * (gaudi_packets.h and the asic_reg headers), written down here as any habanalabs program carries them.
 * The test knows nothing of gaudisim's own headers. */
#ifndef PRELOAD_TEST_GAUDI_PKT_H
#define PRELOAD_TEST_GAUDI_PKT_H

#include <stdint.h>
#include <string.h>

#define PKT_WREG_32 0x1u
#define PKT_WREG_BULK 0x2u
#define PKT_MSG_LONG 0x3u
#define PKT_MSG_SHORT 0x4u
#define PKT_FENCE 0x8u
#define PKT_LIN_DMA 0x9u
#define PKT_NOP 0xAu
#define PKT_CP_DMA 0x5u
#define PKT_MSG_PROT 0x7u
#define PKT_STOP 0xBu
#define PKT_WAIT 0xDu
#define PKT_LOAD_AND_EXE 0xFu

#define CFG_BASE 0x7FFC000000ull
#define WS_SYNC_OBJS (CFG_BASE + 0x490000u + 0x1000u) /* W_S sync manager objects block */
#define EN_SYNC_OBJS (CFG_BASE + 0x4F0000u + 0x1000u) /* E_N */
#define WN_SYNC_OBJS (CFG_BASE + 0x4D0000u + 0x1000u) /* W_N */
#define MSG_SHORT_BASE_EN_MON 0u
#define MSG_SHORT_BASE_EN_SOB 1u
#define QM_PQ_BASE_LO(s) (0x070u + 4u * (s))
#define QM_ARB_CFG_0 0xA00u
#define GAUDI_EVENT_RAZWI_OR_ADC 548
#define SOB_OBJ(i) (0x1000u + 4u * (i))
#define MON_PAY_ADDRL(i) (0x3000u + 4u * (i))
#define MON_PAY_ADDRH(i) (0x3800u + 4u * (i))
#define MON_PAY_DATA(i) (0x4000u + 4u * (i))
#define MON_ARM(i) (0x4800u + 4u * (i))
#define DMA_QM(n) (0x508000u + 0x20000u * (n))
#define CP_FENCE_RDATA(f, stream) (0x308u + 0x14u * (f) + 4u * (stream))
#define MSG_SHORT_BASE_WS_MON 2u
#define MSG_SHORT_BASE_WS_SOB 3u

static inline uint32_t pkt_ctl(uint32_t op, int eb, int rb, int mb)
{
	return (op << 24) | ((uint32_t)!!eb << 29) | ((uint32_t)!!rb << 30) | ((uint32_t)!!mb << 31);
}

/* A CB under construction: a mapped command buffer or any byte buffer. */
struct cb {
	uint8_t *buf;
	uint32_t size, cap;
};

static inline void cb_put(struct cb *c, const void *p, uint32_t n)
{
	if (c->size + n <= c->cap)
		memcpy(c->buf + c->size, p, n);
	c->size += n;
}

static inline void cb_nop(struct cb *c)
{
	uint32_t p[2] = {0, pkt_ctl(PKT_NOP, 0, 0, 0)};
	cb_put(c, p, sizeof p);
}

static inline void cb_msg_long(struct cb *c, uint64_t addr, uint32_t value, int timestamp, int eb)
{
	struct { uint32_t value, ctl; uint64_t addr; } p = {value, pkt_ctl(PKT_MSG_LONG, eb, 0, 1) | ((uint32_t)!!timestamp << 20), addr};
	cb_put(c, &p, sizeof p);
}

static inline void cb_lin_dma(struct cb *c, uint64_t src, uint64_t dst, uint32_t size, int memset_, int eb)
{
	struct { uint32_t tsize, ctl; uint64_t src, dst; } p = {
		size, pkt_ctl(PKT_LIN_DMA, eb, 1, 1) | (1u << 3) | ((uint32_t)!!memset_ << 4), src, dst};
	cb_put(c, &p, sizeof p);
}

static inline void cb_msg_short(struct cb *c, uint32_t base, uint32_t offset, uint32_t value, int eb)
{
	uint32_t p[2] = {value, pkt_ctl(PKT_MSG_SHORT, eb, 0, 1) | (base << 22) | (offset & 0xFFFFu)};
	cb_put(c, p, sizeof p);
}

/* Sync object `sob` of the W_S manager += value (add mode). */
static inline void cb_sob_add(struct cb *c, uint32_t sob, uint32_t value, int eb)
{
	cb_msg_short(c, MSG_SHORT_BASE_WS_SOB, sob * 4, (value & 0x7FFFu) | (1u << 31), eb);
}

/* Arm monitor `mon` to write 1 to `addr` once sync object `sob` >= target. */
static inline void cb_monitor(struct cb *c, uint32_t mon, uint32_t sob, uint32_t target, uint64_t addr)
{
	uint32_t base = MSG_SHORT_BASE_WS_MON, o = MON_PAY_ADDRL(0);
	uint32_t mask = 0xFFu & ~(1u << (sob % 8)); /* a cleared bit watches that object */
	cb_msg_short(c, base, MON_PAY_ADDRL(mon) - o, (uint32_t)addr, 0);
	cb_msg_short(c, base, MON_PAY_ADDRH(mon) - o, (uint32_t)(addr >> 32), 0);
	cb_msg_short(c, base, MON_PAY_DATA(mon) - o, 1, 0);
	cb_msg_short(c, base, MON_ARM(mon) - o, (sob / 8) | (mask << 8) | (target << 17), 0);
}

/* WREG_32: `value` to offset `reg` (ctl bits 23..8) of the queue's 64 KiB register window. */
static inline void cb_wreg32(struct cb *c, uint32_t reg, uint32_t value)
{
	uint32_t p[2] = {value, pkt_ctl(PKT_WREG_32, 0, 1, 1) | ((reg & 0xFFFFu) << 8)};
	cb_put(c, p, sizeof p);
}

/* Any packet by opcode and its two first words (for packets user CBs may not hold). */
static inline void cb_raw(struct cb *c, uint32_t op, uint32_t word0, uint32_t bytes)
{
	uint32_t p[8] = {word0, pkt_ctl(op, 0, 0, 1)};
	cb_put(c, p, bytes);
}

static inline void cb_fence(struct cb *c, uint32_t id, uint32_t target, uint32_t dec)
{
	uint32_t p[2] = {(dec & 0xFu) | ((target & 0xFFu) << 16) | (id << 30), pkt_ctl(PKT_FENCE, 0, 1, 1)};
	cb_put(c, p, sizeof p);
}

/* Device address of fence `f`'s RDATA register of an external queue (DMA_0_* / DMA_1_*). */
static inline uint64_t fence_addr(unsigned queue, unsigned f)
{
	return CFG_BASE + DMA_QM(queue / 4) + CP_FENCE_RDATA(f, queue % 4);
}

#endif
