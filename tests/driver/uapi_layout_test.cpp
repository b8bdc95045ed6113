// Layout checks of the ABI header driver/uapi/habanalabs.h (byte-compatible with the public
// habanalabs uAPI); the packet and register headers are checked in spec_layout_test.cpp.
// Every number here was derived by hand from the public layouts (see docs/uapi.md), not from
// the headers.
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

TEST(UapiLayout, InfoStructs)
{
    EXPECT_EQ(sizeof(hl_info_hw_ip_info), 304u);  // the current (accel-era) layout
    EXPECT_OFF(hl_info_hw_ip_info, sram_base_address, 0);
    EXPECT_OFF(hl_info_hw_ip_info, dram_base_address, 8);
    EXPECT_OFF(hl_info_hw_ip_info, dram_size, 16);
    EXPECT_OFF(hl_info_hw_ip_info, sram_size, 24);
    EXPECT_OFF(hl_info_hw_ip_info, num_of_events, 28);
    EXPECT_OFF(hl_info_hw_ip_info, device_id, 32);
    EXPECT_OFF(hl_info_hw_ip_info, module_id, 36);
    EXPECT_OFF(hl_info_hw_ip_info, decoder_enabled_mask, 40);
    EXPECT_OFF(hl_info_hw_ip_info, first_available_interrupt_id, 44);
    EXPECT_OFF(hl_info_hw_ip_info, server_type, 46);
    EXPECT_OFF(hl_info_hw_ip_info, cpld_version, 48);
    EXPECT_OFF(hl_info_hw_ip_info, psoc_pci_pll_nr, 52);
    EXPECT_OFF(hl_info_hw_ip_info, psoc_pci_pll_nf, 56);
    EXPECT_OFF(hl_info_hw_ip_info, psoc_pci_pll_od, 60);
    EXPECT_OFF(hl_info_hw_ip_info, psoc_pci_pll_div_factor, 64);
    EXPECT_OFF(hl_info_hw_ip_info, tpc_enabled_mask, 68);
    EXPECT_OFF(hl_info_hw_ip_info, dram_enabled, 69);
    EXPECT_OFF(hl_info_hw_ip_info, security_enabled, 70);
    EXPECT_OFF(hl_info_hw_ip_info, mme_master_slave_mode, 71);
    EXPECT_OFF(hl_info_hw_ip_info, cpucp_version, 72);
    EXPECT_OFF(hl_info_hw_ip_info, card_name, 200);
    EXPECT_OFF(hl_info_hw_ip_info, tpc_enabled_mask_ext, 216);
    EXPECT_OFF(hl_info_hw_ip_info, dram_page_size, 224);
    EXPECT_OFF(hl_info_hw_ip_info, edma_enabled_mask, 232);
    EXPECT_OFF(hl_info_hw_ip_info, number_of_user_interrupts, 236);
    EXPECT_OFF(hl_info_hw_ip_info, reserved1, 238);
    EXPECT_OFF(hl_info_hw_ip_info, reserved2, 239);
    EXPECT_OFF(hl_info_hw_ip_info, reserved3, 240);
    EXPECT_OFF(hl_info_hw_ip_info, device_mem_alloc_default_page_size, 248);
    EXPECT_OFF(hl_info_hw_ip_info, reserved4, 256);
    EXPECT_OFF(hl_info_hw_ip_info, reserved5, 264);
    EXPECT_OFF(hl_info_hw_ip_info, reserved6, 272);
    EXPECT_OFF(hl_info_hw_ip_info, reserved7, 276);
    EXPECT_OFF(hl_info_hw_ip_info, revision_id, 277);
    EXPECT_OFF(hl_info_hw_ip_info, tpc_interrupt_id, 278);
    EXPECT_OFF(hl_info_hw_ip_info, rotator_enabled_mask, 280);
    EXPECT_OFF(hl_info_hw_ip_info, reserved9, 284);
    EXPECT_OFF(hl_info_hw_ip_info, engine_core_interrupt_reg_addr, 288);
    EXPECT_OFF(hl_info_hw_ip_info, reserved_dram_size, 296);

    EXPECT_EQ(sizeof(hl_info_dram_usage), 16u);
    EXPECT_OFF(hl_info_dram_usage, ctx_dram_mem, 8);
    EXPECT_EQ(sizeof(hl_info_hw_idle), 40u);
    EXPECT_OFF(hl_info_hw_idle, busy_engines_mask, 4);
    EXPECT_OFF(hl_info_hw_idle, busy_engines_mask_ext, 8);
    EXPECT_EQ(sizeof(hl_info_device_status), 8u);
    EXPECT_EQ(sizeof(hl_info_device_utilization), 8u);
    EXPECT_EQ(sizeof(hl_info_clk_rate), 8u);
    EXPECT_OFF(hl_info_clk_rate, max_clk_rate_mhz, 4);
    EXPECT_EQ(sizeof(hl_info_reset_count), 8u);
    EXPECT_OFF(hl_info_reset_count, soft_reset_cnt, 4);
    EXPECT_EQ(sizeof(hl_info_time_sync), 24u);
    EXPECT_OFF(hl_info_time_sync, host_time, 8);
    EXPECT_OFF(hl_info_time_sync, tsc_time, 16);
    EXPECT_EQ(sizeof(hl_info_pci_counters), 24u);
    EXPECT_OFF(hl_info_pci_counters, replay_cnt, 16);
    EXPECT_EQ(sizeof(hl_info_clk_throttle), 40u);
    EXPECT_OFF(hl_info_clk_throttle, clk_throttling_timestamp_us, 8);
    EXPECT_OFF(hl_info_clk_throttle, clk_throttling_duration_ns, 24);
    EXPECT_EQ(sizeof(hl_info_energy), 8u);
    EXPECT_EQ(sizeof(hl_pll_frequency_info), 8u);
    EXPECT_EQ(sizeof(hl_open_stats_info), 24u);
    EXPECT_OFF(hl_open_stats_info, last_open_period_ms, 8);
    EXPECT_OFF(hl_open_stats_info, is_compute_ctx_active, 16);
    EXPECT_OFF(hl_open_stats_info, compute_ctx_in_release, 17);
    EXPECT_EQ(sizeof(hl_info_last_err_open_dev_time), 8u);
    EXPECT_EQ(sizeof(hl_info_cs_timeout_event), 16u);
    EXPECT_OFF(hl_info_cs_timeout_event, seq, 8);
    EXPECT_EQ(sizeof(hl_info_razwi_event), 280u);
    EXPECT_OFF(hl_info_razwi_event, engine_id, 16);
    EXPECT_OFF(hl_info_razwi_event, num_of_possible_engines, 272);
    EXPECT_OFF(hl_info_razwi_event, flags, 274);
    EXPECT_EQ(sizeof(hl_info_undefined_opcode_event), 288u);
    EXPECT_OFF(hl_info_undefined_opcode_event, cq_addr, 264);
    EXPECT_OFF(hl_info_undefined_opcode_event, cq_size, 272);
    EXPECT_OFF(hl_info_undefined_opcode_event, cb_addr_streams_len, 276);
    EXPECT_OFF(hl_info_undefined_opcode_event, engine_id, 280);
    EXPECT_OFF(hl_info_undefined_opcode_event, stream_id, 284);
    EXPECT_EQ(sizeof(hl_info_hw_err_event), 16u);
    EXPECT_OFF(hl_info_hw_err_event, event_id, 8);
    EXPECT_EQ(sizeof(hl_info_fw_err_event), 16u);
    EXPECT_OFF(hl_info_fw_err_event, event_id, 10);
    EXPECT_EQ(sizeof(hl_info_engine_err_event), 16u);
    EXPECT_OFF(hl_info_engine_err_event, error_count, 10);
    EXPECT_EQ(sizeof(hl_page_fault_info), 24u);
    EXPECT_EQ(sizeof(hl_info_dev_memalloc_page_sizes), 8u);
    EXPECT_EQ(HL_INFO_LAST_ERR_OPEN_DEV_TIME, 23);
    EXPECT_EQ(HL_INFO_DEV_MEM_ALLOC_PAGE_SIZES, 26);
    EXPECT_EQ(HL_INFO_GET_EVENTS, 30);
    EXPECT_EQ(HL_INFO_USER_ENGINE_ERR_EVENT, 38);
    EXPECT_EQ(HL_NOTIFIER_EVENT_RAZWI, 0x80ull);
    EXPECT_EQ(sizeof(hl_power_info), 8u);
    EXPECT_EQ(sizeof(hl_info_sync_manager), 16u);
    EXPECT_OFF(hl_info_sync_manager, first_available_monitor, 4);
    EXPECT_OFF(hl_info_sync_manager, first_available_cq, 8);
    EXPECT_EQ(sizeof(hl_info_cs_counters), 96u);
    EXPECT_OFF(hl_info_cs_counters, total_queue_full_drop_cnt, 32);
    EXPECT_OFF(hl_info_cs_counters, ctx_validation_drop_cnt, 88);

    EXPECT_EQ(sizeof(hl_info_args), 24u);
    EXPECT_OFF(hl_info_args, return_pointer, 0);
    EXPECT_OFF(hl_info_args, return_size, 8);
    EXPECT_OFF(hl_info_args, op, 12);
    EXPECT_OFF(hl_info_args, dcore_id, 16);
    EXPECT_OFF(hl_info_args, ctx_id, 16);
    EXPECT_OFF(hl_info_args, period_ms, 16);
    EXPECT_OFF(hl_info_args, pll_index, 16);
    EXPECT_OFF(hl_info_args, pad, 20);
}

