/* gaudisim: the user/driver interface of the simulated habanalabs driver (GAUDI only).
 *
 * Byte-compatible with the public habanalabs uAPI in its current layouts (Linux 6.x
 * include/uapi/drm/habanalabs_accel.h: 304-byte HW_IP_INFO, 56-byte WAIT_CS input), which
 * extend those of hl-thunk-open's include/misc/habanalabs.h (Linux 5.15/5.16) at their ends.
 * Both request encodings are declared: the misc driver's 'H' codes and the accel driver's DRM
 * codes. Declarations and comments are gaudisim's own; struct, field and constant names follow
 * the public ABI so that code written against it compiles. docs/uapi.md lists every deviation.
 *
 * C99 and C++17 compatible. Like the Linux header it relies on anonymous unions/structs inside
 * structs (C11; accepted by gcc/clang in C99 and C++ modes). Layout checks live in
 * tests/driver/uapi_layout_test.cpp, not here. All structs are naturally aligned: no packing.
 */
#ifndef GAUDISIM_UAPI_HABANALABS_H
#define GAUDISIM_UAPI_HABANALABS_H

#include <stdint.h>

#if defined(__linux__)
#include <linux/ioctl.h>
#endif
/* The generic Linux request encoding (dir:2 | size:14 | type:8 | nr:8), for hosts without it. */
#ifndef _IOWR
#define _IOC(dir, type, nr, size) \
	((unsigned int)(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr)))
#define _IOWR(type, nr, argtype) _IOC(3u, (unsigned int)(type), (unsigned int)(nr), \
				      (unsigned int)sizeof(argtype))
#endif

/* Bumped whenever this header changes in a way user code could notice. */
#define GAUDISIM_UAPI_VERSION 2

/* ==== ASIC facts that are part of the ABI ==== */

/* The driver keeps the first 128 bytes of SRAM for itself. */
#define GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START 0x80
/* W_S sync manager: objects below 144 (128 collective-wait + 16 sync-stream) and monitors below
 * 72 (64 + 8) belong to the driver. */
#define GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT 144
#define GAUDI_FIRST_AVAILABLE_W_S_MONITOR 72

/* Queue numbering of HL_IOCTL_CS chunks. Four streams per engine. DMA_0_* and DMA_1_* are the
 * external queues (host<->device, completions to the host); CPU_PQ is the driver's queue to
 * the device CPU (users may not submit to it); everything else is internal.
 * MME_0_* is the north-west master (MME2's QMAN), MME_1_* the south-west one (MME0's QMAN).
 * NIC_n_* is NIC engine n: macro n/2, QMAN n%2. */
