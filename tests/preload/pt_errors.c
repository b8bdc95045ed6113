/* Bad arguments get the real driver's errno and leave the device usable; nothing leaks. */
#include "pt_common.h"

#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

static void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED && munmap(p, 4096) == 0, "an unmapped page");
	return p;
}

static int64_t submit_chunk(int fd, unsigned queue, uint64_t handle, uint32_t size)
{
	struct hl_cs_chunk ch;
	memset(&ch, 0, sizeof ch);
	ch.cb_handle = handle;
	ch.queue_index = queue;
	ch.cb_size = size;
	return pt_submit(fd, &ch, 1, 0);
}

int test_bad_args(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	struct hl_info_device_status ds;
	struct hl_info_args info = {0};
	info.op = HL_INFO_DEVICE_STATUS;
	info.return_pointer = (uint64_t)(uintptr_t)&ds;
	info.return_size = sizeof ds;
	/* Request codes: an unknown number, another driver's type, a terminal request. */
	CHECK_ERRNO(ioctl(fd, _IOWR('H', 0x7E, struct hl_info_args), &info), ENOTTY);
	CHECK_ERRNO(ioctl(fd, _IOWR('Q', 0x01, struct hl_info_args), &info), ENOTTY);
	struct termios tio;
	CHECK_ERRNO(ioctl(fd, TCGETS, &tio), ENOTTY);
	CHECK(!isatty(fd), "not a terminal");
	/* A shorter argument (older user space): the rest reads as zero, so return_size is 0. */
	CHECK_ERRNO(ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, 'H', 0x01, 8), &info), EINVAL);
	/* Unmapped memory anywhere the driver copies from or to: EFAULT. */
	void *hole = unmapped_page();
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_INFO, hole), EFAULT);
	info.return_pointer = (uint64_t)(uintptr_t)hole;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_INFO, &info), EFAULT);
	union hl_cs_args cs = {0};
	cs.in.chunks_execute = (uint64_t)(uintptr_t)hole;
	cs.in.num_chunks_execute = 1;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_CS, &cs), EFAULT);
	union hl_mem_args mem = {0};
	mem.in.op = HL_MEM_OP_MAP;
	mem.in.flags = HL_MEM_USERPTR;
	mem.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)hole;
	mem.in.map_host.mem_size = 4096;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_MEMORY, &mem), EFAULT);
	/* Handles and addresses the context does not have. */
	memset(&mem, 0, sizeof mem);
	mem.in.op = HL_MEM_OP_UNMAP;
	mem.in.unmap.device_virt_addr = 0x123456000ull;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_MEMORY, &mem), EINVAL);
	mem.in.op = HL_MEM_OP_FREE;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_MEMORY, &mem), EINVAL);
	union hl_cb_args cba = {0};
	cba.in.op = HL_CB_OP_DESTROY;
	cba.in.cb_handle = 0x4000000000999000ull;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_CB, &cba), EINVAL);
	cba.in.op = HL_CB_OP_INFO;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_CB, &cba), EINVAL);
	cba.in.op = 77;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_CB, &cba), EINVAL);
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_nop(&cb.c);
	CHECK(submit_chunk(fd, GAUDI_QUEUE_ID_DMA_0_0, 0x4000000000999000ull, 8) == -EINVAL, "unknown CB handle");
	CHECK(submit_chunk(fd, GAUDI_QUEUE_ID_CPU_PQ, cb.handle, 8) == -EINVAL, "the CPU queue");
	CHECK(submit_chunk(fd, 500, cb.handle, 8) == -EINVAL, "no such queue");
	CHECK(submit_chunk(fd, GAUDI_QUEUE_ID_DMA_0_0, cb.handle, 8192) == -EINVAL, "cb_size beyond the CB");
	/* The parser: DMA to host memory the context has not mapped (the MMU stand-in), a
	 * packet user CBs may not hold (EPERM), one that is invalid there (EINVAL). Register
	 * targets are the card's business (preload.protection). */
	cb.c.size = 0;
	cb_lin_dma(&cb.c, 0x20000000ull, 0x8000000000ull + 0x1000, 4096, 0, 0);
	CHECK(pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == -EFAULT, "DMA to unmapped host memory");
	cb.c.size = 0;
	cb_raw(&cb.c, PKT_MSG_PROT, 0, 16);
	CHECK(pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == -EPERM, "MSG_PROT");
	cb.c.size = 0;
	cb_raw(&cb.c, PKT_WAIT, 0, 8);
	CHECK(pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == -EINVAL, "WAIT");
	CHECK(pt_wait(fd, 0, 1000, NULL) == -EINVAL && pt_wait(fd, 1u << 30, 1000, NULL) == -EINVAL, "WAIT_CS of no CS");
	struct hl_info_cs_counters cc;
	CHECK(pt_info(fd, HL_INFO_CS_COUNTERS, &cc, sizeof cc) == 0 && cc.ctx_parsing_drop_cnt == 3 &&
	          cc.ctx_validation_drop_cnt == 4, "drops counted: parsing %llu, validation %llu",
	      (unsigned long long)cc.ctx_parsing_drop_cnt, (unsigned long long)cc.ctx_validation_drop_cnt);
	/* The device is fine: a NOP runs, and the older 24-byte WAIT_CS layout still works. */
	cb.c.size = 0;
	cb_nop(&cb.c);
	int64_t seq = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb);
	CHECK(seq > 0, "a good CS after the bad ones");
	union hl_wait_cs_args w = {0};
	w.in.seq = (uint64_t)seq;
	w.in.timeout_us = 1000000;
	CHECK(ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, 'H', 0x04, 24), &w) == 0 && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	      "24-byte WAIT_CS");
	CHECK(pt_info(fd, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0 && ds.status == HL_DEVICE_STATUS_OPERATIONAL, "status");
	pt_cb_free(fd, &cb);
	CHECK(close(fd) == 0, "close");
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_INFO, &info), EBADF);
	return 0;
}