TEST(UapiLayout, InfoOpcodesAndEnums)
{
    EXPECT_EQ(HL_INFO_HW_IP_INFO, 0);
    EXPECT_EQ(HL_INFO_DEVICE_STATUS, 4);
    EXPECT_EQ(HL_INFO_MAC_ADDR, 5);
    EXPECT_EQ(HL_INFO_DEVICE_UTILIZATION, 6);
    EXPECT_EQ(HL_INFO_TIME_SYNC, 10);
    EXPECT_EQ(HL_INFO_SYNC_MANAGER, 14);
    EXPECT_EQ(HL_INFO_TOTAL_ENERGY, 15);
    EXPECT_EQ(HL_INFO_OPEN_STATS, 18);
    EXPECT_EQ(HL_DEVICE_STATUS_NEEDS_RESET, 3);
    EXPECT_EQ(HL_DEVICE_STATUS_IN_DEVICE_CREATION, 4);
    EXPECT_EQ(HL_SERVER_GAUDI_HLS1, 1);
    EXPECT_EQ(HL_SERVER_GAUDI_TYPE2, 4);
    EXPECT_EQ(HL_GAUDI_WS_DCORE, 0);
    EXPECT_EQ(HL_GAUDI_ES_DCORE, 3);
    EXPECT_EQ(HL_GAUDI_MME_PLL, 7);
    EXPECT_EQ(HL_GAUDI_PLL_MAX, 10);
}

