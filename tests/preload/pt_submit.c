/* Command buffers and submissions on the host-facing DMA queues, with the data checked in
 * the program's own buffers; sync objects, monitors and the SIGNAL/WAIT submission types. */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int test_cb_mmap(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	const uint32_t sizes[] = {1, 100, 4095, 4097, 65535, HL_MAX_CB_SIZE};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct pt_cb cb;
		pt_cb_new(fd, &cb, sizes[i]);  /* mmap with the odd size itself */
		memset(cb.c.buf, 0, sizes[i]);  /* all of it is writable */
		while (cb.c.size + 8 <= sizes[i] && cb.c.size < 4096)
			cb_nop(&cb.c);
		if (cb.c.size)
			CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "NOPs of a %u-byte CB", sizes[i]);
		union hl_cb_args a = {0};
		a.in.op = HL_CB_OP_INFO;
		a.in.cb_handle = cb.handle;
		CHECK(ioctl(fd, HL_IOCTL_CB, &a) == 0 && a.out.usage_cnt == 0, "CB info: no job uses it");
		uint32_t rounded = (sizes[i] + 4095) & ~4095u;
		CHECK(mmap(NULL, rounded + 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)cb.handle) == MAP_FAILED &&
		          errno == EINVAL, "a mapping larger than the CB");
		CHECK(mmap(NULL, sizes[i], PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)cb.handle) == MAP_FAILED &&
		          errno == EINVAL, "a CB is mapped once at a time");
		pt_cb_free(fd, &cb);
	}
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)0x4000000000777000ull) == MAP_FAILED && errno == EINVAL,
	      "mmap of an unknown handle");
	union hl_cb_args a = {0};
	a.in.op = HL_CB_OP_CREATE;
	a.in.cb_size = HL_MAX_CB_SIZE + 1;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_CB, &a), EINVAL);
	a.in.cb_size = 0;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_CB, &a), EINVAL);

	/* A destroyed CB lives on while mapped, as a VMA keeps it on Linux. */
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 8192);
	pt_cb_destroy(fd, cb.handle);
	cb_nop(&cb.c);
	const char *list = pt_read_file("/sys/kernel/debug/habanalabs/hl0/command_buffers");
	CHECK(list && strstr(list, "yes      yes"), "debugfs shows it mapped and destroyed:\n%s", list);
	CHECK(munmap(cb.c.buf, 8192) == 0, "munmap");
	list = pt_read_file("/sys/kernel/debug/habanalabs/hl0/command_buffers");
	CHECK(list && !strchr(strchr(list, '\n') + 1, '\n'), "no CB left:\n%s", list);
	close(fd);
	return 0;
}