enum gaudi_queue_id {
	GAUDI_QUEUE_ID_DMA_0_0 = 0, GAUDI_QUEUE_ID_DMA_0_1, GAUDI_QUEUE_ID_DMA_0_2, GAUDI_QUEUE_ID_DMA_0_3,
	GAUDI_QUEUE_ID_DMA_1_0 = 4, GAUDI_QUEUE_ID_DMA_1_1, GAUDI_QUEUE_ID_DMA_1_2, GAUDI_QUEUE_ID_DMA_1_3,
	GAUDI_QUEUE_ID_CPU_PQ = 8,
	GAUDI_QUEUE_ID_DMA_2_0 = 9, GAUDI_QUEUE_ID_DMA_2_1, GAUDI_QUEUE_ID_DMA_2_2, GAUDI_QUEUE_ID_DMA_2_3,
	GAUDI_QUEUE_ID_DMA_3_0 = 13, GAUDI_QUEUE_ID_DMA_3_1, GAUDI_QUEUE_ID_DMA_3_2, GAUDI_QUEUE_ID_DMA_3_3,
	GAUDI_QUEUE_ID_DMA_4_0 = 17, GAUDI_QUEUE_ID_DMA_4_1, GAUDI_QUEUE_ID_DMA_4_2, GAUDI_QUEUE_ID_DMA_4_3,
	GAUDI_QUEUE_ID_DMA_5_0 = 21, GAUDI_QUEUE_ID_DMA_5_1, GAUDI_QUEUE_ID_DMA_5_2, GAUDI_QUEUE_ID_DMA_5_3,
	GAUDI_QUEUE_ID_DMA_6_0 = 25, GAUDI_QUEUE_ID_DMA_6_1, GAUDI_QUEUE_ID_DMA_6_2, GAUDI_QUEUE_ID_DMA_6_3,
	GAUDI_QUEUE_ID_DMA_7_0 = 29, GAUDI_QUEUE_ID_DMA_7_1, GAUDI_QUEUE_ID_DMA_7_2, GAUDI_QUEUE_ID_DMA_7_3,
	GAUDI_QUEUE_ID_MME_0_0 = 33, GAUDI_QUEUE_ID_MME_0_1, GAUDI_QUEUE_ID_MME_0_2, GAUDI_QUEUE_ID_MME_0_3,
	GAUDI_QUEUE_ID_MME_1_0 = 37, GAUDI_QUEUE_ID_MME_1_1, GAUDI_QUEUE_ID_MME_1_2, GAUDI_QUEUE_ID_MME_1_3,
	GAUDI_QUEUE_ID_TPC_0_0 = 41, GAUDI_QUEUE_ID_TPC_0_1, GAUDI_QUEUE_ID_TPC_0_2, GAUDI_QUEUE_ID_TPC_0_3,
	GAUDI_QUEUE_ID_TPC_1_0 = 45, GAUDI_QUEUE_ID_TPC_1_1, GAUDI_QUEUE_ID_TPC_1_2, GAUDI_QUEUE_ID_TPC_1_3,
	GAUDI_QUEUE_ID_TPC_2_0 = 49, GAUDI_QUEUE_ID_TPC_2_1, GAUDI_QUEUE_ID_TPC_2_2, GAUDI_QUEUE_ID_TPC_2_3,
	GAUDI_QUEUE_ID_TPC_3_0 = 53, GAUDI_QUEUE_ID_TPC_3_1, GAUDI_QUEUE_ID_TPC_3_2, GAUDI_QUEUE_ID_TPC_3_3,
	GAUDI_QUEUE_ID_TPC_4_0 = 57, GAUDI_QUEUE_ID_TPC_4_1, GAUDI_QUEUE_ID_TPC_4_2, GAUDI_QUEUE_ID_TPC_4_3,
	GAUDI_QUEUE_ID_TPC_5_0 = 61, GAUDI_QUEUE_ID_TPC_5_1, GAUDI_QUEUE_ID_TPC_5_2, GAUDI_QUEUE_ID_TPC_5_3,
	GAUDI_QUEUE_ID_TPC_6_0 = 65, GAUDI_QUEUE_ID_TPC_6_1, GAUDI_QUEUE_ID_TPC_6_2, GAUDI_QUEUE_ID_TPC_6_3,
	GAUDI_QUEUE_ID_TPC_7_0 = 69, GAUDI_QUEUE_ID_TPC_7_1, GAUDI_QUEUE_ID_TPC_7_2, GAUDI_QUEUE_ID_TPC_7_3,
	GAUDI_QUEUE_ID_NIC_0_0 = 73, GAUDI_QUEUE_ID_NIC_0_1, GAUDI_QUEUE_ID_NIC_0_2, GAUDI_QUEUE_ID_NIC_0_3,
	GAUDI_QUEUE_ID_NIC_1_0 = 77, GAUDI_QUEUE_ID_NIC_1_1, GAUDI_QUEUE_ID_NIC_1_2, GAUDI_QUEUE_ID_NIC_1_3,
	GAUDI_QUEUE_ID_NIC_2_0 = 81, GAUDI_QUEUE_ID_NIC_2_1, GAUDI_QUEUE_ID_NIC_2_2, GAUDI_QUEUE_ID_NIC_2_3,
	GAUDI_QUEUE_ID_NIC_3_0 = 85, GAUDI_QUEUE_ID_NIC_3_1, GAUDI_QUEUE_ID_NIC_3_2, GAUDI_QUEUE_ID_NIC_3_3,
	GAUDI_QUEUE_ID_NIC_4_0 = 89, GAUDI_QUEUE_ID_NIC_4_1, GAUDI_QUEUE_ID_NIC_4_2, GAUDI_QUEUE_ID_NIC_4_3,
	GAUDI_QUEUE_ID_NIC_5_0 = 93, GAUDI_QUEUE_ID_NIC_5_1, GAUDI_QUEUE_ID_NIC_5_2, GAUDI_QUEUE_ID_NIC_5_3,
	GAUDI_QUEUE_ID_NIC_6_0 = 97, GAUDI_QUEUE_ID_NIC_6_1, GAUDI_QUEUE_ID_NIC_6_2, GAUDI_QUEUE_ID_NIC_6_3,
	GAUDI_QUEUE_ID_NIC_7_0 = 101, GAUDI_QUEUE_ID_NIC_7_1, GAUDI_QUEUE_ID_NIC_7_2, GAUDI_QUEUE_ID_NIC_7_3,
	GAUDI_QUEUE_ID_NIC_8_0 = 105, GAUDI_QUEUE_ID_NIC_8_1, GAUDI_QUEUE_ID_NIC_8_2, GAUDI_QUEUE_ID_NIC_8_3,
	GAUDI_QUEUE_ID_NIC_9_0 = 109, GAUDI_QUEUE_ID_NIC_9_1, GAUDI_QUEUE_ID_NIC_9_2, GAUDI_QUEUE_ID_NIC_9_3,
	GAUDI_QUEUE_ID_SIZE /* 113 */
};

/* Bit numbers of hl_info_hw_idle.busy_engines_mask (and of the collective engine id). */
enum gaudi_engine_id {
	GAUDI_ENGINE_ID_DMA_0 = 0, GAUDI_ENGINE_ID_DMA_1, GAUDI_ENGINE_ID_DMA_2, GAUDI_ENGINE_ID_DMA_3,
	GAUDI_ENGINE_ID_DMA_4, GAUDI_ENGINE_ID_DMA_5, GAUDI_ENGINE_ID_DMA_6, GAUDI_ENGINE_ID_DMA_7,
	GAUDI_ENGINE_ID_MME_0 = 8, GAUDI_ENGINE_ID_MME_1, GAUDI_ENGINE_ID_MME_2, GAUDI_ENGINE_ID_MME_3,
	GAUDI_ENGINE_ID_TPC_0 = 12, GAUDI_ENGINE_ID_TPC_1, GAUDI_ENGINE_ID_TPC_2, GAUDI_ENGINE_ID_TPC_3,
	GAUDI_ENGINE_ID_TPC_4, GAUDI_ENGINE_ID_TPC_5, GAUDI_ENGINE_ID_TPC_6, GAUDI_ENGINE_ID_TPC_7,
	GAUDI_ENGINE_ID_NIC_0 = 20, GAUDI_ENGINE_ID_NIC_1, GAUDI_ENGINE_ID_NIC_2, GAUDI_ENGINE_ID_NIC_3,
	GAUDI_ENGINE_ID_NIC_4, GAUDI_ENGINE_ID_NIC_5, GAUDI_ENGINE_ID_NIC_6, GAUDI_ENGINE_ID_NIC_7,
	GAUDI_ENGINE_ID_NIC_8, GAUDI_ENGINE_ID_NIC_9,
	GAUDI_ENGINE_ID_SIZE /* 30 */
};

