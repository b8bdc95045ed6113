/* WAIT_CS with huge timeouts and under signals, and memory: DMA of zeros and memsets must
 * not cost the simulator's host RAM (issue 12, items 4 and 5). */
#include "pt_common.h"

#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_signals;

static void on_signal(int sig)
{
	(void)sig;
	g_signals++;
}

static void set_handler(int restart)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
}

struct kicker {
	pthread_t target;
	int fd;
	struct pt_cb *release; /* submitted after the signal, or NULL */
	pthread_barrier_t ready;
	volatile int waited;   /* the target's WAIT_CS returned */
};

static void *kick(void *arg)
{
	struct kicker *k = arg;
	/* A call first: from then on this thread counts as a program thread that works, so
	 * simulated time follows wall time while it sleeps (docs/preload.md, pacing) instead of
	 * jumping to the watchdog's deadline. */
	struct hl_info_device_status ds;
	CHECK(pt_info(k->fd, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0, "a call from the kicker");
	pthread_barrier_wait(&k->ready);
	struct timespec t = {0, 30 * 1000000L};
	/* A signal that lands before the target is inside WAIT_CS only runs the handler (as on
	 * Linux): signal again until the wait has returned. */
	for (int i = 0; i < 300 && !k->waited; i++) {
		nanosleep(&t, NULL);
		if (!k->waited)
			pthread_kill(k->target, SIGUSR1);
		if (k->release && i == 0) {
			nanosleep(&t, NULL);
			CHECK(pt_submit1(k->fd, GAUDI_QUEUE_ID_DMA_0_1, k->release) > 0, "release the fence");
		}
	}
	return NULL;
}

static int wait_raw(int fd, uint64_t seq, uint64_t timeout_us, uint32_t *status)
{
	union hl_wait_cs_args w;
	memset(&w, 0, sizeof w);
	w.in.seq = seq;
	w.in.timeout_us = timeout_us;
	int rc = ioctl(fd, HL_IOCTL_WAIT_CS, &w);
	*status = w.out.status;
	return rc;
}

int test_wait_cs(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	/* Huge timeouts wait, they do not wrap to "expired": a 4 MiB host -> HBM copy takes
	 * simulated time, and WAIT_CS sees it complete. */
	const uint32_t size = 4u << 20;
	uint8_t *src = calloc(1, size);
	uint64_t d_src = pt_map_host(fd, src, size), hbm = pt_alloc(fd, size);
	struct pt_cb dma, fence, arm, sob;
	pt_cb_new(fd, &dma, 4096);
	cb_lin_dma(&dma.c, d_src, hbm, size, 0, 0);
	const uint64_t huge[] = {UINT64_MAX, UINT64_MAX / 1000 + 1, UINT64_MAX / 1000, 1ull << 60};
	for (unsigned i = 0; i < 4; i++) {
		int64_t seq = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &dma);
		uint32_t st = 0;
		CHECK(seq > 0 && wait_raw(fd, (uint64_t)seq, huge[i], &st) == 0 && st == HL_WAIT_CS_STATUS_COMPLETED,
		      "timeout %llu: status %u", (unsigned long long)huge[i], st);
	}
	/* A signal ends a blocked WAIT_CS with EINTR and status INTERRUPTED (handler without
	 * SA_RESTART). The queue's fence 1 is released by monitor 80 once sync object 200 is set. */
	pt_cb_new(fd, &fence, 4096);
	pt_cb_new(fd, &arm, 4096);
	pt_cb_new(fd, &sob, 4096);
	cb_fence(&fence.c, 1, 1, 1);
	cb_monitor(&arm.c, 80, 200, 1, fence_addr(GAUDI_QUEUE_ID_DMA_0_0, 1));
	cb_sob_add(&sob.c, 200, 1, 0);
	for (int restart = 0; restart < 2; restart++) {
		set_handler(restart);
		CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &arm) == HL_WAIT_CS_STATUS_COMPLETED, "arm the monitor");
		struct kicker k;
		memset(&k, 0, sizeof k);
		k.target = pthread_self();
		k.fd = fd;
		k.release = restart ? &sob : NULL;
		pthread_barrier_init(&k.ready, NULL, 2);
		pthread_t t;
		int before = g_signals;
		CHECK(pthread_create(&t, NULL, kick, &k) == 0, "thread");
		pthread_barrier_wait(&k.ready); /* the kicker is a working program thread now */
		int64_t seq = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &fence);
		CHECK(seq > 0, "the fenced CS");
		uint32_t st = 0;
		int rc = wait_raw(fd, (uint64_t)seq, UINT64_MAX, &st);
		int err = errno;
		k.waited = 1;
		pthread_join(t, NULL);
		pthread_barrier_destroy(&k.ready);
		CHECK(g_signals > before, "the handler ran");
		if (!restart) {
			CHECK(rc == -1 && err == EINTR && st == HL_WAIT_CS_STATUS_INTERRUPTED, "rc %d errno %d status %u", rc, err, st);
			CHECK(pt_wait(fd, (uint64_t)seq, 0, NULL) == HL_WAIT_CS_STATUS_BUSY, "the CS itself goes on");
			CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &sob) == HL_WAIT_CS_STATUS_COMPLETED, "release");
		} else {
			/* SA_RESTART: the wait goes on past the handler, as the kernel restarts the ioctl. */
			CHECK(rc == 0 && st == HL_WAIT_CS_STATUS_COMPLETED, "restarted wait: rc %d errno %d status %u", rc, err, st);
		}
		CHECK(pt_wait(fd, (uint64_t)seq, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "the fenced CS completes");
		/* sync object 200 back to 0 for the next round */
		struct pt_cb clr;
		pt_cb_new(fd, &clr, 4096);
		cb_msg_short(&clr.c, MSG_SHORT_BASE_WS_SOB, 200 * 4, 0, 0);
		CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &clr) == HL_WAIT_CS_STATUS_COMPLETED, "clear");
		pt_cb_free(fd, &clr);
	}
	signal(SIGUSR1, SIG_DFL);
	pt_cb_free(fd, &dma);
	pt_cb_free(fd, &fence);
	pt_cb_free(fd, &arm);
	pt_cb_free(fd, &sob);
	close(fd);
	free(src);
	return 0;
}