int test_packets(void)
{
	int fd = pt_open(1, 0);  /* the second card */
	CHECK(fd >= 0, "open");
	const uint32_t size = 1 << 20;
	uint8_t *mem = malloc(3 * size + 64);
	uint8_t *src = mem + 3, *dst = mem + size + 17, *msg = mem + 2 * size + 40;  /* odd alignments */
	for (uint32_t i = 0; i < size; i++)
		src[i] = (uint8_t)(i * 131 + 7);
	memset(dst, 0, size);
	memset(msg, 0, 16);
	uint64_t d_src = pt_map_host(fd, src, size), d_dst = pt_map_host(fd, dst, size), d_msg = pt_map_host(fd, msg, 16);
	uint64_t hbm = pt_alloc(fd, size);
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);

	cb_nop(&cb.c);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "NOP");
	cb.c.size = 0;
	cb_msg_long(&cb.c, d_msg, 0xC0FFEE, 0, 0);
	cb_msg_long(&cb.c, d_msg + 4, 0, 1, 0);
	int64_t ts = 0;
	struct hl_cs_chunk ts_chunk = {.cb_handle = cb.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_1, .cb_size = cb.c.size};
	int64_t seq = pt_submit(fd, &ts_chunk, 1, HL_CS_FLAGS_TIMESTAMP);  /* WAIT_CS reports the time only then */
	CHECK(seq > 0 && pt_wait(fd, (uint64_t)seq, 1000000, &ts) == HL_WAIT_CS_STATUS_COMPLETED, "MSG_LONG");
	uint32_t words[2];
	memcpy(words, msg, 8);
	CHECK(words[0] == 0xC0FFEE && words[1] > 0, "MSG_LONG wrote 0x%x and a timestamp %u into the program's buffer",
	      words[0], words[1]);
	CHECK(ts > 0, "WAIT_CS gives the completion time");
	const unsigned queues[] = {GAUDI_QUEUE_ID_DMA_0_2, GAUDI_QUEUE_ID_DMA_1_3};
	for (int q = 0; q < 2; q++) {
		memset(dst, 0, size);
		cb.c.size = 0;
		cb_lin_dma(&cb.c, d_src, hbm, size, 0, 0);
		cb_lin_dma(&cb.c, hbm, d_dst, size, 0, 1);
		CHECK(pt_run1(fd, queues[q], &cb) == HL_WAIT_CS_STATUS_COMPLETED, "LIN_DMA on queue %u", queues[q]);
		CHECK(memcmp(src, dst, size) == 0, "host -> HBM -> host copy on queue %u", queues[q]);
	}
	cb.c.size = 0;
	uint64_t pattern = 0x5A5A5A5A5A5A5A5Aull;
	cb_lin_dma(&cb.c, pattern, d_dst + 1000, 3000, 1, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_1_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "memset");
	for (int i = 0; i < 3000; i++)
		CHECK(dst[1000 + i] == 0x5A, "memset byte %d", i);
	CHECK(dst[999] == src[999] && dst[4000] == src[4000], "memset stays in its range");

	/* An internal queue (DMA 2) runs a CB from the program's memory by device address,
	 * next to an external job that completes the CS. */
	uint64_t *icb = aligned_alloc(4096, 4096);
	struct cb ic = {(uint8_t *)icb, 0, 4096};
	cb_nop(&ic);
	uint64_t d_icb = pt_map_host(fd, icb, 4096);
	struct hl_cs_chunk ch[2];
	memset(ch, 0, sizeof ch);
	ch[0].cb_handle = d_icb;
	ch[0].queue_index = GAUDI_QUEUE_ID_DMA_2_0;
	ch[0].cb_size = ic.size;
	cb.c.size = 0;
	cb_nop(&cb.c);
	ch[1].cb_handle = cb.handle;
	ch[1].queue_index = GAUDI_QUEUE_ID_DMA_0_3;
	ch[1].cb_size = cb.c.size;
	seq = pt_submit(fd, ch, 2, 0);
	CHECK(seq > 0 && pt_wait(fd, (uint64_t)seq, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "internal + external");
	pt_cb_free(fd, &cb);
	close(fd);
	free(mem);
	free(icb);
	return 0;
}

static int64_t submit_sync(int fd, unsigned queue, uint32_t flags, const uint64_t *signal_seq, uint32_t *sob_offset)
{
	struct hl_cs_chunk ch;
	memset(&ch, 0, sizeof ch);
	ch.queue_index = queue;
	if (signal_seq) {
		ch.signal_seq_arr = (uint64_t)(uintptr_t)signal_seq;
		ch.num_signal_seq_arr = 1;
	}
	union hl_cs_args a;
	memset(&a, 0, sizeof a);
	a.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	a.in.num_chunks_execute = 1;
	a.in.cs_flags = flags;
	if (ioctl(fd, HL_IOCTL_CS, &a))
		return -errno;
	if (sob_offset)
		*sob_offset = a.out.sob_base_addr_offset;
	return (int64_t)a.out.seq;
}

