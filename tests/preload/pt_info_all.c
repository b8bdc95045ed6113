/* Issue 15 item 4: every INFO opcode the Linux driver answers for GAUDI 1, in the current
 * (accel-era) layouts, with plausible values; the error events report what happened. */
#include "pt_common.h"

#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int info_ex(int fd, uint32_t op, uint32_t index, void *out, uint32_t size)
{
	struct hl_info_args a;
	memset(&a, 0, sizeof a);
	a.op = op;
	a.pll_index = index;
	a.return_pointer = (uint64_t)(uintptr_t)out;
	a.return_size = size;
	return ioctl(fd, DRM_IOCTL_HL_INFO, &a);
}

static int all_bytes(const void *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i] != v)
			return 0;
	return 1;
}

/* A CB in HBM holding an opcode the QMAN does not know, run on internal queue DMA_2_0 (a CB
 * in device memory runs unchecked); an external NOP job completes the CS. */
static int64_t submit_undefined_opcode(int fd)
{
	uint64_t hbm = pt_alloc(fd, 2 << 20);
	uint32_t *bad = aligned_alloc(4096, 4096);
	memset(bad, 0, 4096);
	bad[1] = 0x1Fu << 24; /* opcode 0x1F: undefined */
	uint64_t d_bad = pt_map_host(fd, bad, 4096);
	struct pt_cb copy, nop;
	pt_cb_new(fd, &copy, 4096);
	pt_cb_new(fd, &nop, 4096);
	cb_lin_dma(&copy.c, d_bad, hbm, 8, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &copy) == HL_WAIT_CS_STATUS_COMPLETED, "the bad packet into HBM");
	cb_nop(&nop.c);
	struct hl_cs_chunk ch[2];
	memset(ch, 0, sizeof ch);
	ch[0].cb_handle = hbm;
	ch[0].queue_index = GAUDI_QUEUE_ID_DMA_2_0;
	ch[0].cb_size = 8;
	ch[1].cb_handle = nop.handle;
	ch[1].queue_index = GAUDI_QUEUE_ID_DMA_0_0;
	ch[1].cb_size = nop.c.size;
	return pt_submit(fd, ch, 2, 0);
}

