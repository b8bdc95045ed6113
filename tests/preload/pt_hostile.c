/* What a hostile or careless program does, issue 12: a CB the QMAN refuses on an external
 * queue, close with work in flight, DMA through a buffer unmapped after MEMORY MAP. Each
 * ends in a clear error for that program alone; the device stays usable and nothing of one
 * user reaches the next. */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>


static uint32_t reset_count(int fd)
{
	struct hl_info_reset_count rc;
	CHECK(pt_info(fd, HL_INFO_RESET_COUNT, &rc, sizeof rc) == 0, "RESET_COUNT");
	return rc.hard_reset_cnt;
}

static int debugfs_cs_rows(void)
{
	const char *s = pt_read_file("/sys/kernel/debug/habanalabs/hl0/command_submission");
	CHECK(s != NULL, "debugfs command_submission");
	int rows = -1;
	for (; *s; s++)
		rows += *s == '\n';
	return rows;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* A WREG_32 the DMA core's register block refuses (no register at 0x100) stops the stream
 * with CP_WREG_ERR: only that CS fails; the CS queued behind it on the same stream, and the
 * next one, complete; nothing survives close and reopen; no CB reference is left. */
int test_qman_error(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	volatile uint32_t *marks = aligned_alloc(4096, 4096);
	memset((void *)marks, 0, 4096);
	uint64_t d_marks = pt_map_host(fd, (void *)marks, 4096);
	struct pt_cb bad, good, later;
	pt_cb_new(fd, &bad, 4096);
	pt_cb_new(fd, &good, 4096);
	pt_cb_new(fd, &later, 4096);
	cb_nop(&bad.c);
	cb_wreg32(&bad.c, 0x100, 1);
	cb_msg_long(&bad.c, d_marks, 0xBAD, 0, 0); /* never runs: the stream dropped the CB */
	cb_msg_long(&good.c, d_marks + 4, 0x600D, 0, 0);
	cb_msg_long(&later.c, d_marks + 8, 0x1A7E, 0, 0);
	for (int round = 0; round < 3; round++) { /* the queue wraps nothing: the CQ stays in step */
		marks[0] = marks[1] = marks[2] = 0;
		int64_t s_bad = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &bad);
		int64_t s_good = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &good);
		CHECK(s_bad > 0 && s_good > 0, "submissions");
		CHECK(pt_wait(fd, (uint64_t)s_bad, 1000000, NULL) == -EIO, "the faulty CS is aborted");
		union hl_wait_cs_args w;
		memset(&w, 0, sizeof w);
		w.in.seq = (uint64_t)s_bad;
		w.in.timeout_us = 1000000;
		CHECK(ioctl(fd, HL_IOCTL_WAIT_CS, &w) == -1 && errno == EIO && w.out.status == HL_WAIT_CS_STATUS_ABORTED,
		      "status ABORTED");
		CHECK(pt_wait(fd, (uint64_t)s_good, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED,
		      "the CS behind it on the same stream completes (round %d)", round);
		CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &later) == HL_WAIT_CS_STATUS_COMPLETED, "the next CS");
		CHECK(marks[0] == 0 && marks[1] == 0x600D && marks[2] == 0x1A7E, "marks %x %x %x", marks[0], marks[1], marks[2]);
		CHECK(cb_usage(fd, bad.handle) == 0 && cb_usage(fd, good.handle) == 0, "no job holds the CBs");
	}
	CHECK(debugfs_cs_rows() == 0, "no CS in flight");
	CHECK(reset_count(fd) == 0, "no reset");
	struct hl_info_cs_counters cc;
	CHECK(pt_info(fd, HL_INFO_CS_COUNTERS, &cc, sizeof cc) == 0, "counters");
	pt_cb_free(fd, &bad);
	pt_cb_free(fd, &good);
	pt_cb_free(fd, &later);
	CHECK(close(fd) == 0, "close");
	/* A new session on the same card: the stream runs as new. */
	fd = pt_open(0, 0);
	CHECK(fd >= 0, "reopen");
	pt_cb_new(fd, &good, 4096);
	d_marks = pt_map_host(fd, (void *)marks, 4096);
	cb_msg_long(&good.c, d_marks + 12, 0xA6A1, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &good) == HL_WAIT_CS_STATUS_COMPLETED, "after reopen");
	CHECK(marks[3] == 0xA6A1, "ran");
	CHECK(reset_count(fd) == 0, "still no reset");
	pt_cb_free(fd, &good);
	CHECK(close(fd) == 0, "close");
	CHECK(pt_count_dir("/sys/kernel/debug/habanalabs/hl0", "") > 0, "debugfs");
	const char *cbs = pt_read_file("/sys/kernel/debug/habanalabs/hl0/command_buffers");
	CHECK(cbs && !strchr(strchr(cbs, '\n') + 1, '\n'), "no CB left:\n%s", cbs);
	free((void *)marks);
	return 0;
}

