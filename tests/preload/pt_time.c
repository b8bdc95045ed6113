/* Issue 15 item 7: with GAUDISIM_TIME=wall (the default) simulated time follows the wall
 * clock while the device is idle, so a program that sleeps sees time pass in TIME_SYNC and
 * in completion timestamps. With GAUDISIM_TIME=events (CTest preload.wall_time_events) it
 * does not: simulated time moves only with the device's work. */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <unistd.h>

static uint64_t sim_now(int fd)
{
	struct hl_info_time_sync t;
	CHECK(pt_info(fd, HL_INFO_TIME_SYNC, &t, sizeof t) == 0, "TIME_SYNC");
	return t.host_time;
}

static int64_t run_stamped(int fd, struct pt_cb *cb)
{
	struct hl_cs_chunk ch = {.cb_handle = cb->handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0, .cb_size = cb->c.size};
	int64_t seq = pt_submit(fd, &ch, 1, HL_CS_FLAGS_TIMESTAMP), ts = 0;
	CHECK(seq > 0 && pt_wait(fd, (uint64_t)seq, 1000000, &ts) == HL_WAIT_CS_STATUS_COMPLETED && ts > 0, "stamped CS");
	return ts;
}

int test_wall_time(void)
{
	const char *mode = getenv("GAUDISIM_TIME");
	int wall = !mode || strcmp(mode, "wall") == 0;
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	uint64_t t0 = sim_now(fd);
	usleep(50000);
	uint64_t t1 = sim_now(fd);
	if (wall)
		CHECK(t1 - t0 >= 45000000ull && t1 - t0 < 5000000000ull, "50 ms of sleep: %llu ns simulated",
		      (unsigned long long)(t1 - t0));
	else
		CHECK(t1 - t0 < 1000000ull, "events only: %llu ns simulated", (unsigned long long)(t1 - t0));
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_nop(&cb.c);
	int64_t a = run_stamped(fd, &cb);
	usleep(30000);
	int64_t b = run_stamped(fd, &cb);
	CHECK(wall ? b - a >= 25000000 : b - a < 1000000, "completion times %lld ns apart", (long long)(b - a));
	/* The device's work still takes simulated time of its own, idle or not. */
	CHECK(b > a, "time moves on");
	pt_cb_free(fd, &cb);
	CHECK(close(fd) == 0, "close");
	return 0;
}
