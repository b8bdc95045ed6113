/* gaudisim: the register contract of GAUDI's NIC engines, shared by the card model
 * (models/nic) and the driver. docs/nic.md explains the transport and the timing.
 *
 * The real GAUDI keeps QP contexts in HBM behind a context cache and takes send WQEs from
 * rings; neither register layout is public. gaudisim's own, simpler contract (names GSIM_*):
 *
 *   NIC engine e (0..9) = port e = macro e/2, half e%2; macro base GAUDI_BLK_NIC_MACRO(e/2).
 *   - Work-request block, user-writable by CBs on the engine's own QMAN (it lies inside the
 *     QMAN's 64 KiB WREG window at window offset 0xC000 + 0x1000 * (e % 2)).
 *   - QP-context and port block at GAUDI_NIC_QPC0/1: privileged, only the driver writes it
 *     (the CS parser refuses user packets that write there).
 *
 * All registers are 32 bits, little endian. Offsets of GSIM_NIC_*_BLOCK are from
 * GAUDI_CFG_BASE. C99/C++17. */
#ifndef GAUDISIM_SPECS_GAUDI_NIC_H
#define GAUDISIM_SPECS_GAUDI_NIC_H

#include <stdint.h>

#include "specs/gaudi/regs.h"

#define GSIM_NIC_MAX_QP              1024u /* QP numbers 1..1023 (0: the driver's Ethernet) */
#define GSIM_NIC_MIN_QP              1u
#define GSIM_NIC_PSN_MASK            0x00FFFFFFu

/* ==== Work-request block ==== */
#define GSIM_NIC_WQE_BLOCK_OFFSET    0x2C000u /* inside the macro */
#define GSIM_NIC_WQE_BLOCK(e) \
	(GAUDI_BLK_NIC_MACRO((unsigned)(e) / 2u) + GSIM_NIC_WQE_BLOCK_OFFSET + ((unsigned)(e) % 2u) * 0x1000u)
#define GSIM_NIC_WQE_WINDOW_OFFSET(e) (0xC000u + ((unsigned)(e) % 2u) * 0x1000u) /* WREG offset */
#define GSIM_NIC_SEND_WQE(i)         ((unsigned)(i) * 4u) /* i = 0..7; writing word 7 posts */
#define GSIM_NIC_WQE_STATUS          0x20u /* RO: WQEs posted (accepted or refused) */
#define GSIM_NIC_WQE_ERR             0x24u /* RO: cause of the last refusal, GSIM_NIC_ERR_* */
#define GSIM_NIC_WQE_OUTSTANDING     0x28u /* RO: accepted WQEs not yet acknowledged/flushed */

/* Send WQE, 32 bytes: what SEND_WQE_0..7 hold (a WREG_BULK of 4 qwords posts one). */
struct gsim_nic_send_wqe {
	uint32_t ctl;         /* opcode, signal bits */
	uint32_t conn;        /* bits 15..0 QP number, bits 31..16 remote W_S sync object */
	uint64_t local_addr;  /* device address (HBM or SRAM) of the data to send */
	uint64_t remote_addr; /* device address on the receiving card */
	uint32_t length;      /* bytes, > 0 */
	uint32_t local_sob;   /* bits 15..0 local W_S sync object; rest reserved */
};
#define GSIM_NIC_WQE_OPCODE_MASK     0x000000FFu
#define GSIM_NIC_WQE_OP_RDMA_WRITE   1u
#define GSIM_NIC_WQE_SIGNAL_REMOTE   0x00000100u /* receiving card increments conn[31:16] */
#define GSIM_NIC_WQE_SIGNAL_LOCAL    0x00000200u /* this card increments local_sob on the ACK */
#define GSIM_NIC_WQE_QP_MASK         0x0000FFFFu
#define GSIM_NIC_WQE_REMOTE_SOB_SHIFT 16
#define GSIM_NIC_WQE_REMOTE_SOB_MASK 0xFFFF0000u
#define GSIM_NIC_WQE_LOCAL_SOB_MASK  0x0000FFFFu

static inline struct gsim_nic_send_wqe gsim_nic_rdma_write(uint32_t qp, uint64_t local_addr,
							   uint64_t remote_addr, uint32_t length,
							   int signal_remote, uint32_t remote_sob,
							   int signal_local, uint32_t local_sob)
{
	struct gsim_nic_send_wqe w;
	w.ctl = GSIM_NIC_WQE_OP_RDMA_WRITE | (signal_remote ? GSIM_NIC_WQE_SIGNAL_REMOTE : 0u) |
		(signal_local ? GSIM_NIC_WQE_SIGNAL_LOCAL : 0u);
	w.conn = (qp & GSIM_NIC_WQE_QP_MASK) | (remote_sob << GSIM_NIC_WQE_REMOTE_SOB_SHIFT);
	w.local_addr = local_addr;
	w.remote_addr = remote_addr;
	w.length = length;
	w.local_sob = local_sob & GSIM_NIC_WQE_LOCAL_SOB_MASK;
	return w;
}