TEST(UapiLayout, CommandBuffer)
{
    EXPECT_EQ(sizeof(hl_cb_in), 24u);
    EXPECT_OFF(hl_cb_in, cb_handle, 0);
    EXPECT_OFF(hl_cb_in, op, 8);
    EXPECT_OFF(hl_cb_in, cb_size, 12);
    EXPECT_OFF(hl_cb_in, ctx_id, 16);
    EXPECT_OFF(hl_cb_in, flags, 20);
    EXPECT_EQ(sizeof(hl_cb_out), 8u);
    EXPECT_OFF(hl_cb_out, cb_handle, 0);
    EXPECT_OFF(hl_cb_out, usage_cnt, 0);
    EXPECT_OFF(hl_cb_out, pad, 4);
    EXPECT_EQ(sizeof(hl_cb_args), 24u);
    EXPECT_EQ(HL_MAX_CB_SIZE, 0x1FFFE0);
}

TEST(UapiLayout, CommandSubmission)
{
    EXPECT_EQ(sizeof(hl_cs_chunk), 64u);
    EXPECT_OFF(hl_cs_chunk, cb_handle, 0);
    EXPECT_OFF(hl_cs_chunk, signal_seq_arr, 0);
    EXPECT_OFF(hl_cs_chunk, encaps_signal_seq, 0);
    EXPECT_OFF(hl_cs_chunk, queue_index, 8);
    EXPECT_OFF(hl_cs_chunk, cb_size, 12);
    EXPECT_OFF(hl_cs_chunk, num_signal_seq_arr, 12);
    EXPECT_OFF(hl_cs_chunk, encaps_signal_offset, 12);
    EXPECT_OFF(hl_cs_chunk, cs_chunk_flags, 16);
    EXPECT_OFF(hl_cs_chunk, collective_engine_id, 20);
    EXPECT_OFF(hl_cs_chunk, pad, 24);

    EXPECT_EQ(sizeof(hl_cs_in), 48u);
    EXPECT_OFF(hl_cs_in, chunks_restore, 0);
    EXPECT_OFF(hl_cs_in, chunks_execute, 8);
    EXPECT_OFF(hl_cs_in, seq, 16);
    EXPECT_OFF(hl_cs_in, encaps_sig_handle_id, 16);
    EXPECT_OFF(hl_cs_in, encaps_signals_count, 16);
    EXPECT_OFF(hl_cs_in, encaps_signals_q_idx, 20);
    EXPECT_OFF(hl_cs_in, num_chunks_restore, 24);
    EXPECT_OFF(hl_cs_in, num_chunks_execute, 28);
    EXPECT_OFF(hl_cs_in, timeout, 32);
    EXPECT_OFF(hl_cs_in, cs_flags, 36);
    EXPECT_OFF(hl_cs_in, ctx_id, 40);
    EXPECT_OFF(hl_cs_in, pad, 44);
    EXPECT_EQ(sizeof(hl_cs_out), 24u);
    EXPECT_OFF(hl_cs_out, sob_count_before_submission, 16);
    EXPECT_OFF(hl_cs_out, seq, 0);
    EXPECT_OFF(hl_cs_out, handle_id, 0);
    EXPECT_OFF(hl_cs_out, count, 4);
    EXPECT_OFF(hl_cs_out, status, 8);
    EXPECT_OFF(hl_cs_out, sob_base_addr_offset, 12);
    EXPECT_EQ(sizeof(hl_cs_args), 48u);

    EXPECT_EQ(HL_CS_FLAGS_FORCE_RESTORE, 0x1);
    EXPECT_EQ(HL_CS_FLAGS_SIGNAL, 0x2);
    EXPECT_EQ(HL_CS_FLAGS_WAIT, 0x4);
    EXPECT_EQ(HL_CS_FLAGS_COLLECTIVE_WAIT, 0x8);
    EXPECT_EQ(HL_CS_FLAGS_TIMESTAMP, 0x20);
    EXPECT_EQ(HL_CS_FLAGS_CUSTOM_TIMEOUT, 0x200);
    EXPECT_EQ(HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY, 0x2000);
    EXPECT_EQ(HL_MAX_JOBS_PER_CS, 512);
}

