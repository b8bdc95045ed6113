/* gaudisim: HL_IOCTL_NIC, the reconstruction of the never-merged 2020 "GAUDI NIC" series
 * (docs/uapi.md, deviation 3). Included by habanalabs.h; not for direct inclusion. */
#ifndef GAUDISIM_UAPI_HABANALABS_NIC_H
#define GAUDISIM_UAPI_HABANALABS_NIC_H

#include <stdint.h>

/* ==== HL_IOCTL_NIC: gaudisim's reconstruction of the never-merged 2020 "GAUDI NIC" series ====
 * Opcodes 0..8 and their structs as posted in the series (v1-v3); in no released kernel.
 * Connection set-up only: data moves through command submissions to the NIC queues. */
#define HL_NIC_ETH_ALEN    6
#define HL_NIC_MIN_CONN_ID 1
#define HL_NIC_MAX_CONN_ID 1023

/* HL_INFO_MAC_ADDR answer: entry n is port n, valid when bit n of mask is set. */
#define HL_INFO_MAC_ADDR_MAX_NUM 128

struct hl_mac_addr { uint8_t addr[HL_NIC_ETH_ALEN]; uint8_t pad[2]; };

struct hl_info_mac_addr {
	struct hl_mac_addr array[HL_INFO_MAC_ADDR_MAX_NUM];
	uint64_t mask[2];
};

#define HL_NIC_OP_ALLOC_CONN              0 /* hl_nic_alloc_conn_in -> hl_nic_alloc_conn_out */
#define HL_NIC_OP_SET_REQ_CONN_CTX        1 /* hl_nic_req_conn_ctx_in */
#define HL_NIC_OP_SET_RES_CONN_CTX        2 /* hl_nic_res_conn_ctx_in */
#define HL_NIC_OP_DESTROY_CONN            3 /* hl_nic_destroy_conn_in */
#define HL_NIC_OP_CQ_CREATE               4 /* hl_nic_cq_create_in -> hl_nic_cq_create_out */
#define HL_NIC_OP_CQ_DESTROY              5 /* hl_nic_cq_destroy_in */
#define HL_NIC_OP_CQ_WAIT                 6 /* hl_nic_cq_poll_wait_in -> _out, sleeps */
#define HL_NIC_OP_CQ_POLL                 7 /* hl_nic_cq_poll_wait_in -> _out, never sleeps */
#define HL_NIC_OP_CQ_UPDATE_CONSUMED_CQES 8 /* hl_nic_cq_update_consumed_cqes_in */

struct hl_nic_alloc_conn_in { uint32_t port; uint32_t pad; };

struct hl_nic_alloc_conn_out {
	uint32_t conn_id;                  /* HL_NIC_MIN_CONN_ID..HL_NIC_MAX_CONN_ID */
	uint32_t pad;
};

/* Sending side of a connection. IPv4 addresses as 32-bit values. */
struct hl_nic_req_conn_ctx_in {
	uint32_t src_ip_addr;
	uint32_t dst_ip_addr;
	uint32_t dst_conn_id;              /* the peer's connection (QP) id */
	uint32_t burst_size;               /* 1..2^22-1, 0: no burst limit */
	uint32_t last_index;               /* last work-queue index, 2..2^22-1 */
	uint32_t port;
	uint32_t conn_id;
	uint8_t dst_mac_addr[HL_NIC_ETH_ALEN];
	uint8_t sq_number;                 /* send queue */
	uint8_t priority;                  /* 0..3 */
	uint8_t enable_sob;                /* completion increments a sync object */
	uint8_t timer_granularity;         /* 0..127, retransmission timer */
	uint8_t swq_granularity;           /* 0: 64-byte, 1: 32-byte WQEs */
	uint8_t wq_type;                   /* 1..3 */
	uint8_t version;                   /* peer's version, 0..1 */
	uint8_t cq_number;
	uint8_t wq_remote_log_size;
	uint8_t pad;
};

/* Receiving side of a connection. */
struct hl_nic_res_conn_ctx_in {
	uint32_t src_ip_addr;
	uint32_t dst_ip_addr;
	uint32_t dst_conn_id;
	uint32_t port;
	uint32_t conn_id;
	uint8_t dst_mac_addr[HL_NIC_ETH_ALEN];
	uint8_t priority;
	uint8_t sq_number;
	uint8_t enable_sob;
	uint8_t wq_peer_granularity;
	uint8_t cq_number;
	uint8_t version;
	uint32_t conn_peer;
};

struct hl_nic_destroy_conn_in { uint32_t port; uint32_t conn_id; };

#define HL_NIC_CQE_TYPE_REQ 0 /* requester (sender) */
#define HL_NIC_CQE_TYPE_RES 1 /* responder (receiver) */

/* One entry of the user NIC completion queue (mmap()ed with the create handle). */
struct hl_nic_cqe {
	union {
		struct { uint32_t wqe_index; } requester;
		struct { uint32_t msg_id; } responder;
		struct { uint32_t syndrome; } qp_err;
	};
	uint32_t port;
	uint32_t qp_number;                /* requester or QP error */
	uint8_t type;                      /* HL_NIC_CQE_TYPE_* */
	uint8_t is_err;
	uint8_t pad[2];
};

struct hl_nic_cq_create_in { uint32_t cq_num_of_entries; uint32_t pad; };

struct hl_nic_cq_create_out {
	uint64_t handle;                   /* mmap() offset (HL_MMAP_TYPE_NIC_CQ) */
};

struct hl_nic_cq_destroy_in { uint64_t handle; };

struct hl_nic_cq_update_consumed_cqes_in {
	uint64_t handle;
	uint32_t cq_num_of_consumed_entries;
	uint32_t pad;
};

struct hl_nic_cq_poll_wait_in {
	uint64_t handle;
	uint64_t timeout_us;               /* CQ_WAIT only */
};

enum hl_nic_cq_status {
	HL_NIC_CQ_SUCCESS = 0,
	HL_NIC_CQ_TIMEOUT = 1,
	HL_NIC_CQ_OVERFLOW = 2
};

struct hl_nic_cq_poll_wait_out {
	uint32_t pi;                       /* first entry to consume */
	uint32_t num_of_cqes;              /* entries ready from pi on */
	uint32_t status;                   /* enum hl_nic_cq_status */
	uint32_t pad;
};

struct hl_nic_args {
	uint64_t input_ptr;                /* user address of the op's input struct */
	uint64_t output_ptr;               /* user address of the op's output struct, or 0 */
	uint32_t input_size;
	uint32_t output_size;
	uint32_t ctx_id;                   /* unused */
	uint32_t op;                       /* HL_NIC_OP_* */
};

#endif /* GAUDISIM_UAPI_HABANALABS_NIC_H */