int test_info_all(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	struct hl_info_hw_ip_info hw;
	CHECK(sizeof hw == 304, "the current layout");
	memset(&hw, 0xEE, sizeof hw);
	CHECK(info_ex(fd, HL_INFO_HW_IP_INFO, 0, &hw, sizeof hw) == 0, "HW_IP_INFO");
	CHECK(hw.device_id == 0x1000 && hw.dram_page_size == 2u << 20 && hw.device_mem_alloc_default_page_size == 2u << 20,
	      "pages: dram %llu default %llu", (unsigned long long)hw.dram_page_size,
	      (unsigned long long)hw.device_mem_alloc_default_page_size);
	CHECK(hw.tpc_enabled_mask == 0xFF && hw.tpc_enabled_mask_ext == 0xFF, "8 TPCs: 0x%llx",
	      (unsigned long long)hw.tpc_enabled_mask_ext);
	CHECK(hw.dram_base_address == 0x20000000ull && hw.reserved_dram_size == 0x20000000ull &&
	          hw.dram_size % (2u << 20) == 0 && hw.dram_enabled == 1,
	      "DRAM: base 0x%llx, reserved 0x%llx", (unsigned long long)hw.dram_base_address,
	      (unsigned long long)hw.reserved_dram_size);
	CHECK(hw.decoder_enabled_mask == 0 && hw.edma_enabled_mask == 0 && hw.number_of_user_interrupts == 0 &&
	          hw.rotator_enabled_mask == 0 && hw.engine_core_interrupt_reg_addr == 0 && hw.reserved3 == 0,
	      "nothing of later chips");
	struct hl_info_args pad = {0};
	pad.op = HL_INFO_DEVICE_STATUS;
	pad.return_pointer = (uint64_t)(uintptr_t)&hw;
	pad.return_size = 8;
	pad.pad = 1;
	CHECK_ERRNO(ioctl(fd, DRM_IOCTL_HL_INFO, &pad), EINVAL);

	struct hl_info_hw_idle idle;
	CHECK(info_ex(fd, HL_INFO_HW_IDLE, 0, &idle, sizeof idle) == 0 && sizeof idle == 40 && idle.is_idle, "idle");
	struct hl_info_time_sync ts;
	CHECK(info_ex(fd, HL_INFO_TIME_SYNC, 0, &ts, sizeof ts) == 0 && ts.tsc_time > 0, "time sync with TSC");
	struct hl_info_clk_throttle thr;
	memset(&thr, 0xEE, sizeof thr);
	CHECK(info_ex(fd, HL_INFO_CLK_THROTTLE_REASON, 0, &thr, sizeof thr) == 0 && all_bytes(&thr, sizeof thr, 0),
	      "no throttling");
	/* The card's energy model (two_cards.ini: 90 W idle), read through its registers. */
	struct hl_power_info pw;
	CHECK(info_ex(fd, HL_INFO_POWER, 0, &pw, sizeof pw) == 0 && pw.power == 90000,
	      "idle power %llu mW (90 W configured)", (unsigned long long)pw.power);
	struct hl_info_energy e0, e1;
	struct hl_info_time_sync t0, t1;
	CHECK(info_ex(fd, HL_INFO_TOTAL_ENERGY, 0, &e0, sizeof e0) == 0 &&
	          info_ex(fd, HL_INFO_TIME_SYNC, 0, &t0, sizeof t0) == 0, "energy");
	usleep(20000);
	CHECK(info_ex(fd, HL_INFO_TIME_SYNC, 0, &t1, sizeof t1) == 0 &&
	          info_ex(fd, HL_INFO_TOTAL_ENERGY, 0, &e1, sizeof e1) == 0, "energy again");
	/* Idle in between: 90 W over the simulated time that passed (device_time in ns). The
	 * energy reads bracket the clock reads; the wall clock may run on between the calls of a
	 * loaded machine, hence the slack above. */
	uint64_t dt_ms = (t1.device_time - t0.device_time) / 1000000;
	uint64_t de = e1.total_energy_consumption - e0.total_energy_consumption;
	CHECK(dt_ms >= 15 && de + 90 >= 90 * dt_ms && de <= 90 * (dt_ms + 20),
	      "energy grows at 90 W: %llu mJ in %llu ms", (unsigned long long)de, (unsigned long long)dt_ms);
	const char *maxp = pt_read_file("/sys/class/accel/accel0/device/max_power");
	unsigned long long max_mw = maxp ? strtoull(maxp, NULL, 10) : 0;
	struct hl_info_device_utilization util;
	struct hl_info_args ua = {0};
	ua.op = HL_INFO_DEVICE_UTILIZATION;
	ua.return_pointer = (uint64_t)(uintptr_t)&util;
	ua.return_size = sizeof util;
	ua.period_ms = 100;
	/* Linux: (power - DC power 60 W) * 100 / (max_power - DC power). */
	CHECK(max_mw == 350000 && ioctl(fd, DRM_IOCTL_HL_INFO, &ua) == 0 &&
	          util.utilization == (90000 - 60000) * 100 / (max_mw - 60000),
	      "idle utilization %u%%", util.utilization);
	ua.period_ms = 150;
	CHECK_ERRNO(ioctl(fd, DRM_IOCTL_HL_INFO, &ua), EINVAL);
	struct hl_info_clk_rate clk;
	struct hl_pll_frequency_info pll;
	CHECK(info_ex(fd, HL_INFO_CLK_RATE, 0, &clk, sizeof clk) == 0, "clock");
	CHECK(info_ex(fd, HL_INFO_PLL_FREQUENCY, HL_GAUDI_TPC_PLL, &pll, sizeof pll) == 0 &&
	          pll.output[0] == clk.cur_clk_rate_mhz, "TPC PLL %u MHz = TPC clock %u", pll.output[0], clk.cur_clk_rate_mhz);
	CHECK(info_ex(fd, HL_INFO_PLL_FREQUENCY, HL_GAUDI_CPU_PLL, &pll, sizeof pll) == 0 && pll.output[0] > 0, "CPU PLL");
	CHECK_ERRNO(info_ex(fd, HL_INFO_PLL_FREQUENCY, 99, &pll, sizeof pll), EINVAL);
	struct hl_info_dev_memalloc_page_sizes ps = {~0ull};
	CHECK(info_ex(fd, HL_INFO_DEV_MEM_ALLOC_PAGE_SIZES, 0, &ps, sizeof ps) == 0 && ps.page_order_bitmask == 0,
	      "one page size only");
	struct hl_open_stats_info os;
	CHECK(info_ex(fd, HL_INFO_OPEN_STATS, 0, &os, sizeof os) == 0 && os.open_counter >= 1 && os.is_compute_ctx_active == 1 &&
	          !os.compute_ctx_in_release, "open stats: %llu opens", (unsigned long long)os.open_counter);
	uint64_t opens = os.open_counter;
	struct hl_info_last_err_open_dev_time lo;
	CHECK(info_ex(fd, HL_INFO_LAST_ERR_OPEN_DEV_TIME, 0, &lo, sizeof lo) == 0 && lo.timestamp > 0, "last open time");
	struct hl_info_cs_timeout_event cto;
	CHECK(info_ex(fd, HL_INFO_CS_TIMEOUT_EVENT, 0, &cto, sizeof cto) == 0 && cto.seq == 0 && cto.timestamp == 0,
	      "no CS timed out");
	/* Nothing captured: these write nothing and succeed. */
	struct hl_info_razwi_event rz;
	memset(&rz, 0xEE, sizeof rz);
	CHECK(info_ex(fd, HL_INFO_RAZWI_EVENT, 0, &rz, sizeof rz) == 0 && all_bytes(&rz, sizeof rz, 0xEE), "no RAZWI");
	struct hl_info_hw_err_event he;
	memset(&he, 0xEE, sizeof he);
	CHECK(info_ex(fd, HL_INFO_HW_ERR_EVENT, 0, &he, sizeof he) == 0 && all_bytes(&he, sizeof he, 0xEE), "no HW error");
	struct hl_info_fw_err_event fe;
	memset(&fe, 0xEE, sizeof fe);
	CHECK(info_ex(fd, HL_INFO_FW_ERR_EVENT, 0, &fe, sizeof fe) == 0 && all_bytes(&fe, sizeof fe, 0xEE), "no FW error");
	struct hl_info_undefined_opcode_event uo;
	CHECK(info_ex(fd, HL_INFO_UNDEFINED_OPCODE_EVENT, 0, &uo, sizeof uo) == 0 && uo.timestamp == 0, "no undefined opcode");
	uint64_t events = ~0ull;
	CHECK(info_ex(fd, HL_INFO_GET_EVENTS, 0, &events, sizeof events) == 0 && events == 0, "no events");
	uint32_t pending = 7;
	CHECK(info_ex(fd, HL_INFO_DRAM_PENDING_ROWS, 0, &pending, sizeof pending) == 0 && pending == 0, "no pending rows");
	char text[4096];
	struct hl_info_args es = {0};
	es.op = HL_INFO_ENGINE_STATUS;
	es.return_pointer = (uint64_t)(uintptr_t)text;
	es.return_size = sizeof text;
	CHECK(ioctl(fd, DRM_IOCTL_HL_INFO, &es) == 0 && es.user_buffer_actual_size > 0 &&
	          strstr(text, "TPC     7  idle"), "engine status:\n%.*s", (int)es.user_buffer_actual_size, text);
	/* An eventfd for the notifier events: only an eventfd (a pipe: EINVAL, a closed fd: EBADF),
	 * one at a time; the driver keeps its own reference, so the program's close does not end it. */
	int efd = eventfd(0, EFD_NONBLOCK), pipefd[2];
	CHECK(pipe(pipefd) == 0, "pipe");
	struct hl_info_args ev = {0};
	ev.op = HL_INFO_REGISTER_EVENTFD;
	ev.eventfd = (uint32_t)pipefd[0];
	CHECK_ERRNO(ioctl(fd, DRM_IOCTL_HL_INFO, &ev), EINVAL);
	ev.eventfd = 999;
	CHECK_ERRNO(ioctl(fd, DRM_IOCTL_HL_INFO, &ev), EBADF);
	close(pipefd[0]);
	close(pipefd[1]);
	ev.eventfd = (uint32_t)efd;
	CHECK(ioctl(fd, DRM_IOCTL_HL_INFO, &ev) == 0, "eventfd registered");
	CHECK_ERRNO(ioctl(fd, DRM_IOCTL_HL_INFO, &ev), EINVAL);
	uint64_t efd_count = 0;
	CHECK(read(efd, &efd_count, sizeof efd_count) < 0 && errno == EAGAIN, "no event yet");

	/* An undefined opcode: the CS fails, and INFO tells which engine, when and why. */
	int64_t seq = submit_undefined_opcode(fd);
	CHECK(seq > 0 && pt_wait(fd, (uint64_t)seq, 1000000, NULL) == -EIO, "the CS with the bad packet fails");
	CHECK(info_ex(fd, HL_INFO_UNDEFINED_OPCODE_EVENT, 0, &uo, sizeof uo) == 0 && uo.timestamp > 0 &&
	          uo.engine_id == GAUDI_ENGINE_ID_DMA_2 && uo.stream_id == 0 && uo.cb_addr_streams_len == 1,
	      "undefined opcode on engine %u stream %u", uo.engine_id, uo.stream_id);
	CHECK(info_ex(fd, HL_INFO_GET_EVENTS, 0, &events, sizeof events) == 0 &&
	          (events & HL_NOTIFIER_EVENT_UNDEFINED_OPCODE), "notified: 0x%llx", (unsigned long long)events);
	CHECK(info_ex(fd, HL_INFO_GET_EVENTS, 0, &events, sizeof events) == 0 && events == 0, "cleared on read");
	CHECK(read(efd, &efd_count, sizeof efd_count) == sizeof efd_count && efd_count >= 1,
	      "the eventfd was signalled for the event (%llu)", (unsigned long long)efd_count);
	ev.op = HL_INFO_UNREGISTER_EVENTFD;
	CHECK(ioctl(fd, DRM_IOCTL_HL_INFO, &ev) == 0, "eventfd unregistered");
	CHECK_ERRNO(ioctl(fd, DRM_IOCTL_HL_INFO, &ev), EINVAL);
	close(efd);
	/* A RAZWI: a user write to a protected register (DMA1's queue base) from DMA_0_2's CP.
	 * INFO names the address, the engine (the DMA_0 QMAN's) and the access; the first one is
	 * kept. */
	struct pt_cb prot;
	pt_cb_new(fd, &prot, 4096);
	uint64_t pq_base = CFG_BASE + DMA_QM(1) + QM_PQ_BASE_LO(0);
	cb_msg_long(&prot.c, pq_base, 0, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_2, &prot) == -EIO, "the CS with the protected write fails");
	prot.c.size = 0;
	cb_msg_long(&prot.c, pq_base + 4, 0, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_2, &prot) == -EIO, "a second one");
	pt_cb_free(fd, &prot);
	memset(&rz, 0, sizeof rz);
	CHECK(info_ex(fd, HL_INFO_RAZWI_EVENT, 0, &rz, sizeof rz) == 0 && rz.timestamp > 0 && rz.addr == pq_base &&
	          rz.num_of_possible_engines == 1 && rz.engine_id[0] == GAUDI_ENGINE_ID_DMA_0 &&
	          rz.flags == (HL_RAZWI_WRITE | HL_RAZWI_LBW),
	      "RAZWI at 0x%llx by engine %u, flags 0x%x", (unsigned long long)rz.addr, rz.engine_id[0], rz.flags);
	CHECK(info_ex(fd, HL_INFO_GET_EVENTS, 0, &events, sizeof events) == 0 && (events & HL_NOTIFIER_EVENT_RAZWI) &&
	          (events & HL_NOTIFIER_EVENT_USER_ENGINE_ERR), "RAZWI notified: 0x%llx", (unsigned long long)events);
	uint32_t *hist = calloc(hw.num_of_events, 4);
	CHECK(info_ex(fd, HL_INFO_HW_EVENTS_AGGREGATE, 0, hist, hw.num_of_events * 4) == 0, "event counters");
	uint64_t total = 0;
	for (uint32_t i = 0; i < hw.num_of_events; i++)
		total += hist[i];
	CHECK(total >= 1, "the QMAN error is counted");
	free(hist);

	/* The control node: INFO, but not the per-user notifications. */
	int ctl = pt_open(0, 1);
	CHECK(ctl >= 0, "control");
	CHECK(info_ex(ctl, HL_INFO_OPEN_STATS, 0, &os, sizeof os) == 0 && os.is_compute_ctx_active == 1, "stats on control");
	CHECK_ERRNO(info_ex(ctl, HL_INFO_GET_EVENTS, 0, &events, sizeof events), EOPNOTSUPP);
	CHECK(close(fd) == 0, "close");
	usleep(1000);
	CHECK(info_ex(ctl, HL_INFO_OPEN_STATS, 0, &os, sizeof os) == 0 && os.is_compute_ctx_active == 0 &&
	          os.open_counter == opens, "closed");
	fd = pt_open(0, 0);
	CHECK(fd >= 0 && info_ex(fd, HL_INFO_OPEN_STATS, 0, &os, sizeof os) == 0 && os.open_counter == opens + 1,
	      "another open counted");
	CHECK(info_ex(fd, HL_INFO_UNDEFINED_OPCODE_EVENT, 0, &uo, sizeof uo) == 0 && uo.timestamp == 0,
	      "a new user starts with nothing captured");
	memset(&rz, 0xEE, sizeof rz);
	CHECK(info_ex(fd, HL_INFO_RAZWI_EVENT, 0, &rz, sizeof rz) == 0 && all_bytes(&rz, sizeof rz, 0xEE),
	      "nor a RAZWI");
	close(ctl);
	close(fd);
	return 0;
}
