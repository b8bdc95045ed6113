#include "pt_common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int pt_open(int card, int control)
{
	char path[64];
	snprintf(path, sizeof path, control ? "/dev/accel/accel_controlD%d" : "/dev/accel/accel%d", card);
	return open(path, O_RDWR | O_CLOEXEC);
}

int pt_info(int fd, uint32_t op, void *out, uint32_t size)
{
	struct hl_info_args a;
	memset(&a, 0, sizeof a);
	a.op = op;
	a.return_pointer = (uint64_t)(uintptr_t)out;
	a.return_size = size;
	return ioctl(fd, HL_IOCTL_INFO, &a);
}

uint64_t pt_cb_create(int fd, uint32_t size)
{
	union hl_cb_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_CB_OP_CREATE;
	a.in.cb_size = size;
	CHECK(ioctl(fd, HL_IOCTL_CB, &a) == 0, "CB create of %u bytes", size);
	return a.out.cb_handle;
}

void *pt_cb_map(int fd, uint64_t handle, uint32_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	CHECK(p != MAP_FAILED, "mmap of CB 0x%llx, %u bytes", (unsigned long long)handle, size);
	return p;
}

void pt_cb_destroy(int fd, uint64_t handle)
{
	union hl_cb_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_CB_OP_DESTROY;
	a.in.cb_handle = handle;
	CHECK(ioctl(fd, HL_IOCTL_CB, &a) == 0, "CB destroy");
}

uint32_t cb_usage(int fd, uint64_t handle)
{
	union hl_cb_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_CB_OP_INFO;
	a.in.cb_handle = handle;
	CHECK(ioctl(fd, HL_IOCTL_CB, &a) == 0, "CB info");
	return a.out.usage_cnt;
}

void pt_cb_new(int fd, struct pt_cb *cb, uint32_t size)
{
	cb->handle = pt_cb_create(fd, size);
	cb->map_size = size;
	cb->c.buf = pt_cb_map(fd, cb->handle, size);
	cb->c.size = 0;
	cb->c.cap = size;
}

void pt_cb_free(int fd, struct pt_cb *cb)
{
	CHECK(munmap(cb->c.buf, cb->map_size) == 0, "munmap of a CB");
	pt_cb_destroy(fd, cb->handle);
}

uint64_t pt_map_host(int fd, void *p, uint64_t size)
{
	union hl_mem_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_MEM_OP_MAP;
	a.in.flags = HL_MEM_USERPTR;
	a.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)p;
	a.in.map_host.mem_size = size;
	CHECK(ioctl(fd, HL_IOCTL_MEMORY, &a) == 0, "MEMORY map of a user buffer");
	return a.out.device_virt_addr;
}

uint64_t pt_alloc(int fd, uint64_t size)
{
	union hl_mem_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_MEM_OP_ALLOC;
	a.in.alloc.mem_size = size;
	CHECK(ioctl(fd, HL_IOCTL_MEMORY, &a) == 0, "MEMORY alloc");
	return a.out.handle;
}

int64_t pt_submit(int fd, const struct hl_cs_chunk *chunks, uint32_t n, uint32_t flags)
{
	union hl_cs_args a;
	memset(&a, 0, sizeof a);
	a.in.chunks_execute = (uint64_t)(uintptr_t)chunks;
	a.in.num_chunks_execute = n;
	a.in.cs_flags = flags;
	if (ioctl(fd, HL_IOCTL_CS, &a))
		return -errno;
	return (int64_t)a.out.seq;
}

int64_t pt_submit1(int fd, unsigned queue, const struct pt_cb *cb)
{
	struct hl_cs_chunk ch;
	memset(&ch, 0, sizeof ch);
	ch.cb_handle = cb->handle;
	ch.queue_index = queue;
	ch.cb_size = cb->c.size;
	return pt_submit(fd, &ch, 1, 0);
}

int pt_wait(int fd, uint64_t seq, uint64_t timeout_us, int64_t *ts)
{
	union hl_wait_cs_args a;
	memset(&a, 0, sizeof a);
	a.in.seq = seq;
	a.in.timeout_us = timeout_us;
	if (ioctl(fd, HL_IOCTL_WAIT_CS, &a))
		return -errno;
	if (ts)
		*ts = a.out.timestamp_nsec;
	return (int)a.out.status;
}

int pt_run1(int fd, unsigned queue, const struct pt_cb *cb)
{
	int64_t seq = pt_submit1(fd, queue, cb);
	return seq < 0 ? (int)seq : pt_wait(fd, (uint64_t)seq, 1000000, NULL);
}

const char *pt_read_file(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

int pt_count_dir(const char *path, const char *prefix)
{
	DIR *d = opendir(path);
	int n = 0;
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}