/* User A closes while its DMA still writes its HBM: the device answers EBUSY until A's
 * context is gone, then B, given the same HBM, reads zeros, never A's bytes. */
int test_close_in_flight(void)
{
	/* Large enough that the simulator, running beside this thread, cannot finish A's DMA
	 * before close() and the next open() even when this thread is descheduled a while. */
	const uint32_t size = 128u << 20;
	uint8_t *src = malloc(size), *back = malloc(size);
	CHECK(src && back, "buffers");
	memset(src, 0xAB, size);
	int a = pt_open(0, 0);
	CHECK(a >= 0, "open A");
	uint64_t d_src = pt_map_host(a, src, size), hbm_a = pt_alloc(a, size);
	struct pt_cb cb;
	pt_cb_new(a, &cb, 4096);
	cb_lin_dma(&cb.c, d_src, hbm_a, size, 0, 0);
	CHECK(pt_submit1(a, GAUDI_QUEUE_ID_DMA_0_0, &cb) > 0, "A's DMA");
	CHECK(munmap(cb.c.buf, cb.map_size) == 0, "unmap A's CB");
	CHECK(close(a) == 0, "A closes with its DMA in flight");
	CHECK(pt_open(0, 0) == -1 && errno == EBUSY, "the device is busy while A's context lives");
	CHECK(pt_open(0, 1) >= 0, "the control node opens");
	int b = -1;
	for (int i = 0; i < 5000 && b < 0; i++) {
		b = pt_open(0, 0);
		if (b < 0) {
			CHECK(errno == EBUSY, "only EBUSY meanwhile");
			sleep_ms(1);
		}
	}
	CHECK(b >= 0, "B opens once A's context is released");
	uint64_t hbm_b = pt_alloc(b, size), d_back = pt_map_host(b, back, size);
	CHECK(hbm_b == hbm_a, "B got the same HBM");
	memset(back, 0x55, size);
	pt_cb_new(b, &cb, 4096);
	cb_lin_dma(&cb.c, hbm_b, d_back, size, 0, 0);
	CHECK(pt_run1(b, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "B reads its HBM");
	for (uint32_t i = 0; i < size; i += 4093)
		CHECK(back[i] == 0, "B sees byte %u = 0x%x, not zero (A's data leaked?)", i, back[i]);
	CHECK(reset_count(b) == 0, "the device went idle: no reset");
	pt_cb_free(b, &cb);
	CHECK(close(b) == 0, "close B");
	free(src);
	free(back);
	return 0;
}

/* MEMORY MAP of a buffer, munmap, then DMA from and to it and a CB in it: the device reports
 * an error that fails those CSs (or the CS is refused), the program lives, the device works. */
int test_unmapped_dma(void)
{
	int fd = pt_open(1, 0);
	CHECK(fd >= 0, "open");
	const size_t size = 1 << 20;
	uint8_t *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(buf != MAP_FAILED, "mmap");
	memset(buf, 0x3C, size);
	struct cb ic = {buf, 0, 4096};
	cb_nop(&ic);
	uint64_t d_buf = pt_map_host(fd, buf, size), hbm = pt_alloc(fd, size);
	CHECK(munmap(buf, size) == 0, "the program unmaps its buffer");
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_lin_dma(&cb.c, d_buf, hbm, size, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == -EIO, "DMA from the vanished buffer fails the CS");
	cb.c.size = 0;
	cb_lin_dma(&cb.c, hbm, d_buf, size, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &cb) == -EIO, "DMA to it fails the CS");
	/* A CB in the vanished buffer, on an internal queue: the parser cannot read it. */
	struct hl_cs_chunk ch[2];
	memset(ch, 0, sizeof ch);
	ch[0].cb_handle = d_buf;
	ch[0].queue_index = GAUDI_QUEUE_ID_DMA_2_0;
	ch[0].cb_size = 8;
	cb.c.size = 0;
	cb_nop(&cb.c);
	ch[1].cb_handle = cb.handle;
	ch[1].queue_index = GAUDI_QUEUE_ID_DMA_0_2;
	ch[1].cb_size = cb.c.size;
	CHECK(pt_submit(fd, ch, 2, 0) == -EFAULT, "a CB in unmapped memory");
	/* The device is fine, and the same buffer address works again once it is mapped. */
	uint8_t *again = mmap(buf, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(again == buf, "map the range again");
	cb.c.size = 0;
	cb_lin_dma(&cb.c, 0x7777777777777777ull, d_buf, 4096, 1, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "a good CS");
	CHECK(buf[0] == 0x77 && buf[4095] == 0x77 && buf[4096] == 0, "data arrived");
	struct hl_info_device_status ds;
	CHECK(pt_info(fd, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0 && ds.status == HL_DEVICE_STATUS_OPERATIONAL, "status");
	CHECK(reset_count(fd) == 0, "no reset");
	pt_cb_free(fd, &cb);
	close(fd);
	munmap(buf, size);
	return 0;
}