/* Index for HL_INFO_PLL_FREQUENCY (hl_info_args.pll_index). */
enum hl_gaudi_pll_index {
	HL_GAUDI_CPU_PLL = 0, HL_GAUDI_PCI_PLL, HL_GAUDI_SRAM_PLL, HL_GAUDI_HBM_PLL, HL_GAUDI_NIC_PLL,
	HL_GAUDI_DMA_PLL, HL_GAUDI_MESH_PLL, HL_GAUDI_MME_PLL, HL_GAUDI_TPC_PLL, HL_GAUDI_IF_PLL,
	HL_GAUDI_PLL_MAX
};

/* hl_info_device_status.status */
enum hl_device_status {
	HL_DEVICE_STATUS_OPERATIONAL = 0,
	HL_DEVICE_STATUS_IN_RESET = 1,
	HL_DEVICE_STATUS_MALFUNCTION = 2,
	HL_DEVICE_STATUS_NEEDS_RESET = 3,         /* reset is due but automatic reset is off */
	HL_DEVICE_STATUS_IN_DEVICE_CREATION = 4,  /* usable, probe not finished yet */
	HL_DEVICE_STATUS_LAST = HL_DEVICE_STATUS_IN_DEVICE_CREATION
};

/* hl_info_hw_ip_info.server_type: the system the card sits in. */
enum hl_server_type {
	HL_SERVER_TYPE_UNKNOWN = 0,
	HL_SERVER_GAUDI_HLS1 = 1,
	HL_SERVER_GAUDI_HLS1H = 2,
	HL_SERVER_GAUDI_TYPE1 = 3,
	HL_SERVER_GAUDI_TYPE2 = 4
};

/* hl_info_args.dcore_id for HL_INFO_SYNC_MANAGER: one sync manager per quarter of the die. */
enum gaudi_dcores {
	HL_GAUDI_WS_DCORE = 0,
	HL_GAUDI_WN_DCORE = 1,
	HL_GAUDI_EN_DCORE = 2,
	HL_GAUDI_ES_DCORE = 3
};

/* ==== HL_IOCTL_INFO ==== */
#define HL_INFO_HW_IP_INFO          0  /* struct hl_info_hw_ip_info */
#define HL_INFO_HW_EVENTS           1  /* uint32_t[num_of_events], counts since last hard reset */
#define HL_INFO_DRAM_USAGE          2  /* struct hl_info_dram_usage */
#define HL_INFO_HW_IDLE             3  /* struct hl_info_hw_idle */
#define HL_INFO_DEVICE_STATUS       4  /* struct hl_info_device_status; needs no open context */
#define HL_INFO_MAC_ADDR            5  /* struct hl_info_mac_addr (2020 NIC series, see below) */
#define HL_INFO_DEVICE_UTILIZATION  6  /* struct hl_info_device_utilization over period_ms */
#define HL_INFO_HW_EVENTS_AGGREGATE 7  /* like HW_EVENTS, counts since driver load */
#define HL_INFO_CLK_RATE            8  /* struct hl_info_clk_rate */
#define HL_INFO_RESET_COUNT         9  /* struct hl_info_reset_count */
#define HL_INFO_TIME_SYNC           10 /* struct hl_info_time_sync */
#define HL_INFO_CS_COUNTERS         11 /* struct hl_info_cs_counters */
#define HL_INFO_PCI_COUNTERS        12 /* struct hl_info_pci_counters */
#define HL_INFO_CLK_THROTTLE_REASON 13 /* struct hl_info_clk_throttle */
#define HL_INFO_SYNC_MANAGER        14 /* struct hl_info_sync_manager of dcore_id */
#define HL_INFO_TOTAL_ENERGY        15 /* struct hl_info_energy */
#define HL_INFO_PLL_FREQUENCY       16 /* struct hl_pll_frequency_info of pll_index */
#define HL_INFO_POWER               17 /* struct hl_power_info */
#define HL_INFO_OPEN_STATS          18 /* struct hl_open_stats_info */
/* Accel-era opcodes (Linux 6.x include/uapi/drm/habanalabs_accel.h). */
#define HL_INFO_DRAM_REPLACED_ROWS       21 /* firmware's HBM row table (not for GAUDI 1) */
#define HL_INFO_DRAM_PENDING_ROWS        22 /* uint32_t (not for GAUDI 1) */
#define HL_INFO_LAST_ERR_OPEN_DEV_TIME   23 /* struct hl_info_last_err_open_dev_time */
#define HL_INFO_CS_TIMEOUT_EVENT         24 /* struct hl_info_cs_timeout_event */
#define HL_INFO_RAZWI_EVENT              25 /* struct hl_info_razwi_event; nothing written if none */
#define HL_INFO_DEV_MEM_ALLOC_PAGE_SIZES 26 /* struct hl_info_dev_memalloc_page_sizes */
#define HL_INFO_SECURED_ATTESTATION      27
#define HL_INFO_REGISTER_EVENTFD         28 /* eventfd in hl_info_args.eventfd */
#define HL_INFO_UNREGISTER_EVENTFD       29
#define HL_INFO_GET_EVENTS               30 /* uint64_t HL_NOTIFIER_EVENT_* mask, cleared on read */
#define HL_INFO_UNDEFINED_OPCODE_EVENT   31 /* struct hl_info_undefined_opcode_event */
#define HL_INFO_ENGINE_STATUS            32 /* text, 1 KiB .. 1 MiB buffer */
#define HL_INFO_PAGE_FAULT_EVENT         33 /* struct hl_page_fault_info; nothing written if none */
#define HL_INFO_USER_MAPPINGS            34
#define HL_INFO_FW_GENERIC_REQ           35
#define HL_INFO_HW_ERR_EVENT             36 /* struct hl_info_hw_err_event; nothing written if none */
#define HL_INFO_FW_ERR_EVENT             37 /* struct hl_info_fw_err_event; nothing written if none */
#define HL_INFO_USER_ENGINE_ERR_EVENT    38 /* struct hl_info_engine_err_event; nothing if none */

