/* A soak of the driver and the card models: a seeded random sequence of ioctls and command
 * buffers, valid, careless and hostile, from a plain habanalabs program (it includes the
 * uAPI header and nothing else of gaudisim; run it under libgaudisim_preload.so), with a
 * health check every N steps (a verified DMA round trip must complete and the device must
 * be operational). It prints iterations, errors by kind, CS outcomes, resets and the growth
 * of the process's resident memory; exit status 1 if a health check failed.
 *
 *   hl_soak [--steps N] [--seed S] [--check-every N] [--card C]
 *
 * The sequence of calls depends only on the seed; outcomes (which CS is still running when
 * WAIT_CS asks) depend on how simulated time moves while the program runs its own code. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "habanalabs.h"

/* GAUDI packet opcodes and the W_S sync manager's user range (public facts). */
enum { OP_WREG_32 = 0x1, OP_MSG_LONG = 0x3, OP_MSG_SHORT = 0x4, OP_FENCE = 0x8, OP_LIN_DMA = 0x9, OP_NOP = 0xA,
       OP_WAIT = 0xC };
#define FIRST_USER_SOB 144u
#define FIRST_USER_MON 72u

static uint64_t g_rng;
static uint64_t rnd(void) /* xorshift64* */
{
	g_rng ^= g_rng >> 12;
	g_rng ^= g_rng << 25;
	g_rng ^= g_rng >> 27;
	return g_rng * 0x2545F4914F6CDD1Dull;
}
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }
static int chance(unsigned percent) { return below(100) < percent; }

struct stats {
	uint64_t steps, ioctls, err[140], cs_submitted, completed, aborted, timed_out, busy, interrupted;
	uint64_t checks, check_failures, reopens, busy_opens, hostile_unmaps;
};
static struct stats st;

#define MAX_CBS 16
#define MAX_HBM 8
#define MAX_HOST 8
#define MAX_SEQ 64
struct cbuf { uint64_t handle; uint8_t *map; uint32_t size; };
struct hbuf { uint8_t *ptr; uint64_t size, dev; int dead; };
struct session {
	int fd;
	struct cbuf cb[MAX_CBS];
	int ncb;
	uint64_t hbm[MAX_HBM], hbm_size[MAX_HBM];
	int nhbm;
	struct hbuf host[MAX_HOST];
	int nhost;
	uint64_t seq[MAX_SEQ];
	unsigned nseq;
};
static struct session s;
static int g_card;

static long io(unsigned long req, void *arg)
{
	st.ioctls++;
	long rc = ioctl(s.fd, req, arg);
	if (rc < 0)
		st.err[errno < 140 ? errno : 0]++;
	return rc;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t ctl(uint32_t op, int eb) { return (op << 24) | ((uint32_t)!!eb << 29) | (1u << 30) | (1u << 31); }

/* A random valid-looking packet into p; returns its size (0: no room). */
static uint32_t random_packet(uint8_t *p, uint32_t room, int hostile)
{
	if (room < 24)
		return 0;
	struct hbuf *h = s.nhost ? &s.host[below(s.nhost)] : NULL;
	uint64_t hbm = s.nhbm ? s.hbm[below(s.nhbm)] : 0;
	switch (below(hostile ? 9 : 6)) { /* 6..8: only in hostile CBs */
	case 0:
		put32(p, 0), put32(p + 4, ctl(OP_NOP, 0));
		return 8;
	case 1: /* MSG_LONG to a host buffer */
		if (!h || h->dead)
			break;
		put32(p, (uint32_t)rnd()), put32(p + 4, ctl(OP_MSG_LONG, 0)), put64(p + 8, h->dev + (below(h->size / 4) * 4));
		return 16;
	case 2: /* LIN_DMA host <-> HBM, or memset of HBM */
	case 3: {
		if (!h || !hbm || h->dead)
			break;
		uint32_t n = 8 + (uint32_t)below(h->size - 8 < 65536 ? h->size - 8 : 65536);
		int to_host = chance(40), memset_ = !to_host && chance(30);
		uint64_t src = memset_ ? rnd() : to_host ? hbm : h->dev, dst = to_host ? h->dev : hbm;
		put32(p, n), put32(p + 4, ctl(OP_LIN_DMA, 0) | (1u << 3) | ((uint32_t)memset_ << 4));
		put64(p + 8, src), put64(p + 16, dst);
		return 24;
	}
	case 4: /* a user sync object += 1 */
		put32(p, 1u | (1u << 31));
		put32(p + 4, ctl(OP_MSG_SHORT, 0) | (3u << 22) | (((FIRST_USER_SOB + (uint32_t)below(64)) * 4) & 0xFFFFu));
		return 8;
	case 5: /* a short WAIT */
		put32(p, (uint32_t)below(2000) << 8 | 1u << 24), put32(p + 4, ctl(OP_WAIT, 0));
		return 8;
	case 6: /* a WREG_32 into the DMA core (some offsets are refused: QMAN error) */
		put32(p, (uint32_t)rnd()), put32(p + 4, ctl(OP_WREG_32, 0) | (uint32_t)(below(0x200) & ~3u));
		return 8;
	case 7: /* a FENCE nobody releases: the watchdog resets the card */
		if (!chance(5))
			break;
		put32(p, 1u | (1u << 16) | (3u << 30)), put32(p + 4, ctl(OP_FENCE, 0));
		return 8;
	default: /* random bytes */
		put64(p, rnd());
		return 8;
	}
	put32(p, 0), put32(p + 4, ctl(OP_NOP, 0));
	return 8;
}

static struct cbuf *some_mapped_cb(void)
{
	for (int tries = 0; tries < 4 && s.ncb; tries++) {
		struct cbuf *c = &s.cb[below(s.ncb)];
		if (c->map)
			return c;
	}
	return NULL;
}

static void cb_create(void)
{
	union hl_cb_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_CB_OP_CREATE;
	uint32_t size = chance(5) ? (chance(50) ? 0 : HL_MAX_CB_SIZE + 1) : 64 + (uint32_t)below(16384);
	a.in.cb_size = size;
	if (s.ncb == MAX_CBS || io(HL_IOCTL_CB, &a)) /* the answer overwrites the request */
		return;
	struct cbuf *c = &s.cb[s.ncb++];
	c->handle = a.out.cb_handle;
	c->size = size;
	c->map = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd, (off_t)c->handle);
	if (c->map == MAP_FAILED)
		c->map = NULL;
}

