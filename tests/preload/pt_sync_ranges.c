/* Sync manager ranges as the real driver reports them (issue 15 item 1): INFO SYNC_MANAGER
 * gives 0/0 on E_N and the first available object and monitor on W_S; user CBs use any E_N
 * object and monitor, through MSG_SHORT with the E_N bases and MSG_LONG to their
 * addresses, on external and internal queues alike; only the driver's W_S range is
 * refused, and the device stays usable afterwards. */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <unistd.h>

/* Arms monitor `mon` of the objects block at `objs` (MSG_LONG to its registers) to write 1
 * to `addr` once object `sob` of the same manager >= target. */
static void monitor_long(struct cb *c, uint64_t objs, uint32_t mon, uint32_t sob, uint32_t target, uint64_t addr)
{
	uint32_t mask = 0xFFu & ~(1u << (sob % 8));
	cb_msg_long(c, objs + MON_PAY_ADDRL(mon), (uint32_t)addr, 0, 0);
	cb_msg_long(c, objs + MON_PAY_ADDRH(mon), (uint32_t)(addr >> 32), 0, 0);
	cb_msg_long(c, objs + MON_PAY_DATA(mon), 1, 0, 0);
	cb_msg_long(c, objs + MON_ARM(mon), (sob / 8) | (mask << 8) | (target << 17), 0, 0);
}

/* The same with MSG_SHORT through the E_N bases (0: monitors, 1: objects). */
static void monitor_short_en(struct cb *c, uint32_t mon, uint32_t sob, uint32_t target, uint64_t addr)
{
	uint32_t mask = 0xFFu & ~(1u << (sob % 8)), o = MON_PAY_ADDRL(0);
	cb_msg_short(c, MSG_SHORT_BASE_EN_MON, MON_PAY_ADDRL(mon) - o, (uint32_t)addr, 0);
	cb_msg_short(c, MSG_SHORT_BASE_EN_MON, MON_PAY_ADDRH(mon) - o, (uint32_t)(addr >> 32), 0);
	cb_msg_short(c, MSG_SHORT_BASE_EN_MON, MON_PAY_DATA(mon) - o, 1, 0);
	cb_msg_short(c, MSG_SHORT_BASE_EN_MON, MON_ARM(mon) - o, (sob / 8) | (mask << 8) | (target << 17), 0);
}

static void sync_manager_info(int fd, uint32_t dcore, uint32_t *sob, uint32_t *mon)
{
	struct hl_info_sync_manager sm;
	struct hl_info_args a;
	memset(&a, 0, sizeof a);
	a.op = HL_INFO_SYNC_MANAGER;
	a.dcore_id = dcore;
	a.return_pointer = (uint64_t)(uintptr_t)&sm;
	a.return_size = sizeof sm;
	CHECK(ioctl(fd, HL_IOCTL_INFO, &a) == 0, "INFO SYNC_MANAGER of dcore %u", dcore);
	*sob = sm.first_available_sync_object;
	*mon = sm.first_available_monitor;
}

int test_sync_ranges(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	uint32_t sob, mon;
	sync_manager_info(fd, HL_GAUDI_EN_DCORE, &sob, &mon);
	CHECK(sob == 0 && mon == 0, "E_N: first available %u/%u, expected 0/0", sob, mon);
	sync_manager_info(fd, HL_GAUDI_WS_DCORE, &sob, &mon);
	CHECK(sob == GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT && mon == GAUDI_FIRST_AVAILABLE_W_S_MONITOR,
	      "W_S: first available %u/%u", sob, mon);

	/* External queue: E_N object 0 and monitor 0 (MSG_SHORT), object 9 and monitor 1 of
	 * E_N (MSG_LONG), each monitor feeding a fence that the CB then waits on. */
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	monitor_short_en(&cb.c, 0, 0, 1, fence_addr(0, 0));
	cb_msg_short(&cb.c, MSG_SHORT_BASE_EN_SOB, 0 * 4, 1u | (1u << 31), 0);
	cb_fence(&cb.c, 0, 1, 1);
	monitor_long(&cb.c, EN_SYNC_OBJS, 1, 9, 2, fence_addr(0, 1));
	cb_msg_long(&cb.c, EN_SYNC_OBJS + SOB_OBJ(9), 2, 0, 0);
	cb_fence(&cb.c, 1, 1, 1);
	/* The first object and monitor W_S leaves to users, as INFO said. */
	monitor_long(&cb.c, WS_SYNC_OBJS, mon, sob, 1, fence_addr(0, 2));
	cb_sob_add(&cb.c, sob, 1, 0);
	cb_fence(&cb.c, 2, 1, 1);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "E_N and W_S user objects on DMA_0_0");

	/* Internal queue: a TPC queue signals E_N object 16 (MSG_SHORT) and W_N object 3 (MSG_LONG);
	 * an external job of the same CS waits for both with an E_N and a W_N monitor. */
	struct pt_cb in, ext;
	pt_cb_new(fd, &in, 4096);
	pt_cb_new(fd, &ext, 4096);
	cb_msg_short(&in.c, MSG_SHORT_BASE_EN_SOB, 16 * 4, 1u | (1u << 31), 0);
	cb_msg_long(&in.c, WN_SYNC_OBJS + SOB_OBJ(3), 1u | (1u << 31), 0, 0);
	monitor_long(&ext.c, EN_SYNC_OBJS, 2, 16, 1, fence_addr(4, 0));
	monitor_long(&ext.c, WN_SYNC_OBJS, 0, 3, 1, fence_addr(4, 1));
	cb_fence(&ext.c, 0, 1, 1);
	cb_fence(&ext.c, 1, 1, 1);
	struct hl_cs_chunk ch[2];
	memset(ch, 0, sizeof ch);
	ch[0].cb_handle = ext.handle;
	ch[0].queue_index = GAUDI_QUEUE_ID_DMA_1_0;
	ch[0].cb_size = ext.c.size;
	ch[1].cb_handle = in.handle;
	ch[1].queue_index = GAUDI_QUEUE_ID_TPC_0_0;
	ch[1].cb_size = in.c.size;
	int64_t seq = pt_submit(fd, ch, 2, 0);
	CHECK(seq > 0, "CS with a TPC job signalling E_N and W_N objects: %lld", (long long)seq);
	CHECK(pt_wait(fd, (uint64_t)seq, 2000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "E_N/W_N objects from TPC_0_0");

	/* The driver's own W_S range is refused by the card (the CS fails), in both forms. */
	cb.c.size = 0;
	cb_sob_add(&cb.c, sob - 1, 1, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &cb) == -EIO, "MSG_SHORT to W_S object %u (the driver's)", sob - 1);
	cb.c.size = 0;
	cb_msg_long(&cb.c, WS_SYNC_OBJS + MON_ARM(mon - 1), 0, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &cb) == -EIO, "MSG_LONG to W_S monitor %u (the driver's)", mon - 1);
	/* ... and the queue works on. */
	cb.c.size = 0;
	cb_msg_long(&cb.c, EN_SYNC_OBJS + SOB_OBJ(100), 5, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "DMA_0_1 after the refusals");
	pt_cb_free(fd, &in);
	pt_cb_free(fd, &ext);
	pt_cb_free(fd, &cb);
	close(fd);
	return 0;
}