#define HL_INFO_VERSION_MAX_LEN   128
#define HL_INFO_CARD_NAME_MAX_LEN 16

struct hl_info_hw_ip_info {
	uint64_t sram_base_address;    /* first SRAM address free for the user */
	uint64_t dram_base_address;    /* first DRAM address free for the user */
	uint64_t dram_size;            /* DRAM bytes available to the user */
	uint32_t sram_size;            /* SRAM bytes available to the user */
	uint32_t num_of_events;        /* entries of the HL_INFO_HW_EVENTS array */
	uint32_t device_id;            /* PCI device id */
	uint32_t module_id;            /* slot of the card in its server (OCP) */
	uint32_t decoder_enabled_mask; /* Gaudi2 on */
	uint16_t first_available_interrupt_id;
	uint16_t server_type;          /* enum hl_server_type */
	uint32_t cpld_version;
	uint32_t psoc_pci_pll_nr;
	uint32_t psoc_pci_pll_nf;
	uint32_t psoc_pci_pll_od;
	uint32_t psoc_pci_pll_div_factor;
	uint8_t tpc_enabled_mask;      /* bit n: TPC n usable */
	uint8_t dram_enabled;
	uint8_t security_enabled;
	uint8_t mme_master_slave_mode; /* Greco on */
	uint8_t cpucp_version[HL_INFO_VERSION_MAX_LEN]; /* firmware version string */
	uint8_t card_name[HL_INFO_CARD_NAME_MAX_LEN];
	uint64_t tpc_enabled_mask_ext; /* all TPCs, bit n: TPC n */
	uint64_t dram_page_size;       /* DRAM physical page */
	uint32_t edma_enabled_mask;    /* Gaudi2 on */
	uint16_t number_of_user_interrupts;
	uint8_t reserved1;
	uint8_t reserved2;
	uint64_t reserved3;
	uint64_t device_mem_alloc_default_page_size;
	uint64_t reserved4;
	uint64_t reserved5;
	uint32_t reserved6;
	uint8_t reserved7;
	uint8_t revision_id;           /* PCI revision */
	uint16_t tpc_interrupt_id;
	uint32_t rotator_enabled_mask; /* Gaudi3 */
	uint32_t reserved9;
	uint64_t engine_core_interrupt_reg_addr;
	uint64_t reserved_dram_size;   /* DRAM kept by driver and firmware */
};

struct hl_info_dram_usage { uint64_t dram_free_mem; uint64_t ctx_dram_mem; };

#define HL_BUSY_ENGINES_MASK_EXT_SIZE 4

struct hl_info_hw_idle {
	uint32_t is_idle;
	uint32_t busy_engines_mask;    /* bit per enum gaudi_engine_id */
	uint64_t busy_engines_mask_ext[HL_BUSY_ENGINES_MASK_EXT_SIZE];
};

struct hl_info_device_status {
	uint32_t status;               /* enum hl_device_status */
	uint32_t pad;
};

struct hl_info_device_utilization {
	uint32_t utilization;          /* percent */
	uint32_t pad;
};

struct hl_info_clk_rate { uint32_t cur_clk_rate_mhz; uint32_t max_clk_rate_mhz; };

struct hl_info_reset_count { uint32_t hard_reset_cnt; uint32_t soft_reset_cnt; };

struct hl_info_time_sync {
	uint64_t device_time;          /* device timestamp counter */
	uint64_t host_time;            /* host clock read next to it, ns */
	uint64_t tsc_time;             /* host TSC read next to it */
};

struct hl_info_pci_counters {
	uint64_t rx_throughput;        /* KB/s */
	uint64_t tx_throughput;        /* KB/s */
	uint64_t replay_cnt;
};

enum hl_clk_throttling_type { HL_CLK_THROTTLE_TYPE_POWER, HL_CLK_THROTTLE_TYPE_THERMAL, HL_CLK_THROTTLE_TYPE_MAX };
#define HL_CLK_THROTTLE_POWER   0x1
#define HL_CLK_THROTTLE_THERMAL 0x2

struct hl_info_clk_throttle {
	uint32_t clk_throttling_reason; /* HL_CLK_THROTTLE_* bits, now */
	uint32_t pad;
	uint64_t clk_throttling_timestamp_us[HL_CLK_THROTTLE_TYPE_MAX]; /* start, per type ever seen */
	uint64_t clk_throttling_duration_ns[HL_CLK_THROTTLE_TYPE_MAX];
};