TEST(UapiLayout, WaitCs)
{
    EXPECT_EQ(sizeof(hl_wait_cs_in), 56u);  // 32 before Linux 5.17: a prefix of this
    EXPECT_OFF(hl_wait_cs_in, seq, 0);
    EXPECT_OFF(hl_wait_cs_in, timeout_us, 8);
    EXPECT_OFF(hl_wait_cs_in, addr, 0);
    EXPECT_OFF(hl_wait_cs_in, cq_counters_handle, 0);
    EXPECT_OFF(hl_wait_cs_in, target, 8);
    EXPECT_OFF(hl_wait_cs_in, ctx_id, 16);
    EXPECT_OFF(hl_wait_cs_in, flags, 20);
    EXPECT_OFF(hl_wait_cs_in, seq_arr_len, 24);
    EXPECT_OFF(hl_wait_cs_in, pad, 25);
    EXPECT_OFF(hl_wait_cs_in, interrupt_timeout_us, 24);
    EXPECT_OFF(hl_wait_cs_in, cq_counters_offset, 32);
    EXPECT_OFF(hl_wait_cs_in, timestamp_handle, 40);
    EXPECT_OFF(hl_wait_cs_in, timestamp_offset, 48);
    EXPECT_EQ(sizeof(hl_wait_cs_out), 24u);
    EXPECT_OFF(hl_wait_cs_out, status, 0);
    EXPECT_OFF(hl_wait_cs_out, flags, 4);
    EXPECT_OFF(hl_wait_cs_out, timestamp_nsec, 8);
    EXPECT_OFF(hl_wait_cs_out, cs_completion_map, 16);
    EXPECT_EQ(sizeof(hl_wait_cs_args), 56u);

    EXPECT_EQ(HL_WAIT_CS_STATUS_COMPLETED, 0);
    EXPECT_EQ(HL_WAIT_CS_STATUS_BUSY, 1);
    EXPECT_EQ(HL_WAIT_CS_STATUS_TIMEDOUT, 2);
    EXPECT_EQ(HL_WAIT_CS_STATUS_ABORTED, 3);
    EXPECT_EQ(HL_WAIT_CS_STATUS_INTERRUPTED, 4);
    EXPECT_EQ(HL_WAIT_CS_STATUS_FLAG_GONE, 0x1);
    EXPECT_EQ(HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD, 0x2);
}

