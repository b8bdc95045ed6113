/* gaudisim: wire facts of the RoCE v2 reliable-connection transport (InfiniBand Architecture
 * Specification vol. 1, ch. 9: BTH opcodes and PSNs, AETH syndromes), shared by every NIC model
 * (models/roce) and by anything that reads frames. C99/C++17.
 *
 * GAUDI's use of the immediate data (which sync object the receiving card increments) is
 * gaudisim's own layout: GSIM_RC_IMM_* below, written by the requester of a WQE with
 * GSIM_NIC_WQE_SIGNAL_REMOTE (specs/gaudi/nic.h) and read by the receiving GAUDI NIC. */
#ifndef GAUDISIM_SPECS_ROCE_RC_H
#define GAUDISIM_SPECS_ROCE_RC_H

#include <stdint.h>

/* BTH: 24-bit packet sequence numbers; RC opcodes of RDMA WRITE and ACK. */
#define GSIM_RC_PSN_MASK               0x00FFFFFFu
#define GSIM_RC_OP_WRITE_FIRST         0x06u
#define GSIM_RC_OP_WRITE_MIDDLE        0x07u
#define GSIM_RC_OP_WRITE_LAST          0x08u
#define GSIM_RC_OP_WRITE_LAST_IMM      0x09u
#define GSIM_RC_OP_WRITE_ONLY          0x0Au
#define GSIM_RC_OP_WRITE_ONLY_IMM      0x0Bu
#define GSIM_RC_OP_ACK                 0x11u /* ACKNOWLEDGE: carries an AETH */
#define GSIM_RC_OP_CNP                 0x81u /* RoCE v2 congestion notification */

/* AETH syndrome: bits 7:5 the kind (0 ACK, 3 NAK), bits 4:0 the NAK code. */
#define GSIM_RC_AETH_KIND_SHIFT        5
#define GSIM_RC_AETH_KIND_ACK          0u
#define GSIM_RC_AETH_KIND_NAK          3u
#define GSIM_RC_AETH_CODE_MASK         0x1Fu
#define GSIM_RC_AETH_ACK               0x00u /* ACK (credit field not modelled: 0) */
#define GSIM_RC_NAK_PSN_SEQ_ERR        0x60u /* expected PSN in the AETH's PSN: go back there */
#define GSIM_RC_NAK_INVALID_REQUEST    0x61u /* bad opcode sequence or length: QP error */
#define GSIM_RC_NAK_REMOTE_ACCESS      0x62u /* rkey or range refused: QP error */
#define GSIM_RC_NAK_REMOTE_OP_ERR      0x63u /* the responder could not complete: QP error */

/* Immediate data of a GAUDI RDMA WRITE with immediate: bit 31 asks the receiving card to
 * increment its W_S sync object bits 15:0 once the whole message has landed. */
#define GSIM_RC_IMM_SIGNAL_SOB         0x80000000u
#define GSIM_RC_IMM_SOB_MASK           0x0000FFFFu

#endif