struct hl_info_energy { uint64_t total_energy_consumption; };

#define HL_PLL_NUM_OUTPUTS 4

struct hl_pll_frequency_info {
	uint16_t output[HL_PLL_NUM_OUTPUTS]; /* MHz */
};

struct hl_open_stats_info {
	uint64_t open_counter;         /* successful opens since load */
	uint64_t last_open_period_ms;  /* how long the last open lasted */
	uint8_t is_compute_ctx_active;
	uint8_t compute_ctx_in_release;
	uint8_t pad[6];
};

struct hl_power_info { uint64_t power; };

struct hl_info_sync_manager {
	uint32_t first_available_sync_object;
	uint32_t first_available_monitor;
	uint32_t first_available_cq;
	uint32_t reserved;
};

/* Dropped submissions by cause: "total" over the device, "ctx" for the caller's context. */
struct hl_info_cs_counters {
	uint64_t total_out_of_mem_drop_cnt;
	uint64_t ctx_out_of_mem_drop_cnt;
	uint64_t total_parsing_drop_cnt;
	uint64_t ctx_parsing_drop_cnt;
	uint64_t total_queue_full_drop_cnt;
	uint64_t ctx_queue_full_drop_cnt;
	uint64_t total_device_in_reset_drop_cnt;
	uint64_t ctx_device_in_reset_drop_cnt;
	uint64_t total_max_cs_in_flight_drop_cnt;
	uint64_t ctx_max_cs_in_flight_drop_cnt;
	uint64_t total_validation_drop_cnt;
	uint64_t ctx_validation_drop_cnt;
};

struct hl_info_last_err_open_dev_time { int64_t timestamp; }; /* last open (ns) */
struct hl_info_cs_timeout_event { int64_t timestamp; uint64_t seq; };

#define HL_RAZWI_MAX_NUM_OF_ENGINES_PER_RTR 128
#define HL_RAZWI_READ  0x1
#define HL_RAZWI_WRITE 0x2
#define HL_RAZWI_LBW   0x4
#define HL_RAZWI_HBW   0x8
struct hl_info_razwi_event {
	int64_t timestamp;
	uint64_t addr;
	uint16_t engine_id[HL_RAZWI_MAX_NUM_OF_ENGINES_PER_RTR];
	uint16_t num_of_possible_engines;
	uint8_t flags;                 /* HL_RAZWI_* */
	uint8_t pad[5];
};

#define MAX_QMAN_STREAMS_INFO     4
#define OPCODE_INFO_MAX_ADDR_SIZE 8
struct hl_info_undefined_opcode_event {
	int64_t timestamp;
	uint64_t cb_addr_streams[MAX_QMAN_STREAMS_INFO][OPCODE_INFO_MAX_ADDR_SIZE];
	uint64_t cq_addr;
	uint32_t cq_size;
	uint32_t cb_addr_streams_len;
	uint32_t engine_id;
	uint32_t stream_id;            /* MAX_QMAN_STREAMS_INFO: the lower CP */
};

struct hl_info_hw_err_event { int64_t timestamp; uint16_t event_id; uint16_t pad[3]; };
enum hl_info_fw_err_type { HL_INFO_FW_HEARTBEAT_ERR, HL_INFO_FW_REPORTED_ERR };
struct hl_info_fw_err_event { int64_t timestamp; uint16_t err_type; uint16_t event_id; uint32_t pad; };
struct hl_info_engine_err_event { int64_t timestamp; uint16_t engine_id; uint16_t error_count; uint32_t pad; };
struct hl_page_fault_info { int64_t timestamp; uint64_t addr; uint16_t engine_id; uint8_t pad[6]; };
/* Bit n set: pages of 2^n bytes may be allocated. 0: one page size only (GAUDI 1). */
struct hl_info_dev_memalloc_page_sizes { uint64_t page_order_bitmask; };

/* HL_INFO_GET_EVENTS bits */
#define HL_NOTIFIER_EVENT_TPC_ASSERT         (1ull << 0)
#define HL_NOTIFIER_EVENT_UNDEFINED_OPCODE   (1ull << 1)
#define HL_NOTIFIER_EVENT_DEVICE_RESET       (1ull << 2)
#define HL_NOTIFIER_EVENT_CS_TIMEOUT         (1ull << 3)
#define HL_NOTIFIER_EVENT_DEVICE_UNAVAILABLE (1ull << 4)
#define HL_NOTIFIER_EVENT_USER_ENGINE_ERR    (1ull << 5)
#define HL_NOTIFIER_EVENT_GENERAL_HW_ERR     (1ull << 6)
#define HL_NOTIFIER_EVENT_RAZWI              (1ull << 7)
#define HL_NOTIFIER_EVENT_PAGE_FAULT         (1ull << 8)

/* The driver writes at most return_size bytes of the answer to return_pointer. */
struct hl_info_args {
	uint64_t return_pointer;       /* user address of the answer */
	uint32_t return_size;
	uint32_t op;                   /* HL_INFO_* */
	union {
		uint32_t dcore_id;     /* HL_INFO_SYNC_MANAGER: enum gaudi_dcores */
		uint32_t ctx_id;       /* unused */
		uint32_t period_ms;    /* HL_INFO_DEVICE_UTILIZATION: 100..1000, step 100 */
		uint32_t pll_index;    /* HL_INFO_PLL_FREQUENCY: enum hl_gaudi_pll_index */
		uint32_t eventfd;      /* HL_INFO_REGISTER_EVENTFD */
		uint32_t user_buffer_actual_size; /* HL_INFO_ENGINE_STATUS: bytes written */
		uint32_t sec_attest_nonce;
		uint32_t array_size;
		uint32_t fw_sub_opcode;
	};
	uint32_t pad;
};