int test_sync(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	uint32_t *stamps = aligned_alloc(64, 64);
	memset(stamps, 0, 64);
	uint64_t d = pt_map_host(fd, stamps, 64);

	/* One CS, two queues: DMA_0_1 fences until DMA_0_0 signals sync object 150 after a
	 * delay; the monitor (80) feeds DMA_0_1's fence. */
	struct pt_cb waiter, signaller;
	pt_cb_new(fd, &waiter, 4096);
	pt_cb_new(fd, &signaller, 4096);
	cb_fence(&waiter.c, 0, 1, 1);
	cb_msg_long(&waiter.c, d + 4, 0, 1, 0);
	cb_monitor(&signaller.c, 80, 150, 1, fence_addr(GAUDI_QUEUE_ID_DMA_0_1, 0));
	for (int i = 0; i < 200; i++)
		cb_nop(&signaller.c);
	cb_msg_long(&signaller.c, d, 0, 1, 0);
	cb_sob_add(&signaller.c, 150, 1, 0);
	struct hl_cs_chunk ch[2];
	memset(ch, 0, sizeof ch);
	ch[0] = (struct hl_cs_chunk){.cb_handle = waiter.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_1, .cb_size = waiter.c.size};
	ch[1] = (struct hl_cs_chunk){.cb_handle = signaller.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0, .cb_size = signaller.c.size};
	int64_t seq = pt_submit(fd, ch, 2, 0);
	CHECK(seq > 0 && pt_wait(fd, (uint64_t)seq, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "signal and fence");
	CHECK(stamps[1] > stamps[0] && stamps[0] > 0, "the fence released after the signal (%u, %u)", stamps[0], stamps[1]);

	/* SIGNAL / WAIT: the driver writes the CBs. DMA_0_3 is held at a fence (user monitor 90
	 * on object 160) so that its SIGNAL, and the WAIT on DMA_1_1, stay pending. */
	struct pt_cb hold, release;
	pt_cb_new(fd, &hold, 4096);
	pt_cb_new(fd, &release, 4096);
	cb_monitor(&hold.c, 90, 160, 1, fence_addr(GAUDI_QUEUE_ID_DMA_0_3, 0));
	cb_fence(&hold.c, 0, 1, 1);
	cb_msg_long(&release.c, d + 8, 0, 1, 0);
	cb_sob_add(&release.c, 160, 1, 1);
	int64_t held = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_3, &hold);
	uint32_t sob_offset = 0;
	int64_t sig = submit_sync(fd, GAUDI_QUEUE_ID_DMA_0_3, HL_CS_FLAGS_SIGNAL, NULL, &sob_offset);
	CHECK(held > 0 && sig > 0, "hold %lld, signal %lld", (long long)held, (long long)sig);
	CHECK(sob_offset >= 0x491000u + 0x1000u + 128 * 4 && sob_offset < 0x491000u + 0x1000u + 144 * 4,
	      "the signal's sync object 0x%x is one of the driver's", sob_offset);
	uint64_t sig_seq = (uint64_t)sig;
	int64_t wait = submit_sync(fd, GAUDI_QUEUE_ID_DMA_1_1, HL_CS_FLAGS_WAIT | HL_CS_FLAGS_TIMESTAMP, &sig_seq, NULL);
	CHECK(wait > 0, "WAIT submitted (%lld)", (long long)wait);
	CHECK(pt_wait(fd, (uint64_t)wait, 0, NULL) == HL_WAIT_CS_STATUS_BUSY, "the WAIT waits");
	int64_t ts_wait = 0;
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &release) == HL_WAIT_CS_STATUS_COMPLETED, "release");
	CHECK(pt_wait(fd, (uint64_t)wait, 1000000, &ts_wait) == HL_WAIT_CS_STATUS_COMPLETED, "the WAIT completes");
	CHECK(pt_wait(fd, (uint64_t)sig, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "the SIGNAL completed");
	CHECK((uint32_t)ts_wait > stamps[2], "WAIT completed after the release (%u > %u)", (uint32_t)ts_wait, stamps[2]);
	/* A WAIT on a signal that already happened completes at once. */
	wait = submit_sync(fd, GAUDI_QUEUE_ID_DMA_1_2, HL_CS_FLAGS_WAIT, &sig_seq, NULL);
	CHECK(wait > 0 && pt_wait(fd, (uint64_t)wait, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "late WAIT");
	/* What the driver refuses. */
	uint64_t not_signal = (uint64_t)held, future = 1u << 30;
	CHECK(submit_sync(fd, GAUDI_QUEUE_ID_DMA_1_1, HL_CS_FLAGS_WAIT, &not_signal, NULL) == -EINVAL, "WAIT on a normal CS");
	CHECK(submit_sync(fd, GAUDI_QUEUE_ID_DMA_1_1, HL_CS_FLAGS_WAIT, &future, NULL) == -EINVAL, "WAIT on no CS");
	CHECK(submit_sync(fd, GAUDI_QUEUE_ID_DMA_2_0, HL_CS_FLAGS_SIGNAL, NULL, NULL) == -EINVAL, "SIGNAL on an internal queue");
	CHECK(submit_sync(fd, GAUDI_QUEUE_ID_DMA_0_0, HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT, &sig_seq, NULL) == -EINVAL,
	      "SIGNAL and WAIT at once");
	CHECK(submit_sync(fd, GAUDI_QUEUE_ID_DMA_0_0, HL_CS_FLAGS_WAIT, (const uint64_t *)16, NULL) == -EFAULT,
	      "unreadable signal array");
	pt_cb_free(fd, &waiter);
	pt_cb_free(fd, &signaller);
	pt_cb_free(fd, &hold);
	pt_cb_free(fd, &release);
	close(fd);
	free(stamps);
	return 0;
}
