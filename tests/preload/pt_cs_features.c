/* Issue 15 item 5: staged submission, encapsulated signals, collective wait, WAIT_CS on
 * several CSs (MULTI_CS), completion timestamps, and the outcome store for CSs that left the
 * driver's list. */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <unistd.h>

static int64_t submit_ex(int fd, unsigned queue, const struct pt_cb *cb, uint32_t flags, uint64_t seq_in,
                         union hl_cs_args *out)
{
	struct hl_cs_chunk ch;
	memset(&ch, 0, sizeof ch);
	ch.cb_handle = cb->handle;
	ch.queue_index = queue;
	ch.cb_size = cb->c.size;
	memset(out, 0, sizeof *out);
	out->in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	out->in.num_chunks_execute = 1;
	out->in.cs_flags = flags;
	out->in.seq = seq_in;
	if (ioctl(fd, DRM_IOCTL_HL_CS, out))
		return -errno;
	return (int64_t)out->out.seq;
}

static int wait_ex(int fd, uint64_t seq, uint64_t timeout_us, union hl_wait_cs_args *w)
{
	memset(w, 0, sizeof *w);
	w->in.seq = seq;
	w->in.timeout_us = timeout_us;
	if (ioctl(fd, DRM_IOCTL_HL_WAIT_CS, w))
		return -errno;
	return (int)w->out.status;
}

static int wait_multi(int fd, const uint64_t *seqs, unsigned n, uint64_t timeout_us, union hl_wait_cs_args *w)
{
	memset(w, 0, sizeof *w);
	w->in.seq = (uint64_t)(uintptr_t)seqs;
	w->in.seq_arr_len = (uint8_t)n;
	w->in.timeout_us = timeout_us;
	w->in.flags = HL_WAIT_CS_FLAGS_MULTI_CS;
	if (ioctl(fd, DRM_IOCTL_HL_WAIT_CS, w))
		return -errno;
	return (int)w->out.status;
}

/* A CB on `queue` that holds its stream until user sync object `sob` reaches 1 (monitor `mon`). */
static void hold_on(struct pt_cb *cb, unsigned queue, uint32_t mon, uint32_t sob)
{
	cb_monitor(&cb->c, mon, sob, 1, fence_addr(queue, 1));
	cb_fence(&cb->c, 1, 1, 1);
}

