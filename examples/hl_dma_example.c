/* A habanalabs user program: open the first GAUDI, query it, copy a host buffer into HBM and
 * back with LIN_DMA packets on an external DMA queue, verify, close. It knows the uAPI
 * header and the public packet layout, nothing of gaudisim. On gaudisim:
 *
 *   LD_PRELOAD=build/libgaudisim_preload.so GAUDISIM_SET="topology.cards=1" build/hl_dma_example
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "habanalabs.h"

/* LIN_DMA, from GAUDI's public packet layout: opcode 0x9 in ctl bits 28..24, LIN bit 3,
 * engine barrier bit 29, message barrier bit 31. */
struct lin_dma_pkt {
	uint32_t tsize;
	uint32_t ctl;
	uint64_t src_addr;
	uint64_t dst_addr;
};

static struct lin_dma_pkt lin_dma(uint64_t src, uint64_t dst, uint32_t size, int engine_barrier)
{
	struct lin_dma_pkt p = {size, (0x9u << 24) | (1u << 3) | (1u << 31), src, dst};
	if (engine_barrier)
		p.ctl |= 1u << 29;
	return p;
}

static int open_first_device(void)
{
	char path[64];
	for (int i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "/dev/accel/accel%d", i);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
	}
	return -1;
}

static int fail(const char *what)
{
	fprintf(stderr, "hl_dma_example: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(void)
{
	const uint32_t size = 1 << 20;
	int fd = open_first_device();
	if (fd < 0)
		return fail("no GAUDI device node");

	struct hl_info_hw_ip_info hw;
	struct hl_info_args info = {0};
	info.op = HL_INFO_HW_IP_INFO;
	info.return_pointer = (uint64_t)(uintptr_t)&hw;
	info.return_size = sizeof hw;
	if (ioctl(fd, HL_IOCTL_INFO, &info))
		return fail("INFO");
	printf("device 0x%x, %llu MiB DRAM for the user at 0x%llx, firmware %s\n", hw.device_id,
	       (unsigned long long)(hw.dram_size >> 20), (unsigned long long)hw.dram_base_address,
	       (const char *)hw.cpucp_version);

	/* Device memory, and the program's own buffers mapped for the device's DMA. */
	union hl_mem_args mem = {0};
	mem.in.op = HL_MEM_OP_ALLOC;
	mem.in.alloc.mem_size = size;
	if (ioctl(fd, HL_IOCTL_MEMORY, &mem))
		return fail("MEMORY alloc");
	uint64_t hbm = mem.out.handle;
	uint8_t *src = aligned_alloc(4096, size), *dst = aligned_alloc(4096, size);
	for (uint32_t i = 0; i < size; i++) {
		src[i] = (uint8_t)(i * 7 + 3);
		dst[i] = 0;
	}
	uint64_t dev_src, dev_dst;
	uint8_t *bufs[2] = {src, dst};
	uint64_t *addrs[2] = {&dev_src, &dev_dst};
	for (int b = 0; b < 2; b++) {
		memset(&mem, 0, sizeof mem);
		mem.in.op = HL_MEM_OP_MAP;
		mem.in.flags = HL_MEM_USERPTR;
		mem.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)bufs[b];
		mem.in.map_host.mem_size = size;
		if (ioctl(fd, HL_IOCTL_MEMORY, &mem))
			return fail("MEMORY map of a user buffer");
		*addrs[b] = mem.out.device_virt_addr;
	}

	/* A command buffer with two LIN_DMA packets: host -> HBM, then HBM -> host. */
	union hl_cb_args cb = {0};
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 2 * sizeof(struct lin_dma_pkt);
	if (ioctl(fd, HL_IOCTL_CB, &cb))
		return fail("CB create");
	uint64_t handle = cb.out.cb_handle;
	struct lin_dma_pkt *pkts = mmap(NULL, 2 * sizeof *pkts, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	if (pkts == MAP_FAILED)
		return fail("mmap of the CB");
	pkts[0] = lin_dma(dev_src, hbm, size, 0);
	pkts[1] = lin_dma(hbm, dev_dst, size, 1);

	struct hl_cs_chunk chunk = {0};
	chunk.cb_handle = handle;
	chunk.queue_index = GAUDI_QUEUE_ID_DMA_0_0;
	chunk.cb_size = 2 * sizeof *pkts;
	union hl_cs_args cs = {0};
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&chunk;
	cs.in.num_chunks_execute = 1;
	if (ioctl(fd, HL_IOCTL_CS, &cs))
		return fail("CS");
	union hl_wait_cs_args wait = {0};
	wait.in.seq = cs.out.seq;
	wait.in.timeout_us = 1000000;
	if (ioctl(fd, HL_IOCTL_WAIT_CS, &wait) || wait.out.status != HL_WAIT_CS_STATUS_COMPLETED)
		return fail("WAIT_CS");

	int ok = memcmp(src, dst, size) == 0;
	printf("copied %u bytes host -> HBM -> host: %s\n", size, ok ? "data verified" : "DATA MISMATCH");

	munmap(pkts, 2 * sizeof *pkts);
	memset(&cb, 0, sizeof cb);
	cb.in.op = HL_CB_OP_DESTROY;
	cb.in.cb_handle = handle;
	ioctl(fd, HL_IOCTL_CB, &cb);
	close(fd);
	free(src);
	free(dst);
	return ok ? 0 : 1;
}