/* ==== HL_IOCTL_CB: command buffers in driver-owned host memory, mmap()ed by the user ==== */
#define HL_CB_OP_CREATE  0
#define HL_CB_OP_DESTROY 1
#define HL_CB_OP_INFO    2

/* 2 MiB less room for the two MSG_PROT packets the driver appends. */
#define HL_MAX_CB_SIZE (0x200000 - 32)

#define HL_CB_FLAGS_MAP           0x1 /* also map the CB into the device MMU */
#define HL_CB_FLAGS_GET_DEVICE_VA 0x2

struct hl_cb_in {
	uint64_t cb_handle;            /* DESTROY/INFO: the handle; CREATE: 0 */
	uint32_t op;                   /* HL_CB_OP_* */
	uint32_t cb_size;              /* CREATE: bytes, <= HL_MAX_CB_SIZE, rounded up to a page */
	uint32_t ctx_id;               /* unused */
	uint32_t flags;                /* HL_CB_FLAGS_* */
};

struct hl_cb_out {
	union {
		uint64_t cb_handle;    /* CREATE: also the mmap() offset of the CB */
		struct {               /* INFO */
			uint32_t usage_cnt;
			uint32_t pad;
		};
		uint64_t device_va;    /* INFO with HL_CB_FLAGS_GET_DEVICE_VA (not GAUDI 1) */
	};
};

union hl_cb_args {
	struct hl_cb_in in;
	struct hl_cb_out out;
};

/* mmap() offsets. Not in the uAPI header (the Linux driver keeps them internal, in page units);
 * given here in byte units, which is what user space sees. A CB handle is
 * (id << HL_MMAP_PAGE_SHIFT) | HL_MMAP_TYPE_CB, ids start at 1; pass it unchanged as the offset
 * argument of mmap(). Bits 44..0 carry the value, bits 63..61 the type. */
#define HL_MMAP_PAGE_SHIFT        12
#define HL_MMAP_TYPE_SHIFT        61
#define HL_MMAP_TYPE_MASK         (0x7ull << HL_MMAP_TYPE_SHIFT)
#define HL_MMAP_TYPE_NIC_CQ       (0x1ull << HL_MMAP_TYPE_SHIFT) /* gaudisim: NIC CQ buffer */
#define HL_MMAP_TYPE_CB           (0x2ull << HL_MMAP_TYPE_SHIFT)
#define HL_MMAP_TYPE_BLOCK        (0x4ull << HL_MMAP_TYPE_SHIFT)
#define HL_MMAP_OFFSET_VALUE_MASK 0x00001FFFFFFFFFFFull
#define HL_MMAP_CB_HANDLE(id) \
	((((uint64_t)(id)) << HL_MMAP_PAGE_SHIFT) | HL_MMAP_TYPE_CB)
#define HL_MMAP_CB_ID(handle) \
	((((uint64_t)(handle)) & HL_MMAP_OFFSET_VALUE_MASK) >> HL_MMAP_PAGE_SHIFT)

/* ==== HL_IOCTL_CS: command submission ==== */
/* cb_handle is a device virtual address of a user-mapped host buffer, not a CB handle. */
#define HL_CS_CHUNK_FLAGS_USER_ALLOC_CB 0x1

/* One job. Fixed at 64 bytes. */
struct hl_cs_chunk {
	union {
		uint64_t cb_handle;        /* external queue: CB handle; internal: device address */
		uint64_t signal_seq_arr;   /* WAIT/COLLECTIVE_WAIT: user array of uint64_t seqs */
		uint64_t encaps_signal_seq; /* with ENCAP_SIGNALS: CS that holds the reservation */
	};
	uint32_t queue_index;              /* enum gaudi_queue_id */
	union {
		uint32_t cb_size;          /* bytes of valid packets */
		uint32_t num_signal_seq_arr;
		uint32_t encaps_signal_offset;
	};
	uint32_t cs_chunk_flags;           /* HL_CS_CHUNK_FLAGS_* */
	uint32_t collective_engine_id;     /* COLLECTIVE_WAIT: reduction engine (gaudi_engine_id) */
	uint32_t pad[10];
};

/* SIGNAL, WAIT and COLLECTIVE_WAIT exclude each other. */
#define HL_CS_FLAGS_FORCE_RESTORE           0x1
#define HL_CS_FLAGS_SIGNAL                  0x2
#define HL_CS_FLAGS_WAIT                    0x4
#define HL_CS_FLAGS_COLLECTIVE_WAIT         0x8
#define HL_CS_FLAGS_TIMESTAMP               0x20
#define HL_CS_FLAGS_STAGED_SUBMISSION       0x40
#define HL_CS_FLAGS_STAGED_SUBMISSION_FIRST 0x80
#define HL_CS_FLAGS_STAGED_SUBMISSION_LAST  0x100
#define HL_CS_FLAGS_CUSTOM_TIMEOUT          0x200
#define HL_CS_FLAGS_SKIP_RESET_ON_TIMEOUT   0x400
#define HL_CS_FLAGS_ENCAP_SIGNALS           0x800
#define HL_CS_FLAGS_RESERVE_SIGNALS_ONLY    0x1000
#define HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY  0x2000