static void test_staged(int fd, volatile uint32_t *w, uint64_t d)
{
	struct pt_cb a, b, c, hold, release;
	pt_cb_new(fd, &a, 4096);
	pt_cb_new(fd, &b, 4096);
	pt_cb_new(fd, &c, 4096);
	cb_msg_long(&a.c, d, 1, 0, 0);
	cb_msg_long(&b.c, d + 4, 2, 0, 0);
	cb_msg_long(&c.c, d + 8, 3, 0, 0);
	union hl_cs_args o;
	union hl_wait_cs_args wt;
	const uint32_t S = HL_CS_FLAGS_STAGED_SUBMISSION;
	int64_t first = submit_ex(fd, GAUDI_QUEUE_ID_DMA_0_1, &a, S | HL_CS_FLAGS_STAGED_SUBMISSION_FIRST, 0, &o);
	CHECK(first > 0, "first part");
	while (w[0] != 1)
		usleep(100);
	CHECK(wait_ex(fd, (uint64_t)first, 1000, &wt) == HL_WAIT_CS_STATUS_BUSY, "ran, but a staged CS completes with its last part");
	int64_t mid = submit_ex(fd, GAUDI_QUEUE_ID_DMA_1_0, &b, S, (uint64_t)first, &o);
	CHECK(mid > (int64_t)first, "middle part: its own seq %lld", (long long)mid);
	CHECK(submit_ex(fd, GAUDI_QUEUE_ID_DMA_1_0, &b, S, 999999, &o) == -EINVAL, "no such staged submission");
	int64_t last = submit_ex(fd, GAUDI_QUEUE_ID_DMA_0_0, &c, S | HL_CS_FLAGS_STAGED_SUBMISSION_LAST | HL_CS_FLAGS_TIMESTAMP,
	                         (uint64_t)first, &o);
	CHECK(last > mid, "last part");
	CHECK(wait_ex(fd, (uint64_t)first, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED, "the first part completes");
	CHECK(wait_ex(fd, (uint64_t)mid, 0, &wt) == HL_WAIT_CS_STATUS_COMPLETED, "so does the middle");
	CHECK(wait_ex(fd, (uint64_t)last, 0, &wt) == HL_WAIT_CS_STATUS_COMPLETED &&
	          (wt.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD) && wt.out.timestamp_nsec > 0, "the last, with its time");
	CHECK(w[0] == 1 && w[1] == 2 && w[2] == 3, "all parts ran: %u %u %u", w[0], w[1], w[2]);
	CHECK(submit_ex(fd, GAUDI_QUEUE_ID_DMA_1_0, &b, S, (uint64_t)first, &o) == -EINVAL, "closed by its last part");
	/* A staged part may be internal-only, except the last one. */
	CHECK(cb_usage(fd, a.handle) == 0 && cb_usage(fd, b.handle) == 0, "the parts' jobs are gone");

	/* Encapsulated signals: reserve 3 on DMA_0_0's stream; a staged CS on DMA_0_1, held at a
	 * fence, increments the object three times itself; a WAIT on DMA_1_1 waits for the third. */
	memset(&o, 0, sizeof o);
	o.in.cs_flags = HL_CS_FLAGS_RESERVE_SIGNALS_ONLY;
	o.in.encaps_signals_count = 3;
	o.in.encaps_signals_q_idx = GAUDI_QUEUE_ID_DMA_0_0;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0 && o.out.count == 3 && o.out.handle_id > 0, "reserve");
	union hl_cs_args bad;
	memset(&bad, 0, sizeof bad);
	bad.in.cs_flags = HL_CS_FLAGS_RESERVE_SIGNALS_ONLY;
	bad.in.encaps_signals_q_idx = GAUDI_QUEUE_ID_DMA_0_0;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &bad) == -1 && errno == EINVAL, "reserve 0 signals");
	bad.in.encaps_signals_count = 1u << 20;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &bad) == -1 && errno == EINVAL, "reserve more than an object counts");
	bad.in.encaps_signals_count = 1;
	bad.in.encaps_signals_q_idx = GAUDI_QUEUE_ID_TPC_0_0;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &bad) == -1 && errno == EINVAL, "an internal queue has no sync stream");
	bad.in.cs_flags = HL_CS_FLAGS_RESERVE_SIGNALS_ONLY | HL_CS_FLAGS_SIGNAL;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &bad) == -1 && errno == EINVAL, "two submission types");
	uint32_t handle = o.out.handle_id, sob_off = o.out.sob_base_addr_offset;
	CHECK(sob_off >= 0x491000u + 0x1000u + 128 * 4 && sob_off < 0x491000u + 0x1000u + 144 * 4, "a sync-stream object");
	pt_cb_new(fd, &hold, 4096);
	pt_cb_new(fd, &release, 4096);
	hold_on(&hold, GAUDI_QUEUE_ID_DMA_0_1, 110, 210);
	for (int i = 0; i < 3; i++)
		cb_msg_long(&hold.c, CFG_BASE + sob_off, 1u | (1u << 31), 0, 0); /* += 1 */
	memset(&o, 0, sizeof o);
	struct hl_cs_chunk ch = {.cb_handle = hold.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_1, .cb_size = hold.c.size};
	o.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	o.in.num_chunks_execute = 1;
	o.in.cs_flags = S | HL_CS_FLAGS_STAGED_SUBMISSION_FIRST | HL_CS_FLAGS_STAGED_SUBMISSION_LAST | HL_CS_FLAGS_ENCAP_SIGNALS;
	o.in.encaps_sig_handle_id = handle;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0, "staged CS with the reserved signals");
	uint64_t carrier = o.out.seq;
	CHECK(o.out.sob_base_addr_offset == sob_off, "it names the object");
	struct hl_cs_chunk wc;
	memset(&wc, 0, sizeof wc);
	wc.queue_index = GAUDI_QUEUE_ID_DMA_1_1;
	wc.encaps_signal_seq = carrier;
	wc.encaps_signal_offset = 3;