TEST(UapiLayout, Memory)
{
    EXPECT_EQ(sizeof(hl_mem_in), 40u);
    EXPECT_OFF(hl_mem_in, alloc.mem_size, 0);
    EXPECT_OFF(hl_mem_in, free.handle, 0);
    EXPECT_OFF(hl_mem_in, map_device.hint_addr, 0);
    EXPECT_OFF(hl_mem_in, map_device.handle, 8);
    EXPECT_OFF(hl_mem_in, map_host.host_virt_addr, 0);
    EXPECT_OFF(hl_mem_in, map_host.hint_addr, 8);
    EXPECT_OFF(hl_mem_in, map_host.mem_size, 16);
    EXPECT_OFF(hl_mem_in, map_block.block_addr, 0);
    EXPECT_OFF(hl_mem_in, unmap.device_virt_addr, 0);
    EXPECT_OFF(hl_mem_in, op, 24);
    EXPECT_OFF(hl_mem_in, flags, 28);
    EXPECT_OFF(hl_mem_in, ctx_id, 32);
    EXPECT_OFF(hl_mem_in, pad, 36);
    EXPECT_EQ(sizeof(hl_mem_out), 16u);
    EXPECT_OFF(hl_mem_out, device_virt_addr, 0);
    EXPECT_OFF(hl_mem_out, handle, 0);
    EXPECT_OFF(hl_mem_out, block_handle, 0);
    EXPECT_OFF(hl_mem_out, block_size, 8);
    EXPECT_EQ(sizeof(hl_mem_args), 40u);
    EXPECT_EQ(HL_MEM_OP_MAP_BLOCK, 4);
    EXPECT_EQ(HL_MEM_USERPTR, 0x4);
}

TEST(UapiLayout, Debug)
{
    EXPECT_EQ(sizeof(hl_debug_params_etr), 24u);
    EXPECT_OFF(hl_debug_params_etr, sink_mode, 16);
    EXPECT_EQ(sizeof(hl_debug_params_etf), 24u);
    EXPECT_EQ(sizeof(hl_debug_params_stm), 24u);
    EXPECT_OFF(hl_debug_params_stm, id, 16);
    EXPECT_OFF(hl_debug_params_stm, frequency, 20);
    EXPECT_EQ(sizeof(hl_debug_params_bmon), 48u);
    EXPECT_OFF(hl_debug_params_bmon, bw_win, 32);
    EXPECT_OFF(hl_debug_params_bmon, id, 40);
    EXPECT_EQ(sizeof(hl_debug_params_spmu), 88u);
    EXPECT_OFF(hl_debug_params_spmu, event_types_num, 80);
    EXPECT_EQ(sizeof(hl_debug_args), 40u);
    EXPECT_OFF(hl_debug_args, input_ptr, 0);
    EXPECT_OFF(hl_debug_args, output_ptr, 8);
    EXPECT_OFF(hl_debug_args, input_size, 16);
    EXPECT_OFF(hl_debug_args, output_size, 20);
    EXPECT_OFF(hl_debug_args, op, 24);
    EXPECT_OFF(hl_debug_args, reg_idx, 28);
    EXPECT_OFF(hl_debug_args, enable, 32);
    EXPECT_OFF(hl_debug_args, ctx_id, 36);
    EXPECT_EQ(HL_DEBUG_OP_SET_MODE, 7);
}