/* Refusal causes (WQE_ERR) and QP error syndromes (QPC_STATUS, CQ error entries). */
#define GSIM_NIC_ERR_NONE            0u
#define GSIM_NIC_ERR_BAD_QP          1u  /* QP out of range or no valid requester context */
#define GSIM_NIC_ERR_PORT_DOWN       2u  /* port disabled or link down */
#define GSIM_NIC_ERR_BAD_LENGTH      3u  /* length 0 */
#define GSIM_NIC_ERR_BAD_LOCAL_ADDR  4u  /* local range not inside HBM or SRAM */
#define GSIM_NIC_ERR_BAD_OPCODE      5u
#define GSIM_NIC_ERR_QP_IN_ERROR     6u  /* the QP is in the error state */
#define GSIM_NIC_ERR_BAD_SOB         7u  /* sync object index >= GAUDI_SM_NUM_SOBS */
#define GSIM_NIC_ERR_RETRY_EXCEEDED  8u  /* timeouts without progress (link down, peer gone) */
#define GSIM_NIC_ERR_REMOTE_ACCESS   9u  /* requester: the peer NAKed with a remote access error */
#define GSIM_NIC_ERR_RX_ACCESS       10u /* responder: bad rkey, or address refused */
#define GSIM_NIC_ERR_RX_SEQUENCE     11u /* responder: opcode/length sequence broken */
#define GSIM_NIC_ERR_REMOTE_INVALID  12u /* requester: the peer NAKed with invalid request */
#define GSIM_NIC_ERR_LOCAL_READ      13u /* reading the local data failed */
#define GSIM_NIC_ERR_FLUSHED         14u /* WQE dropped by QPC_CMD destroy/re-commit */

/* ==== QP-context and port block (privileged) ==== */
#define GSIM_NIC_QPC_BLOCK(e) \
	(GAUDI_BLK_NIC_MACRO((unsigned)(e) / 2u) + GAUDI_NIC_QPC0 + ((unsigned)(e) % 2u) * 0x1000u)
#define GSIM_NIC_QPC_SEL             0x00u /* QP number the commands and QPC_STATUS refer to */
#define GSIM_NIC_QPC_CMD             0x04u /* write GSIM_NIC_QPC_CMD_* */
#define GSIM_NIC_QPC_STATUS          0x08u /* RO: state of QPC_SEL */
#define GSIM_NIC_PORT_CFG            0x10u
#define GSIM_NIC_MAC_LO              0x14u /* MAC bits 31..0 */
#define GSIM_NIC_MAC_HI              0x18u /* MAC bits 47..32 */
#define GSIM_NIC_IP                  0x1Cu /* IPv4, as a 32-bit value */
#define GSIM_NIC_LINK_STATUS         0x20u /* RO */
#define GSIM_NIC_RX_PROT_END_LO      0x24u /* incoming writes below this address are refused */
#define GSIM_NIC_RX_PROT_END_HI      0x28u
#define GSIM_NIC_CQ_BASE_LO          0x30u /* NIC CQ: ring of 8-byte entries, host or device */
#define GSIM_NIC_CQ_BASE_HI          0x34u
#define GSIM_NIC_CQ_LEN              0x38u /* entries, power of two; 0 = no CQ. Writing it
					        * (or CQ_BASE) restarts PI and CI at 0 */
#define GSIM_NIC_CQ_PI               0x3Cu /* RO: entries written (running count) */
#define GSIM_NIC_CQ_CI               0x40u /* consumer's running count */
#define GSIM_NIC_CQ_MSI              0x44u /* MSI vector raised after each entry */
#define GSIM_NIC_LAST_ERR_QP         0x48u /* RO: QP of the latest QP error */
#define GSIM_NIC_LAST_ERR_SYNDROME   0x4Cu /* RO: its syndrome */
#define GSIM_NIC_SOB_MIN             0x50u /* W_S sync objects below this index are the driver's:
					        * a WQE naming one locally is refused (BAD_SOB), an
					        * incoming signal naming one is dropped and counted */

#define GSIM_NIC_QPC_CMD_COMMIT_REQ  1u /* requester context of QPC_SEL from QPC_REQ_0..15 */
#define GSIM_NIC_QPC_CMD_COMMIT_RES  2u /* responder context of QPC_SEL from QPC_RES_0..7 */
#define GSIM_NIC_QPC_CMD_DESTROY     3u /* both sides invalid, outstanding WQEs flushed */