#define ENCAPS_WAIT_ARGS()                                                    \
	do {                                                                  \
		memset(&o, 0, sizeof o);                                      \
		o.in.chunks_execute = (uint64_t)(uintptr_t)&wc;               \
		o.in.num_chunks_execute = 1;                                  \
		o.in.cs_flags = HL_CS_FLAGS_WAIT | HL_CS_FLAGS_ENCAP_SIGNALS; \
	} while (0)
	ENCAPS_WAIT_ARGS();
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0, "WAIT on the third reserved signal");
	uint64_t waiter = o.out.seq;
	wc.encaps_signal_offset = 4;
	ENCAPS_WAIT_ARGS();
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == -1 && errno == EINVAL, "past the reservation");
	CHECK(wait_ex(fd, waiter, 2000, &wt) == HL_WAIT_CS_STATUS_BUSY, "the WAIT waits");
	cb_sob_add(&release.c, 210, 1, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &release) == HL_WAIT_CS_STATUS_COMPLETED, "release");
	CHECK(wait_ex(fd, waiter, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED, "the WAIT completes");
	CHECK(wait_ex(fd, carrier, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED, "so does the carrier %llu", (unsigned long long)carrier);
	/* Unreserve: only the stream's latest reservation, by a handle that exists. */
	memset(&o, 0, sizeof o);
	o.in.cs_flags = HL_CS_FLAGS_RESERVE_SIGNALS_ONLY;
	o.in.encaps_signals_count = 2;
	o.in.encaps_signals_q_idx = GAUDI_QUEUE_ID_DMA_0_0;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0, "reserve 2 more");
	uint32_t h2 = o.out.handle_id;
	memset(&o, 0, sizeof o);
	o.in.cs_flags = HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY;
	o.in.encaps_sig_handle_id = handle;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == -1 && errno == EINVAL, "not the latest: out of sync");
	o.in.encaps_sig_handle_id = h2;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0, "unreserve the latest");
	memset(&o, 0, sizeof o);
	o.in.cs_flags = HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY;
	o.in.encaps_sig_handle_id = h2;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == -1 && errno == EINVAL, "twice");
	/* A SIGNAL after that continues the stream where the reservation had left it. */
	memset(&o, 0, sizeof o);
	struct hl_cs_chunk sc = {.queue_index = GAUDI_QUEUE_ID_DMA_0_0};
	o.in.chunks_execute = (uint64_t)(uintptr_t)&sc;
	o.in.num_chunks_execute = 1;
	o.in.cs_flags = HL_CS_FLAGS_SIGNAL;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0 && o.out.sob_base_addr_offset == sob_off, "signal");
	uint16_t before = o.out.sob_count_before_submission;
	CHECK(wait_ex(fd, o.out.seq, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED, "signal done");
	CHECK(before >= 3, "the object had counted the reserved signals: %u", before);
	/* The driver's range stays policed: a user CB may touch a stream object only while it
	 * holds signals reserved for that user (DMA_1_0's, reserved then given back). */
	memset(&o, 0, sizeof o);
	o.in.cs_flags = HL_CS_FLAGS_RESERVE_SIGNALS_ONLY;
	o.in.encaps_signals_count = 1;
	o.in.encaps_signals_q_idx = GAUDI_QUEUE_ID_DMA_1_0;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0 && o.out.sob_base_addr_offset != sob_off, "reserve on DMA_1_0");
	uint32_t h3 = o.out.handle_id, sob3 = o.out.sob_base_addr_offset;
	struct pt_cb inc;
	pt_cb_new(fd, &inc, 4096);
	cb_msg_long(&inc.c, CFG_BASE + sob3, 1u | (1u << 31), 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_2, &inc) == HL_WAIT_CS_STATUS_COMPLETED, "the reserved object is the user's");
	memset(&o, 0, sizeof o);
	o.in.cs_flags = HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY;
	o.in.encaps_sig_handle_id = h3;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0, "give it back");
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_2, &inc) == -EIO, "then the same write is a RAZWI");
	inc.c.size = 0;
	cb_msg_long(&inc.c, CFG_BASE + sob3 + 4, 1u | (1u << 31), 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_2, &inc) == -EIO, "and so is its neighbour, never reserved");
	pt_cb_free(fd, &inc);
	pt_cb_free(fd, &a);
	pt_cb_free(fd, &b);
	pt_cb_free(fd, &c);
	pt_cb_free(fd, &hold);
	pt_cb_free(fd, &release);
}

static void test_collective(int fd)
{
	struct pt_cb hold, release;
	pt_cb_new(fd, &hold, 4096);
	pt_cb_new(fd, &release, 4096);
	hold_on(&hold, GAUDI_QUEUE_ID_DMA_0_2, 111, 211);
	cb_sob_add(&release.c, 211, 1, 0);
	CHECK(pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_2, &hold) > 0, "hold DMA_0_2");
	union hl_cs_args o;
	union hl_wait_cs_args wt;
	memset(&o, 0, sizeof o);
	struct hl_cs_chunk sc = {.queue_index = GAUDI_QUEUE_ID_DMA_0_2};
	o.in.chunks_execute = (uint64_t)(uintptr_t)&sc;
	o.in.num_chunks_execute = 1;
	o.in.cs_flags = HL_CS_FLAGS_SIGNAL;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0, "a SIGNAL behind the hold");
	uint64_t sig = o.out.seq;
	struct hl_cs_chunk cc;
	memset(&cc, 0, sizeof cc);
	cc.queue_index = GAUDI_QUEUE_ID_DMA_1_2;
	cc.signal_seq_arr = (uint64_t)(uintptr_t)&sig;
	cc.num_signal_seq_arr = 1;
	cc.collective_engine_id = GAUDI_ENGINE_ID_DMA_5;