static void cb_destroy(void)
{
	union hl_cb_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_CB_OP_DESTROY;
	if (!s.ncb || chance(10)) {
		a.in.cb_handle = rnd();
		io(HL_IOCTL_CB, &a);
		return;
	}
	int i = (int)below(s.ncb);
	a.in.cb_handle = s.cb[i].handle;
	io(HL_IOCTL_CB, &a);
	if (s.cb[i].map)
		munmap(s.cb[i].map, s.cb[i].size);
	s.cb[i] = s.cb[--s.ncb];
}

static void remember(uint64_t seq)
{
	s.seq[s.nseq++ % MAX_SEQ] = seq;
	st.cs_submitted++;
}

static void submit(int hostile)
{
	struct cbuf *c = some_mapped_cb();
	if (!c)
		return;
	uint32_t used = 0, want = 8 + (uint32_t)below(c->size < 512 ? c->size : 512);
	while (used < want) {
		uint32_t n = random_packet(c->map + used, c->size - used, hostile);
		if (!n)
			break;
		used += n;
	}
	struct hl_cs_chunk ch[2];
	memset(ch, 0, sizeof ch);
	ch[0].cb_handle = c->handle;
	ch[0].queue_index = hostile && chance(10) ? (uint32_t)below(GAUDI_QUEUE_ID_SIZE + 4) : (uint32_t)below(8);
	ch[0].cb_size = hostile && chance(5) ? (uint32_t)rnd() : used;
	uint32_t n = 1;
	if (s.nhost && chance(15) && !s.host[0].dead) { /* an internal job whose CB is in host memory */
		struct hbuf *h = &s.host[0];
		uint32_t m = 0;
		while (m + 24 <= 256 && m + 24 <= h->size)
			m += random_packet(h->ptr + m, (uint32_t)(h->size - m), 0);
		ch[1] = ch[0];
		ch[0].cb_handle = h->dev;
		ch[0].queue_index = GAUDI_QUEUE_ID_DMA_2_0 + (uint32_t)below(4);
		ch[0].cb_size = m;
		n = 2;
	}
	union hl_cs_args a;
	memset(&a, 0, sizeof a);
	a.in.chunks_execute = (uint64_t)(uintptr_t)ch;
	a.in.num_chunks_execute = n;
	a.in.cs_flags = chance(5) ? HL_CS_FLAGS_TIMESTAMP : 0;
	if (io(HL_IOCTL_CS, &a) == 0)
		remember(a.out.seq);
}

