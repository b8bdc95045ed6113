/* Many submissions: 64 in flight, completion-queue wrap-around, 8 threads at once. */
#include "pt_common.h"

#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

int test_in_flight(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	enum { kInFlight = 64, kBatches = 70 };  /* 4480 CSs: past the 4096 completion entries */
	uint32_t *slots = aligned_alloc(4096, 4096);
	memset(slots, 0xFF, 4096);
	uint64_t d = pt_map_host(fd, slots, 4096);
	struct pt_cb cbs[kInFlight];
	for (int k = 0; k < kInFlight; k++)
		pt_cb_new(fd, &cbs[k], 4096);
	/* The first batch queues up behind a fence on each queue (monitors 100..103 watch sync
	 * object 180), so all 64 are surely in flight before a job on DMA_1_0 releases them. */
	struct pt_cb hold[4], release;
	pt_cb_new(fd, &release, 4096);
	cb_sob_add(&release.c, 180, 1, 0);
	for (int q = 0; q < 4; q++) {
		pt_cb_new(fd, &hold[q], 4096);
		cb_monitor(&hold[q].c, 100 + q, 180, 1, fence_addr(GAUDI_QUEUE_ID_DMA_0_0 + q, 0));
		cb_fence(&hold[q].c, 0, 1, 1);
		CHECK(pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0 + q, &hold[q]) > 0, "hold queue %d", q);
	}
	uint64_t first = 0;
	for (int b = 0; b < kBatches; b++) {
		int64_t seqs[kInFlight];
		/* The driver copies a CB at submission: rewriting it for the next batch is safe. */
		for (int k = 0; k < kInFlight; k++) {
			cbs[k].c.size = 0;
			cb_msg_long(&cbs[k].c, d + 4 * k, (uint32_t)(b * kInFlight + k), 0, 0);
			seqs[k] = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0 + k % 4, &cbs[k]);
			CHECK(seqs[k] > 0, "submission %d of batch %d", k, b);
		}
		if (!first)
			first = (uint64_t)seqs[0];
		if (b == 0) {
			for (int k = 0; k < kInFlight; k++)
				CHECK(pt_wait(fd, (uint64_t)seqs[k], 0, NULL) == HL_WAIT_CS_STATUS_BUSY, "CS %d in flight", k);
			CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_1_0, &release) == HL_WAIT_CS_STATUS_COMPLETED, "release");
		}
		for (int k = kInFlight - 1; k >= 0; k--)
			CHECK(pt_wait(fd, (uint64_t)seqs[k], 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "CS %d of batch %d", k, b);
		for (int k = 0; k < kInFlight; k++)
			CHECK(slots[k] == (uint32_t)(b * kInFlight + k), "slot %d after batch %d: %u", k, b, slots[k]);
	}
	/* The first CS is long forgotten: WAIT_CS still reports it completed. */
	union hl_wait_cs_args w = {0};
	w.in.seq = first;
	w.in.timeout_us = 1000;
	CHECK(ioctl(fd, HL_IOCTL_WAIT_CS, &w) == 0 && w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
	          (w.out.flags & HL_WAIT_CS_STATUS_FLAG_GONE), "the first CS, long gone");
	for (int k = 0; k < kInFlight; k++)
		pt_cb_free(fd, &cbs[k]);
	for (int q = 0; q < 4; q++)
		pt_cb_free(fd, &hold[q]);
	pt_cb_free(fd, &release);
	close(fd);
	free(slots);
	return 0;
}

enum { kThreads = 8, kRounds = 150 };

struct worker {
	int fd, index;
	volatile uint32_t *slot;
	uint64_t dev_slot;
	int done;
};

/* Each thread owns a queue, a CB and a word of a shared buffer: submissions from all eight
 * interleave in the driver, each thread's stay in its own order. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pt_cb cb;
	pt_cb_new(w->fd, &cb, 4096);
	struct hl_info_device_status ds;
	for (int i = 1; i <= kRounds; i++) {
		cb.c.size = 0;
		cb_msg_long(&cb.c, w->dev_slot, (uint32_t)(w->index << 16 | i), 0, 0);
		CHECK(pt_run1(w->fd, (unsigned)w->index, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "thread %d round %d", w->index, i);
		CHECK(*w->slot == (uint32_t)(w->index << 16 | i), "thread %d sees its write of round %d", w->index, i);
		if (i % 25 == 0)
			CHECK(pt_info(w->fd, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0, "INFO from thread %d", w->index);
	}
	pt_cb_free(w->fd, &cb);
	w->done = 1;
	return NULL;
}

int test_threads(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	uint32_t *slots = aligned_alloc(4096, 4096);
	memset(slots, 0, 4096);
	uint64_t d = pt_map_host(fd, slots, 4096);
	pthread_t tid[kThreads];
	struct worker w[kThreads];
	for (int t = 0; t < kThreads; t++) {
		w[t] = (struct worker){fd, t, &slots[t * 16], d + 64 * (uint64_t)t, 0};
		CHECK(pthread_create(&tid[t], NULL, worker_main, &w[t]) == 0, "thread %d", t);
	}
	for (int t = 0; t < kThreads; t++)
		CHECK(pthread_join(tid[t], NULL) == 0 && w[t].done, "thread %d finished", t);
	struct hl_info_cs_counters cc;
	CHECK(pt_info(fd, HL_INFO_CS_COUNTERS, &cc, sizeof cc) == 0 && cc.ctx_queue_full_drop_cnt == 0 &&
	          cc.ctx_parsing_drop_cnt == 0, "no submission dropped");
	close(fd);
	free(slots);
	return 0;
}