#define COLLECTIVE_ARGS()                                               \
	do {                                                            \
		memset(&o, 0, sizeof o);                                \
		o.in.chunks_execute = (uint64_t)(uintptr_t)&cc;        \
		o.in.num_chunks_execute = 1;                            \
		o.in.cs_flags = HL_CS_FLAGS_COLLECTIVE_WAIT;            \
	} while (0)
	COLLECTIVE_ARGS();
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0, "collective wait");
	uint64_t coll = o.out.seq;
	CHECK(wait_ex(fd, coll, 2000, &wt) == HL_WAIT_CS_STATUS_BUSY, "it waits for the signal");
	/* The reduction engine's stream (a slave) is held too: a user CB queued behind the
	 * collective wait on DMA_5_2 runs only after the signal. */
	volatile uint32_t *mark = aligned_alloc(4096, 4096);
	mark[0] = 0;
	uint64_t d_mark = pt_map_host(fd, (void *)mark, 4096);
	struct pt_cb behind, nop;
	pt_cb_new(fd, &behind, 4096);
	pt_cb_new(fd, &nop, 4096);
	cb_msg_long(&behind.c, d_mark, 0x5A, 0, 0);
	cb_nop(&nop.c);
	struct hl_cs_chunk two[2] = {
		{.cb_handle = behind.handle, .queue_index = GAUDI_QUEUE_ID_DMA_5_2, .cb_size = behind.c.size},
		{.cb_handle = nop.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_1, .cb_size = nop.c.size}};
	int64_t behind_seq = pt_submit(fd, two, 2, 0);
	CHECK(behind_seq > 0 && pt_wait(fd, (uint64_t)behind_seq, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED,
	      "a CS with a job behind the slave (its external job completes it)");
	usleep(5000);
	CHECK(mark[0] == 0, "the slave stream is held");
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &release) == HL_WAIT_CS_STATUS_COMPLETED, "release");
	CHECK(wait_ex(fd, coll, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED, "the collective wait completes");
	for (int i = 0; i < 1000 && mark[0] != 0x5A; i++)
		usleep(1000);
	CHECK(mark[0] == 0x5A, "then the slave stream runs on");
	pt_cb_free(fd, &behind);
	pt_cb_free(fd, &nop);
	/* Again on the same master: the group object counts on. */
	COLLECTIVE_ARGS();
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == 0 && wait_ex(fd, o.out.seq, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED,
	      "a second collective wait (signal done already)");
	cc.collective_engine_id = GAUDI_ENGINE_ID_MME_0;
	COLLECTIVE_ARGS();
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == -1 && errno == EINVAL, "MME is not a reduction engine");
	cc.collective_engine_id = GAUDI_ENGINE_ID_TPC_7;
	cc.queue_index = GAUDI_QUEUE_ID_DMA_2_0;
	COLLECTIVE_ARGS();
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &o) == -1 && errno == EINVAL, "an internal queue is no master");
	pt_cb_free(fd, &hold);
	pt_cb_free(fd, &release);
}