TEST(UapiLayout, NicReconstruction)
{
    EXPECT_EQ(sizeof(hl_nic_args), 32u);
    EXPECT_OFF(hl_nic_args, input_ptr, 0);
    EXPECT_OFF(hl_nic_args, output_ptr, 8);
    EXPECT_OFF(hl_nic_args, input_size, 16);
    EXPECT_OFF(hl_nic_args, output_size, 20);
    EXPECT_OFF(hl_nic_args, ctx_id, 24);
    EXPECT_OFF(hl_nic_args, op, 28);

    EXPECT_EQ(sizeof(hl_nic_alloc_conn_in), 8u);
    EXPECT_EQ(sizeof(hl_nic_alloc_conn_out), 8u);
    EXPECT_EQ(sizeof(hl_nic_req_conn_ctx_in), 44u);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, dst_ip_addr, 4);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, dst_conn_id, 8);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, burst_size, 12);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, last_index, 16);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, port, 20);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, conn_id, 24);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, dst_mac_addr, 28);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, sq_number, 34);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, priority, 35);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, enable_sob, 36);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, timer_granularity, 37);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, swq_granularity, 38);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, wq_type, 39);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, version, 40);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, cq_number, 41);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, wq_remote_log_size, 42);
    EXPECT_OFF(hl_nic_req_conn_ctx_in, pad, 43);

    EXPECT_EQ(sizeof(hl_nic_res_conn_ctx_in), 36u);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, port, 12);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, conn_id, 16);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, dst_mac_addr, 20);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, priority, 26);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, sq_number, 27);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, enable_sob, 28);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, wq_peer_granularity, 29);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, cq_number, 30);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, version, 31);
    EXPECT_OFF(hl_nic_res_conn_ctx_in, conn_peer, 32);

    EXPECT_EQ(sizeof(hl_nic_destroy_conn_in), 8u);
    EXPECT_EQ(sizeof(hl_nic_cqe), 16u);
    EXPECT_OFF(hl_nic_cqe, requester.wqe_index, 0);
    EXPECT_OFF(hl_nic_cqe, responder.msg_id, 0);
    EXPECT_OFF(hl_nic_cqe, qp_err.syndrome, 0);
    EXPECT_OFF(hl_nic_cqe, port, 4);
    EXPECT_OFF(hl_nic_cqe, qp_number, 8);
    EXPECT_OFF(hl_nic_cqe, type, 12);
    EXPECT_OFF(hl_nic_cqe, is_err, 13);
    EXPECT_EQ(sizeof(hl_nic_cq_create_in), 8u);
    EXPECT_EQ(sizeof(hl_nic_cq_create_out), 8u);
    EXPECT_EQ(sizeof(hl_nic_cq_destroy_in), 8u);
    EXPECT_EQ(sizeof(hl_nic_cq_update_consumed_cqes_in), 16u);
    EXPECT_OFF(hl_nic_cq_update_consumed_cqes_in, cq_num_of_consumed_entries, 8);
    EXPECT_EQ(sizeof(hl_nic_cq_poll_wait_in), 16u);
    EXPECT_OFF(hl_nic_cq_poll_wait_in, timeout_us, 8);
    EXPECT_EQ(sizeof(hl_nic_cq_poll_wait_out), 16u);
    EXPECT_OFF(hl_nic_cq_poll_wait_out, num_of_cqes, 4);
    EXPECT_OFF(hl_nic_cq_poll_wait_out, status, 8);
    EXPECT_EQ(sizeof(hl_mac_addr), 8u);
    EXPECT_EQ(sizeof(hl_info_mac_addr), 1040u);
    EXPECT_OFF(hl_info_mac_addr, mask, 1024);

    EXPECT_EQ(HL_NIC_OP_ALLOC_CONN, 0);
    EXPECT_EQ(HL_NIC_OP_DESTROY_CONN, 3);
    EXPECT_EQ(HL_NIC_OP_CQ_CREATE, 4);
    EXPECT_EQ(HL_NIC_OP_CQ_POLL, 7);
    EXPECT_EQ(HL_NIC_OP_CQ_UPDATE_CONSUMED_CQES, 8);
    EXPECT_EQ(HL_NIC_MAX_CONN_ID, 1023);
}