#define HL_CS_STATUS_SUCCESS 0

#define HL_MAX_JOBS_PER_CS 512

struct hl_cs_in {
	uint64_t chunks_restore;           /* user array of hl_cs_chunk, run after a context switch */
	uint64_t chunks_execute;           /* user array of hl_cs_chunk */
	union {
		uint64_t seq;              /* staged submission: the first CS's sequence */
		uint32_t encaps_sig_handle_id;
		struct {                   /* RESERVE_SIGNALS_ONLY */
			uint32_t encaps_signals_count;
			uint32_t encaps_signals_q_idx;
		};
	};
	uint32_t num_chunks_restore;       /* <= HL_MAX_JOBS_PER_CS */
	uint32_t num_chunks_execute;       /* <= HL_MAX_JOBS_PER_CS */
	uint32_t timeout;                  /* seconds, with HL_CS_FLAGS_CUSTOM_TIMEOUT */
	uint32_t cs_flags;                 /* HL_CS_FLAGS_* */
	uint32_t ctx_id;                   /* unused */
	uint8_t pad[4];
};

struct hl_cs_out {
	union {
		uint64_t seq;              /* to pass to WAIT_CS; never 0 nor UINT64_MAX */
		struct {                   /* RESERVE_SIGNALS_ONLY */
			uint32_t handle_id;
			uint32_t count;
		};
	};
	uint32_t status;                   /* HL_CS_STATUS_* */
	uint32_t sob_base_addr_offset;     /* RESERVE_SIGNALS_ONLY, SIGNAL: SOB offset from CFG_BASE */
	uint16_t sob_count_before_submission; /* SIGNAL, staged ENCAP_SIGNALS: SOB value before */
	uint16_t pad[3];
};

union hl_cs_args {
	struct hl_cs_in in;
	struct hl_cs_out out;
};

/* ==== HL_IOCTL_WAIT_CS ==== */
#define HL_WAIT_CS_FLAGS_INTERRUPT      0x2        /* wait for a user interrupt instead */
#define HL_WAIT_CS_FLAGS_INTERRUPT_MASK 0xFFF00000 /* interrupt id inside flags */
#define HL_WAIT_CS_FLAGS_MULTI_CS       0x4        /* seq points to an array of sequences */
#define HL_WAIT_CS_FLAGS_INTERRUPT_KERNEL_CQ 0x10
#define HL_WAIT_CS_FLAGS_REGISTER_INTERRUPT  0x20

#define HL_WAIT_MULTI_CS_LIST_MAX_LEN 32

/* 56 bytes since Linux 5.17; older user space passes the first 32 (the driver zero-fills). */
struct hl_wait_cs_in {
	union {
		struct {
			uint64_t seq;      /* or, MULTI_CS: user address of uint64_t[seq_arr_len] */
			uint64_t timeout_us; /* 0: do not sleep, just report */
		};
		struct {                   /* HL_WAIT_CS_FLAGS_INTERRUPT (no user interrupts on GAUDI 1) */
			union {
				uint64_t addr;  /* user word compared with target, all ones: no check */
				uint64_t cq_counters_handle;
			};
			uint64_t target;
		};
	};
	uint32_t ctx_id;                   /* unused */
	uint32_t flags;                    /* HL_WAIT_CS_FLAGS_* */
	union {
		struct {
			uint8_t seq_arr_len; /* MULTI_CS: entries in the array */
			uint8_t pad[7];
		};
		uint64_t interrupt_timeout_us;
	};
	uint64_t cq_counters_offset;
	uint64_t timestamp_handle;
	uint64_t timestamp_offset;
};

#define HL_WAIT_CS_STATUS_COMPLETED   0
#define HL_WAIT_CS_STATUS_BUSY        1
#define HL_WAIT_CS_STATUS_TIMEDOUT    2 /* the CS timed out on the device (ioctl: -ETIMEDOUT) */
#define HL_WAIT_CS_STATUS_ABORTED     3 /* killed by a reset (ioctl: -EIO) */
#define HL_WAIT_CS_STATUS_INTERRUPTED 4 /* signal to the caller (ioctl: -EINTR) */

#define HL_WAIT_CS_STATUS_FLAG_GONE          0x1 /* the CS is long finished and forgotten */
#define HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD 0x2

struct hl_wait_cs_out {
	uint32_t status;                   /* HL_WAIT_CS_STATUS_* */
	uint32_t flags;                    /* HL_WAIT_CS_STATUS_FLAG_* */
	int64_t timestamp_nsec;            /* completion time (multi: of the first one) */
	uint32_t cs_completion_map;        /* MULTI_CS: bit i = array entry i completed */
	uint32_t pad;
};

union hl_wait_cs_args {
	struct hl_wait_cs_in in;
	struct hl_wait_cs_out out;
};

/* ==== HL_IOCTL_MEMORY ==== */
#define HL_MEM_OP_ALLOC     0 /* device memory */
#define HL_MEM_OP_FREE      1
#define HL_MEM_OP_MAP       2 /* device memory or (HL_MEM_USERPTR) host memory into device VA */
#define HL_MEM_OP_UNMAP     3
#define HL_MEM_OP_MAP_BLOCK 4 /* a configuration-space block, for mmap() */

#define HL_MEM_CONTIGUOUS 0x1
#define HL_MEM_SHARED     0x2
#define HL_MEM_USERPTR    0x4
#define HL_MEM_FORCE_HINT 0x8 /* fail rather than ignore the hint address */