static void test_multi_and_outcomes(int fd)
{
	struct pt_cb hold, release, nop;
	pt_cb_new(fd, &hold, 4096);
	pt_cb_new(fd, &release, 4096);
	pt_cb_new(fd, &nop, 4096);
	hold_on(&hold, GAUDI_QUEUE_ID_DMA_0_3, 112, 212);
	cb_sob_add(&release.c, 212, 1, 0);
	cb_nop(&nop.c);
	union hl_cs_args o;
	union hl_wait_cs_args wt;
	uint64_t seqs[3];
	seqs[0] = (uint64_t)submit_ex(fd, GAUDI_QUEUE_ID_DMA_0_3, &hold, 0, 0, &o);
	seqs[1] = (uint64_t)submit_ex(fd, GAUDI_QUEUE_ID_DMA_1_3, &nop, HL_CS_FLAGS_TIMESTAMP, 0, &o);
	CHECK(wait_multi(fd, seqs, 2, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED && wt.out.cs_completion_map == 0x2 &&
	          (wt.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD) && wt.out.timestamp_nsec > 0,
	      "one of two: map 0x%x flags 0x%x", wt.out.cs_completion_map, wt.out.flags);
	CHECK(wait_multi(fd, seqs, 1, 2000, &wt) == HL_WAIT_CS_STATUS_BUSY && wt.out.cs_completion_map == 0, "busy");
	seqs[2] = (uint64_t)submit_ex(fd, GAUDI_QUEUE_ID_DMA_0_0, &release, 0, 0, &o);
	CHECK(pt_wait(fd, seqs[0], 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "held CS done");
	CHECK(wait_multi(fd, seqs, 3, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED && wt.out.cs_completion_map == 0x7,
	      "all three: 0x%x", wt.out.cs_completion_map);
	CHECK(wait_multi(fd, seqs, 0, 0, &wt) == -EINVAL && wait_multi(fd, seqs, 33, 0, &wt) == -EINVAL, "list length");
	CHECK(wait_multi(fd, (const uint64_t *)16, 2, 0, &wt) == -EFAULT, "unreadable list");
	uint64_t zero[2] = {seqs[1], 0};
	CHECK(wait_multi(fd, zero, 2, 0, &wt) == -EINVAL, "sequence 0 in the list");

	/* Timestamps only for CSs that asked for them. */
	int64_t plain = submit_ex(fd, GAUDI_QUEUE_ID_DMA_0_0, &nop, 0, 0, &o);
	CHECK(wait_ex(fd, (uint64_t)plain, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED &&
	          !(wt.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD) && wt.out.timestamp_nsec == 0, "no timestamp");

	/* The outcome store: with driver.max_pending_cs = 16, a CS 40 submissions back has left
	 * the list; WAIT_CS still returns its status and time, once. */
	int64_t old = submit_ex(fd, GAUDI_QUEUE_ID_DMA_0_0, &nop, HL_CS_FLAGS_TIMESTAMP, 0, &o);
	CHECK(wait_ex(fd, (uint64_t)old, 1000000, &wt) == HL_WAIT_CS_STATUS_COMPLETED, "old CS");
	int64_t old_ts = wt.out.timestamp_nsec;
	struct pt_cb bad;
	pt_cb_new(fd, &bad, 4096);
	cb_wreg32(&bad.c, 0x100, 1); /* a protected DMA core register: a RAZWI fails the CS */
	int64_t failed = submit_ex(fd, GAUDI_QUEUE_ID_DMA_1_0, &bad, 0, 0, &o);
	CHECK(failed > 0 && pt_wait(fd, (uint64_t)failed, 1000000, NULL) == -EIO, "failed CS");
	int64_t s = 0;
	for (int i = 0; i < 40; i++)
		s = submit_ex(fd, GAUDI_QUEUE_ID_DMA_0_0 + (i & 1), &nop, 0, 0, &o);
	CHECK(pt_wait(fd, (uint64_t)s, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "40 more");
	const char *list = pt_read_file("/sys/kernel/debug/habanalabs/hl0/command_submission");
	CHECK(list != NULL, "debugfs");
	CHECK(wait_ex(fd, (uint64_t)old, 0, &wt) == HL_WAIT_CS_STATUS_COMPLETED && !(wt.out.flags & HL_WAIT_CS_STATUS_FLAG_GONE) &&
	          wt.out.timestamp_nsec == old_ts, "from the outcome store: flags 0x%x", wt.out.flags);
	CHECK(wait_ex(fd, (uint64_t)old, 0, &wt) == HL_WAIT_CS_STATUS_COMPLETED && (wt.out.flags & HL_WAIT_CS_STATUS_FLAG_GONE),
	      "read once: then gone");
	CHECK(wait_ex(fd, (uint64_t)failed, 0, &wt) == -EIO && wt.out.status == HL_WAIT_CS_STATUS_ABORTED,
	      "a failed CS's outcome too");
	pt_cb_free(fd, &hold);
	pt_cb_free(fd, &release);
	pt_cb_free(fd, &nop);
	pt_cb_free(fd, &bad);
}

int test_cs_features(void)
{
	/* Before the first device access builds the machine: a short list of tracked CSs. */
	setenv("GAUDISIM_SET", "cpu.boot_us=100;driver.max_pending_cs=16", 1);
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	volatile uint32_t *w = aligned_alloc(4096, 4096);
	memset((void *)w, 0, 4096);
	uint64_t d = pt_map_host(fd, (void *)w, 4096);
	test_staged(fd, w, d);
	test_collective(fd);
	test_multi_and_outcomes(fd);
	CHECK(close(fd) == 0, "close");
	return 0;
}