static long rss_kib(void)
{
	const char *s = pt_read_file("/proc/self/status");
	CHECK(s != NULL, "/proc/self/status");
	const char *p = strstr(s, "VmRSS:");
	CHECK(p != NULL, "VmRSS");
	return strtol(p + 6, NULL, 10);
}

/* 256 MiB of zeros DMAed from the host into HBM and 1 GiB of HBM memset to a pattern cost the
 * simulator no host RAM for those pages; the bytes read back right. */
int test_zero_pages(void)
{
	int fd = pt_open(1, 0);
	CHECK(fd >= 0, "open");
	const uint64_t zeros = 256ull << 20, pattern = 1ull << 30;
	uint8_t *src = calloc(1, zeros), *back = malloc(8192);
	CHECK(src && back, "buffers");
	uint64_t d_src = pt_map_host(fd, src, zeros), d_back = pt_map_host(fd, back, 8192);
	uint64_t hbm = pt_alloc(fd, pattern);
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_lin_dma(&cb.c, d_src, d_back, 8192, 0, 0); /* warm up: the DMA engines' buffers exist */
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "warm up");
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "warm up");
	long before = rss_kib();
	cb.c.size = 0;
	cb_lin_dma(&cb.c, 0x5A5A5A5A5A5A5A5Aull, hbm, (uint32_t)pattern, 1, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "memset 1 GiB");
	cb.c.size = 0;
	cb_lin_dma(&cb.c, d_src, hbm + 4096, (uint32_t)zeros, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "256 MiB of zeros");
	long grown = rss_kib() - before;
	CHECK(grown < 32 * 1024, "the simulator grew by %ld KiB", grown);
	cb.c.size = 0;
	cb_lin_dma(&cb.c, hbm, d_back, 8192, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "read back");
	CHECK(back[0] == 0x5A && back[4095] == 0x5A && back[4096] == 0 && back[8191] == 0, "bytes %x %x %x %x", back[0],
	      back[4095], back[4096], back[8191]);
	pt_cb_free(fd, &cb);
	close(fd);
	free(src);
	free(back);
	return 0;
}