#define GSIM_NIC_QPC_STATUS_REQ_VALID 0x00000001u
#define GSIM_NIC_QPC_STATUS_RES_VALID 0x00000002u
#define GSIM_NIC_QPC_STATUS_ERROR     0x00000004u
#define GSIM_NIC_QPC_STATUS_SYND_SHIFT 8
#define GSIM_NIC_QPC_STATUS_SYND_MASK 0x0000FF00u

#define GSIM_NIC_PORT_CFG_ENABLE     0x00000001u
#define GSIM_NIC_LINK_STATUS_UP      0x00000001u /* enabled and cable up */

/* Counters (RO, 32 bits, wrap; *_LO/_HI pairs are 64-bit). Cleared by a hard reset. */
#define GSIM_NIC_CNT_TX_FRAMES       0x80u /* frames put on the wire (data, ACK, NAK) */
#define GSIM_NIC_CNT_TX_BYTES_LO     0x84u /* their Ethernet bytes, header to FCS */
#define GSIM_NIC_CNT_TX_BYTES_HI     0x88u
#define GSIM_NIC_CNT_RX_FRAMES       0x8Cu /* frames received (including dropped ones) */
#define GSIM_NIC_CNT_RX_BYTES_LO     0x90u
#define GSIM_NIC_CNT_RX_BYTES_HI     0x94u
#define GSIM_NIC_CNT_RETRANSMISSIONS 0x98u /* data packets sent again (go-back-N) */
#define GSIM_NIC_CNT_NAKS_SENT       0x9Cu
#define GSIM_NIC_CNT_NAKS_RECEIVED   0xA0u
#define GSIM_NIC_CNT_TIMEOUTS        0xA4u /* retransmission timer expiries */
#define GSIM_NIC_CNT_RX_DROPS        0xA8u /* all dropped frames: the four below and others */
#define GSIM_NIC_CNT_RX_CORRUPT      0xACu /* FCS/ICRC failure */
#define GSIM_NIC_CNT_RX_BAD_QP       0xB0u /* unknown or invalid QP, wrong MAC/IP/peer */
#define GSIM_NIC_CNT_RX_DUPLICATES   0xB4u /* PSN already received: re-ACKed, not written */
#define GSIM_NIC_CNT_RX_OUT_OF_SEQ   0xB8u /* PSN ahead of the expected one: dropped */
#define GSIM_NIC_CNT_ACKS_SENT       0xBCu
#define GSIM_NIC_CNT_ACKS_RECEIVED   0xC0u
#define GSIM_NIC_CNT_PAUSE_RECEIVED  0xC4u /* PFC frames */
#define GSIM_NIC_CNT_MSGS_SENT       0xC8u /* requester messages acknowledged */
#define GSIM_NIC_CNT_MSGS_RECEIVED   0xCCu /* responder messages fully written */
#define GSIM_NIC_CNT_QP_ERRORS       0xD0u
#define GSIM_NIC_CNT_WQES_REFUSED    0xD4u
#define GSIM_NIC_CNT_CQ_OVERFLOWS    0xD8u /* CQ entries lost: the ring was full */
#define GSIM_NIC_CNT_RX_ACCESS_ERRORS 0xDCu /* rkey mismatch or refused address (NAKed) */

/* Staging words of the contexts; QPC_CMD commits them to QP QPC_SEL. */
#define GSIM_NIC_QPC_REQ(i)          (0x100u + (unsigned)(i) * 4u) /* i = 0..15 */
#define GSIM_NIC_QPC_RES(i)          (0x200u + (unsigned)(i) * 4u) /* i = 0..7 */
#define GSIM_NIC_QPC_REQ_WORDS       16u
#define GSIM_NIC_QPC_RES_WORDS       8u

/* Requester context words */
#define GSIM_NIC_REQ_W_CFG           0  /* bit 0 valid, 2..1 priority, 3 local SOB allowed,
					 * 23..16 timer granularity, 31..24 burst size */