struct hl_mem_in {
	union {
		struct { uint64_t mem_size; } alloc;
		struct { uint64_t handle; } free;           /* handle from HL_MEM_OP_ALLOC */
		struct {
			uint64_t hint_addr; /* wished device VA, 0: the driver picks */
			uint64_t handle;
		} map_device;
		struct {
			uint64_t host_virt_addr;
			uint64_t hint_addr;
			uint64_t mem_size;
		} map_host;
		struct { uint64_t block_addr; } map_block;  /* configuration-space address */
		struct { uint64_t device_virt_addr; } unmap;
	};
	uint32_t op;                       /* HL_MEM_OP_* */
	uint32_t flags;                    /* HL_MEM_* */
	uint32_t ctx_id;                   /* unused */
	uint32_t pad;
};

struct hl_mem_out {
	union {
		uint64_t device_virt_addr; /* MAP; 0 means failure */
		uint64_t handle;           /* ALLOC */
		struct {                   /* MAP_BLOCK */
			uint64_t block_handle;
			uint32_t block_size;
			uint32_t pad;
		};
	};
};

union hl_mem_args {
	struct hl_mem_in in;
	struct hl_mem_out out;
};

/* ==== HL_IOCTL_DEBUG: trace and profiling blocks ==== */
#define HL_DEBUG_MAX_AUX_VALUES 10

struct hl_debug_params_etr {
	uint64_t buffer_address;
	uint64_t buffer_size;
	uint32_t sink_mode;
	uint32_t pad;
};

struct hl_debug_params_etf {
	uint64_t buffer_address;
	uint64_t buffer_size;
	uint32_t sink_mode;
	uint32_t pad;
};

struct hl_debug_params_stm {
	uint64_t he_mask;
	uint64_t sp_mask;
	uint32_t id;
	uint32_t frequency;
};

struct hl_debug_params_bmon {
	uint64_t start_addr0;
	uint64_t addr_mask0;
	uint64_t start_addr1;
	uint64_t addr_mask1;
	uint32_t bw_win;
	uint32_t win_capture;
	uint32_t id;
	uint32_t pad;
};

struct hl_debug_params_spmu {
	uint64_t event_types[HL_DEBUG_MAX_AUX_VALUES];
	uint32_t event_types_num;
	uint32_t pad;
};

#define HL_DEBUG_OP_ETR       0
#define HL_DEBUG_OP_ETF       1
#define HL_DEBUG_OP_STM       2
#define HL_DEBUG_OP_FUNNEL    3
#define HL_DEBUG_OP_BMON      4
#define HL_DEBUG_OP_SPMU      5
#define HL_DEBUG_OP_TIMESTAMP 6 /* deprecated */
#define HL_DEBUG_OP_SET_MODE  7 /* enable = 1 enters debug mode, 0 leaves it */

struct hl_debug_args {
	uint64_t input_ptr;
	uint64_t output_ptr;
	uint32_t input_size;
	uint32_t output_size;
	uint32_t op;                       /* HL_DEBUG_OP_* */
	uint32_t reg_idx;
	uint32_t enable;
	uint32_t ctx_id;                   /* unused */
};

#include "habanalabs_nic.h"

/* ==== Requests ====
 * Two encodings of the same requests and argument layouts. The 'H' codes are those of the
 * misc-device driver (Linux 5.x, 6.0-6.2); the DRM codes those of the accel driver (Linux 6.3
 * on: DRM_IOWR(DRM_COMMAND_BASE + n), type 'd'). The driver dispatches on type and number; the
 * size field may differ from these sizeof()s in older or newer user space (e.g. a 32-byte
 * WAIT_CS before 5.17): it copies what the user passes and zero-fills the rest (docs/uapi.md). */
#define HL_IOCTL_INFO    _IOWR('H', 0x01, struct hl_info_args)
#define HL_IOCTL_CB      _IOWR('H', 0x02, union hl_cb_args)
#define HL_IOCTL_CS      _IOWR('H', 0x03, union hl_cs_args)
#define HL_IOCTL_WAIT_CS _IOWR('H', 0x04, union hl_wait_cs_args)
#define HL_IOCTL_MEMORY  _IOWR('H', 0x05, union hl_mem_args)
#define HL_IOCTL_DEBUG   _IOWR('H', 0x06, struct hl_debug_args)
#define HL_IOCTL_NIC     _IOWR('H', 0x07, struct hl_nic_args) /* gaudisim reconstruction */

#define HL_COMMAND_START 0x01
#define HL_COMMAND_END   0x08 /* one past the last 'H' request number */

/* The accel driver's DRM requests (the control node serves INFO only). */
#define GAUDISIM_DRM_COMMAND_BASE 0x40
#define DRM_IOCTL_HL_INFO    _IOWR('d', 0x40, struct hl_info_args)
#define DRM_IOCTL_HL_CB      _IOWR('d', 0x41, union hl_cb_args)
#define DRM_IOCTL_HL_CS      _IOWR('d', 0x42, union hl_cs_args)
#define DRM_IOCTL_HL_WAIT_CS _IOWR('d', 0x43, union hl_wait_cs_args)
#define DRM_IOCTL_HL_MEMORY  _IOWR('d', 0x44, union hl_mem_args)
#define DRM_IOCTL_HL_DEBUG   _IOWR('d', 0x45, struct hl_debug_args)

#endif /* GAUDISIM_UAPI_HABANALABS_H */