static int count_entries(const char *dir)
{
	int n = pt_count_dir(dir, "");
	CHECK(n > 0, "%s readable", dir);
	return n;
}

/* Lines after the header of a debugfs list. */
static int debugfs_rows(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "/sys/kernel/debug/habanalabs/hl0/%s", name);
	const char *s = pt_read_file(path);
	CHECK(s != NULL, "%s", path);
	int rows = -1;
	for (; *s; s++)
		rows += *s == '\n';
	return rows;
}

static void *submitter(void *arg)
{
	int fd = *(int *)arg;
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_nop(&cb.c);
	for (int i = 0; i < 5; i++)
		CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_1_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "thread submission");
	pt_cb_free(fd, &cb);
	return NULL;
}

/* Everything a session creates and does not free is gone after close (a mapped CB once
 * unmapped); the program's fds and threads stay as they were. */
static void session(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	static uint8_t host[65536];
	pt_map_host(fd, host, sizeof host);
	pt_alloc(fd, 4 << 20);
	struct pt_cb kept, freed;
	pt_cb_new(fd, &kept, 4096);
	pt_cb_new(fd, &freed, 100);
	cb_nop(&kept.c);
	int64_t last = 0;
	for (int i = 0; i < 10; i++)
		CHECK((last = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, &kept)) > 0, "submit");
	CHECK(pt_wait(fd, (uint64_t)last, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "the last one");
	pt_cb_free(fd, &freed);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, submitter, &fd) == 0, "thread");
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(debugfs_rows("userptr") == 1 && debugfs_rows("vm") == 2, "the session's mappings show in debugfs");
	CHECK(close(fd) == 0, "close with everything still held");
	CHECK(debugfs_rows("userptr") == 0 && debugfs_rows("vm") == 0, "close released the context's memory");
	CHECK(debugfs_rows("command_buffers") == 1, "the mapped CB outlives close");
	CHECK(munmap(kept.c.buf, kept.map_size) == 0, "munmap after close");
	CHECK(debugfs_rows("command_buffers") == 0, "no CB left");
	CHECK(debugfs_rows("command_submission") == 0, "no CS in flight");
}

int test_leaks(void)
{
	session();  /* the first one also starts the simulator's own thread */
	int fds = count_entries("/proc/self/fd"), threads = count_entries("/proc/self/task");
	for (int i = 0; i < 4; i++) {
		session();
		CHECK(count_entries("/proc/self/fd") == fds, "fds after session %d", i + 2);
		CHECK(count_entries("/proc/self/task") == threads, "threads after session %d", i + 2);
	}
	return 0;
}