static int wait_cs(uint64_t seq, uint64_t timeout_us)
{
	union hl_wait_cs_args w;
	memset(&w, 0, sizeof w);
	w.in.seq = seq;
	w.in.timeout_us = timeout_us;
	if (io(HL_IOCTL_WAIT_CS, &w) && errno != EIO && errno != ETIMEDOUT && errno != EINTR)
		return -1; /* no status: a bad sequence number */
	switch (w.out.status) {
	case HL_WAIT_CS_STATUS_COMPLETED: st.completed++; break;
	case HL_WAIT_CS_STATUS_BUSY: st.busy++; break;
	case HL_WAIT_CS_STATUS_TIMEDOUT: st.timed_out++; break;
	case HL_WAIT_CS_STATUS_ABORTED: st.aborted++; break;
	case HL_WAIT_CS_STATUS_INTERRUPTED: st.interrupted++; break;
	}
	return (int)w.out.status;
}

static void random_wait(void)
{
	static const uint64_t timeouts[] = {0, 10, 1000, 100000, UINT64_MAX};
	uint64_t seq = s.nseq && !chance(5) ? s.seq[below(s.nseq < MAX_SEQ ? s.nseq : MAX_SEQ)] : rnd() % 100000;
	wait_cs(seq, timeouts[below(5)]);
}

static void memory_op(void)
{
	union hl_mem_args a;
	memset(&a, 0, sizeof a);
	unsigned what = (unsigned)below(6);
	if (what == 0 && s.nhbm < MAX_HBM) {
		uint64_t size = chance(5) ? rnd() : 1 + below(64ull << 20);
		a.in.op = HL_MEM_OP_ALLOC;
		a.in.alloc.mem_size = size;
		if (io(HL_IOCTL_MEMORY, &a) == 0) {
			s.hbm_size[s.nhbm] = size;
			s.hbm[s.nhbm++] = a.out.handle;
		}
	} else if (what == 1 && s.nhbm) {
		int i = (int)below(s.nhbm);
		uint64_t handle = chance(10) ? rnd() : s.hbm[i];
		a.in.op = HL_MEM_OP_FREE;
		a.in.free.handle = handle;
		if (io(HL_IOCTL_MEMORY, &a) == 0 && handle == s.hbm[i]) {
			s.hbm[i] = s.hbm[--s.nhbm];
			s.hbm_size[i] = s.hbm_size[s.nhbm];
		}
	} else if (what == 2 && s.nhost < MAX_HOST) {
		uint64_t size = 4096 * (1 + below(64));
		uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return;
		a.in.op = HL_MEM_OP_MAP;
		a.in.flags = HL_MEM_USERPTR;
		a.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)p;
		a.in.map_host.mem_size = size;
		if (io(HL_IOCTL_MEMORY, &a) == 0)
			s.host[s.nhost++] = (struct hbuf){p, size, a.out.device_virt_addr, 0};
		else
			munmap(p, size);
	} else if (what == 3 && s.nhost) {
		int i = (int)below(s.nhost);
		a.in.op = HL_MEM_OP_UNMAP;
		a.in.unmap.device_virt_addr = s.host[i].dev;
		io(HL_IOCTL_MEMORY, &a);
		if (!s.host[i].dead)
			munmap(s.host[i].ptr, s.host[i].size);
		s.host[i] = s.host[--s.nhost];
	} else if (what == 4 && s.nhost) { /* hostile: the pages go while still mapped to the device */
		struct hbuf *h = &s.host[below(s.nhost)];
		if (!h->dead && h != &s.host[0]) {
			munmap(h->ptr, h->size);
			h->dead = 1;
			st.hostile_unmaps++;
			struct cbuf *c = some_mapped_cb();
			if (c && s.nhbm && c->size >= 24) { /* one DMA into the hole: a device error */
				put32(c->map, 4096), put32(c->map + 4, ctl(OP_LIN_DMA, 0) | (1u << 3));
				put64(c->map + 8, s.hbm[0]), put64(c->map + 16, h->dev);
				struct hl_cs_chunk ch = {.cb_handle = c->handle, .queue_index = 0, .cb_size = 24};
				union hl_cs_args cs;
				memset(&cs, 0, sizeof cs);
				cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
				cs.in.num_chunks_execute = 1;
				if (io(HL_IOCTL_CS, &cs) == 0) {
					remember(cs.out.seq);
					wait_cs(cs.out.seq, 1000000);
				}
			}
		}
	} else {
		a.in.op = (uint32_t)below(8);
		a.in.flags = (uint32_t)rnd();
		a.in.map_host.host_virt_addr = rnd();
		a.in.map_host.mem_size = rnd();
		io(HL_IOCTL_MEMORY, &a);
	}
}