#define GSIM_NIC_REQ_W_DST_QP        1  /* 24 bits */
#define GSIM_NIC_REQ_W_RKEY          2  /* the peer's rkey (its responder's w2) */
#define GSIM_NIC_REQ_W_SRC_IP        3
#define GSIM_NIC_REQ_W_DST_IP        4
#define GSIM_NIC_REQ_W_DST_MAC_LO    5
#define GSIM_NIC_REQ_W_DST_MAC_HI    6  /* 16 bits */
#define GSIM_NIC_REQ_W_SQ_NUMBER     7  /* stored, not used by the model */
#define GSIM_NIC_REQ_W_INITIAL_PSN   8  /* 24 bits */
#define GSIM_NIC_REQ_W_LAST_WQE_INDEX 9 /* WQE indices count modulo (this + 1); 0 = 2^32 */
#define GSIM_NIC_REQ_CFG_VALID       0x00000001u
#define GSIM_NIC_REQ_CFG_PRIO_SHIFT  1
#define GSIM_NIC_REQ_CFG_PRIO_MASK   0x00000006u
#define GSIM_NIC_REQ_CFG_SOB_EN      0x00000008u
#define GSIM_NIC_REQ_CFG_TIMER_SHIFT 16
#define GSIM_NIC_REQ_CFG_TIMER_MASK  0x00FF0000u
#define GSIM_NIC_REQ_CFG_BURST_SHIFT 24
#define GSIM_NIC_REQ_CFG_BURST_MASK  0xFF000000u

/* Responder context words */
#define GSIM_NIC_RES_W_CFG           0  /* bit 0 valid, 1 remote writes may signal SOBs,
					 * 3..2 priority (of ACKs/NAKs) */
#define GSIM_NIC_RES_W_PEER_QP       1
#define GSIM_NIC_RES_W_RKEY          2  /* incoming RETH rkey must match */
#define GSIM_NIC_RES_W_PEER_IP       3
#define GSIM_NIC_RES_W_PEER_MAC_LO   4
#define GSIM_NIC_RES_W_PEER_MAC_HI   5
#define GSIM_NIC_RES_W_INITIAL_PSN   6  /* the first PSN expected: the peer's REQ w8 */
#define GSIM_NIC_RES_CFG_VALID       0x00000001u
#define GSIM_NIC_RES_CFG_SOB_EN      0x00000002u
#define GSIM_NIC_RES_CFG_PRIO_SHIFT  2
#define GSIM_NIC_RES_CFG_PRIO_MASK   0x0000000Cu

/* ==== NIC completion-queue entry (8 bytes) ==== */
#define GSIM_NIC_CQE_QP_MASK         0x00FFFFFFu
#define GSIM_NIC_CQE_PORT_SHIFT      24
#define GSIM_NIC_CQE_PORT_MASK       0x0F000000u
#define GSIM_NIC_CQE_TYPE_SHIFT      28
#define GSIM_NIC_CQE_TYPE_MASK       0x30000000u
#define GSIM_NIC_CQE_VALID           0x80000000u
#define GSIM_NIC_CQE_TYPE_REQ        0u /* word1: WQE index */
#define GSIM_NIC_CQE_TYPE_RES        1u /* word1: message id (messages received on the QP) */
#define GSIM_NIC_CQE_TYPE_QP_ERR     2u /* word1: syndrome GSIM_NIC_ERR_* */
#define GSIM_NIC_CQE_SIZE            8u

static inline uint32_t gsim_nic_cqe_word0(uint32_t qp, uint32_t port, uint32_t type)
{
	return (qp & GSIM_NIC_CQE_QP_MASK) | ((port << GSIM_NIC_CQE_PORT_SHIFT) & GSIM_NIC_CQE_PORT_MASK) |
	       ((type << GSIM_NIC_CQE_TYPE_SHIFT) & GSIM_NIC_CQE_TYPE_MASK) | GSIM_NIC_CQE_VALID;
}

/* ==== Event-queue ids (gaudisim's own; none clashes with specs/gaudi/events.h) ==== */
#define GSIM_EVENT_NIC_LINK_DOWN(p)  (960u + (unsigned)(p)) /* port p = 0..9 */
#define GSIM_EVENT_NIC_LINK_UP(p)    (970u + (unsigned)(p))
#define GSIM_EVENT_NIC_QP_ERR(p)     (980u + (unsigned)(p)) /* LAST_ERR_QP says which QP */
#define GSIM_EVENT_NIC_FIRST         960u
#define GSIM_EVENT_NIC_LAST          989u

/* ==== Addressing ====
 * GAUDI NIC ports carry MAC addresses under this OUI (a locally administered prefix built from
 * Habana's PCI vendor id 0x1da3; the real vendor OUI is not in the public record). The driver
 * accepts only connection peers whose MAC carries it: that is how it tells a GAUDI from
 * another RDMA NIC (docs/nic.md). */
#define GAUDISIM_GAUDI_OUI           0x021DA3u
#define GSIM_MAC_OUI(mac)            ((uint32_t)(((uint64_t)(mac) >> 24) & 0xFFFFFFu))

#endif /* GAUDISIM_SPECS_GAUDI_NIC_H */