TEST(UapiLayout, IoctlRequestCodes)
{
    EXPECT_EQ(HL_IOCTL_INFO, _IOWR('H', 0x01, struct hl_info_args));
    EXPECT_EQ(HL_IOCTL_INFO, 0xC0184801u);
    EXPECT_EQ(HL_IOCTL_CB, 0xC0184802u);
    EXPECT_EQ(HL_IOCTL_CS, 0xC0304803u);
    EXPECT_EQ(HL_IOCTL_WAIT_CS, 0xC0384804u);
    EXPECT_EQ(HL_IOCTL_MEMORY, 0xC0284805u);
    EXPECT_EQ(HL_IOCTL_DEBUG, 0xC0284806u);
    EXPECT_EQ(HL_IOCTL_NIC, 0xC0204807u);
    EXPECT_EQ(HL_COMMAND_START, 1);
    EXPECT_EQ(HL_COMMAND_END, 8);
    EXPECT_GE(GAUDISIM_UAPI_VERSION, 2);
    // The accel driver's DRM codes: DRM_IOWR(0x40 + n), same argument sizes.
    EXPECT_EQ(DRM_IOCTL_HL_INFO, 0xC0186440u);
    EXPECT_EQ(DRM_IOCTL_HL_CB, 0xC0186441u);
    EXPECT_EQ(DRM_IOCTL_HL_CS, 0xC0306442u);
    EXPECT_EQ(DRM_IOCTL_HL_WAIT_CS, 0xC0386443u);
    EXPECT_EQ(DRM_IOCTL_HL_MEMORY, 0xC0286444u);
    EXPECT_EQ(DRM_IOCTL_HL_DEBUG, 0xC0286445u);
}

TEST(UapiLayout, QueueAndEngineIds)
{
    EXPECT_EQ(GAUDI_QUEUE_ID_DMA_0_0, 0);
    EXPECT_EQ(GAUDI_QUEUE_ID_DMA_1_3, 7);
    EXPECT_EQ(GAUDI_QUEUE_ID_CPU_PQ, 8);
    EXPECT_EQ(GAUDI_QUEUE_ID_DMA_2_0, 9);
    EXPECT_EQ(GAUDI_QUEUE_ID_DMA_5_0, 21);
    EXPECT_EQ(GAUDI_QUEUE_ID_DMA_7_3, 32);
    EXPECT_EQ(GAUDI_QUEUE_ID_MME_0_0, 33);
    EXPECT_EQ(GAUDI_QUEUE_ID_MME_1_3, 40);
    EXPECT_EQ(GAUDI_QUEUE_ID_TPC_0_0, 41);
    EXPECT_EQ(GAUDI_QUEUE_ID_TPC_7_3, 72);
    EXPECT_EQ(GAUDI_QUEUE_ID_NIC_0_0, 73);
    EXPECT_EQ(GAUDI_QUEUE_ID_NIC_4_2, 91);
    EXPECT_EQ(GAUDI_QUEUE_ID_NIC_9_3, 112);
    EXPECT_EQ(GAUDI_QUEUE_ID_SIZE, 113);

    EXPECT_EQ(GAUDI_ENGINE_ID_DMA_7, 7);
    EXPECT_EQ(GAUDI_ENGINE_ID_MME_0, 8);
    EXPECT_EQ(GAUDI_ENGINE_ID_MME_3, 11);
    EXPECT_EQ(GAUDI_ENGINE_ID_TPC_0, 12);
    EXPECT_EQ(GAUDI_ENGINE_ID_NIC_0, 20);
    EXPECT_EQ(GAUDI_ENGINE_ID_NIC_9, 29);
    EXPECT_EQ(GAUDI_ENGINE_ID_SIZE, 30);

    EXPECT_EQ(GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT, 144);
    EXPECT_EQ(GAUDI_FIRST_AVAILABLE_W_S_MONITOR, 72);
}

TEST(UapiLayout, MmapOffsetOfCbHandle)
{
    EXPECT_EQ(HL_MMAP_CB_HANDLE(1), 0x4000000000001000ull);
    EXPECT_EQ(HL_MMAP_CB_HANDLE(0x123), 0x4000000000123000ull);
    EXPECT_EQ(HL_MMAP_CB_HANDLE(7) & HL_MMAP_TYPE_MASK, HL_MMAP_TYPE_CB);
    EXPECT_EQ(HL_MMAP_CB_ID(HL_MMAP_CB_HANDLE(0x123)), 0x123u);
    EXPECT_EQ(HL_MMAP_TYPE_BLOCK, 0x8000000000000000ull);
    EXPECT_EQ(HL_MMAP_TYPE_NIC_CQ & HL_MMAP_TYPE_CB, 0u);
}