static void info_op(void)
{
	static uint8_t out[4096];
	struct hl_info_args a;
	memset(&a, 0, sizeof a);
	a.op = (uint32_t)below(32);
	a.return_pointer = chance(5) ? rnd() : (uint64_t)(uintptr_t)out;
	a.return_size = (uint32_t)below(sizeof out);
	io(HL_IOCTL_INFO, &a);
}

static void bad_ioctl(void)
{
	union hl_cs_args a;
	memset(&a, 0, sizeof a);
	a.in.chunks_execute = rnd();
	a.in.num_chunks_execute = (uint32_t)below(300);
	unsigned long req = chance(50) ? HL_IOCTL_CS : _IOWR('H', below(16), union hl_cs_args);
	io(req, chance(10) ? (void *)(uintptr_t)rnd() : &a);
}

static int open_device(void)
{
	char path[64];
	snprintf(path, sizeof path, "/dev/accel/accel%d", g_card);
	for (int i = 0; i < 20000; i++) {
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != EBUSY)
			break;
		st.busy_opens++;
		struct timespec t = {0, 1000000L};
		nanosleep(&t, NULL);
	}
	return -1;
}

/* Close with whatever is in flight; the program's own buffers go too (a careless user). */
static void end_session(void)
{
	close(s.fd);
	for (int i = 0; i < s.ncb; i++)
		if (s.cb[i].map)
			munmap(s.cb[i].map, s.cb[i].size);
	for (int i = 0; i < s.nhost; i++)
		if (!s.host[i].dead)
			munmap(s.host[i].ptr, s.host[i].size);
	memset(&s, 0, sizeof s);
	s.fd = -1;
}

/* The health check: a verified host -> HBM -> host round trip must complete. */
static int health_check(void)
{
	enum { N = 65536 };
	static uint8_t *src, *dst;
	if (!src) {
		src = aligned_alloc(4096, N);
		dst = aligned_alloc(4096, N);
	}
	st.checks++;
	int fd = open_device(), ok = 0;
	if (fd < 0)
		return 0;
	int saved = s.fd;
	s.fd = fd;
	for (int i = 0; i < N; i++)
		src[i] = (uint8_t)rnd();
	memset(dst, 0, N);
	union hl_mem_args m;
	memset(&m, 0, sizeof m);
	m.in.op = HL_MEM_OP_ALLOC;
	m.in.alloc.mem_size = N;
	union hl_cb_args c;
	memset(&c, 0, sizeof c);
	c.in.op = HL_CB_OP_CREATE;
	c.in.cb_size = 4096;
	uint64_t hbm = 0, d_src = 0, d_dst = 0;
	if (io(HL_IOCTL_MEMORY, &m) == 0 && (hbm = m.out.handle) && io(HL_IOCTL_CB, &c) == 0) {
		uint8_t *cb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)c.out.cb_handle);
		for (int i = 0; i < 2; i++) {
			memset(&m, 0, sizeof m);
			m.in.op = HL_MEM_OP_MAP;
			m.in.flags = HL_MEM_USERPTR;
			m.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)(i ? dst : src);
			m.in.map_host.mem_size = N;
			if (io(HL_IOCTL_MEMORY, &m) == 0)
				*(i ? &d_dst : &d_src) = m.out.device_virt_addr;
		}
		if (cb != MAP_FAILED && d_src && d_dst) {
			put32(cb, N), put32(cb + 4, ctl(OP_LIN_DMA, 0) | (1u << 3)), put64(cb + 8, d_src), put64(cb + 16, hbm);
			put32(cb + 24, N), put32(cb + 28, ctl(OP_LIN_DMA, 1) | (1u << 3)), put64(cb + 32, hbm), put64(cb + 40, d_dst);
			struct hl_cs_chunk ch = {.cb_handle = c.out.cb_handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0, .cb_size = 48};
			union hl_cs_args cs;
			memset(&cs, 0, sizeof cs);
			cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
			cs.in.num_chunks_execute = 1;
			if (io(HL_IOCTL_CS, &cs) == 0 && wait_cs(cs.out.seq, 10000000) == HL_WAIT_CS_STATUS_COMPLETED)
				ok = memcmp(src, dst, N) == 0;
		}
		if (cb != MAP_FAILED)
			munmap(cb, 4096);
	}
	close(fd);
	s.fd = saved;
	if (!ok)
		st.check_failures++;
	return ok;
}

static long rss_kib(void)
{
	char buf[4096];
	FILE *f = fopen("/proc/self/status", "r");
	long kib = -1;
	while (f && fgets(buf, sizeof buf, f))
		if (!strncmp(buf, "VmRSS:", 6))
			kib = strtol(buf + 6, NULL, 10);
	if (f)
		fclose(f);
	return kib;
}

static uint32_t resets(void)
{
	char path[64];
	snprintf(path, sizeof path, "/dev/accel/accel_controlD%d", g_card);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	struct hl_info_reset_count rc = {0};
	struct hl_info_args a = {.op = HL_INFO_RESET_COUNT, .return_pointer = (uint64_t)(uintptr_t)&rc, .return_size = sizeof rc};
	if (fd >= 0)
		ioctl(fd, HL_IOCTL_INFO, &a), close(fd);
	return rc.hard_reset_cnt;
}

int main(int argc, char **argv)
{
	uint64_t steps = 2000, seed = 1, every = 200;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--steps")) steps = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--check-every")) every = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--card")) g_card = atoi(argv[i + 1]);
		else { fprintf(stderr, "usage: %s [--steps N] [--seed S] [--check-every N] [--card C]\n", argv[0]); return 2; }
	}
	g_rng = seed * 0x9E3779B97F4A7C15ull + 1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!health_check()) {
		fprintf(stderr, "soak: the device does not work before the soak\n");
		return 1;
	}
	long rss0 = rss_kib();
	s.fd = open_device();
	for (st.steps = 0; st.steps < steps; st.steps++) {
		if (s.fd < 0 && (s.fd = open_device()) < 0)
			break;
		switch (below(20)) {
		case 0: case 1: cb_create(); break;
		case 2: cb_destroy(); break;
		case 3: case 4: case 5: case 6: case 7: submit(0); break;
		case 8: case 9: submit(1); break;
		case 10: case 11: case 12: random_wait(); break;
		case 13: case 14: memory_op(); break;
		case 15: info_op(); break;
		case 16: bad_ioctl(); break;
		case 17: if (chance(20)) { end_session(); st.reopens++; } break;
		default: submit(0); break;
		}
		if (every && (st.steps + 1) % every == 0) {
			end_session();
			if (!health_check())
				fprintf(stderr, "soak: health check failed after step %llu\n", (unsigned long long)st.steps + 1);
		}
	}
	if (s.fd >= 0)
		end_session();
	int final_ok = health_check();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long rss1 = rss_kib();
	printf("soak: seed %llu, %llu steps, %llu ioctls, wall %.1f s\n", (unsigned long long)seed,
	       (unsigned long long)st.steps, (unsigned long long)st.ioctls,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("soak: CSs submitted %llu; WAIT_CS saw completed %llu, busy %llu, aborted %llu, timed out %llu, interrupted %llu\n",
	       (unsigned long long)st.cs_submitted, (unsigned long long)st.completed, (unsigned long long)st.busy,
	       (unsigned long long)st.aborted, (unsigned long long)st.timed_out, (unsigned long long)st.interrupted);
	printf("soak: errors:");
	static const struct { int e; const char *n; } names[] = {
		{EINVAL, "EINVAL"}, {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"}, {EIO, "EIO"}, {ETIMEDOUT, "ETIMEDOUT"},
		{EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"}, {ENOTTY, "ENOTTY"}, {EPERM, "EPERM"}, {ENODEV, "ENODEV"}};
	uint64_t named = 0, all = 0;
	for (int e = 0; e < 140; e++)
		all += st.err[e];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		printf(" %s %llu", names[i].n, (unsigned long long)st.err[names[i].e]);
		named += st.err[names[i].e];
	}
	printf(" other %llu\n", (unsigned long long)(all - named));
	printf("soak: resets %u, reopens %llu, opens answered EBUSY %llu, hostile unmaps %llu, health checks %llu (failed %llu)\n",
	       resets(), (unsigned long long)st.reopens, (unsigned long long)st.busy_opens,
	       (unsigned long long)st.hostile_unmaps, (unsigned long long)st.checks, (unsigned long long)st.check_failures);
	printf("soak: RSS %ld -> %ld KiB (%+ld KiB)\n", rss0, rss1, rss1 - rss0);
	return st.check_failures || !final_ok || st.err[ENODEV] ? 1 : 0;
}
