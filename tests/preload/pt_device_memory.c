/* Device memory by address (issue 15 item 2): GAUDI 1 has no MMU for HBM, so user space DMAs
 * to any address of [dram_base_address, dram_base_address + dram_size) that HW_IP_INFO
 * reports, with or without MEMORY ALLOC; one compute context owns the device at a time, and
 * what it wrote is scrubbed before the next one may read it. */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <unistd.h>

#define CHUNK 4096u

/* host -> device at `dev`, then device -> host into `back`; returns the CS status. */
static int roundtrip(int fd, uint64_t host_dev, uint64_t back_dev, uint64_t dev)
{
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_lin_dma(&cb.c, host_dev, dev, CHUNK, 0, 0);
	cb_lin_dma(&cb.c, dev, back_dev, CHUNK, 0, 1);
	int st = pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb);
	pt_cb_free(fd, &cb);
	return st;
}

static int read_back(int fd, uint64_t back_dev, uint64_t dev)
{
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_lin_dma(&cb.c, dev, back_dev, CHUNK, 0, 0);
	int st = pt_run1(fd, GAUDI_QUEUE_ID_DMA_1_0, &cb);
	pt_cb_free(fd, &cb);
	return st;
}

int test_device_memory(void)
{
	static uint8_t src[CHUNK] __attribute__((aligned(4096))), back[CHUNK] __attribute__((aligned(4096)));
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	CHECK(pt_open(0, 0) == -1 && errno == EBUSY, "a second compute context while the first is open");
	struct hl_info_hw_ip_info hw;
	CHECK(pt_info(fd, HL_INFO_HW_IP_INFO, &hw, sizeof hw) == 0, "HW_IP_INFO");
	CHECK(hw.dram_size >= (64ull << 20), "dram_size %llu", (unsigned long long)hw.dram_size);
	uint64_t src_dev = pt_map_host(fd, src, CHUNK), back_dev = pt_map_host(fd, back, CHUNK);
	/* No allocation: the first bytes, the middle and the last bytes of the user range. */
	const uint64_t where[3] = {hw.dram_base_address, hw.dram_base_address + (hw.dram_size / 2 & ~0xFFFull),
				   hw.dram_base_address + hw.dram_size - CHUNK};
	for (unsigned i = 0; i < 3; i++) {
		for (unsigned b = 0; b < CHUNK; b++)
			src[b] = (uint8_t)(b * 7 + i + 1);
		memset(back, 0, CHUNK);
		CHECK(roundtrip(fd, src_dev, back_dev, where[i]) == HL_WAIT_CS_STATUS_COMPLETED, "DMA to 0x%llx",
		      (unsigned long long)where[i]);
		CHECK(memcmp(src, back, CHUNK) == 0, "data at 0x%llx", (unsigned long long)where[i]);
	}
	/* Allocation still works and lies in the same range. */
	uint64_t a = pt_alloc(fd, 2ull << 20);
	CHECK(a >= hw.dram_base_address && a + (2ull << 20) <= hw.dram_base_address + hw.dram_size, "allocation 0x%llx",
	      (unsigned long long)a);
	CHECK(roundtrip(fd, src_dev, back_dev, a) == HL_WAIT_CS_STATUS_COMPLETED && memcmp(src, back, CHUNK) == 0,
	      "DMA through the allocation");
	/* Past the end of HBM the device reports the failed DMA; the device stays usable. */
	CHECK(roundtrip(fd, src_dev, back_dev, hw.dram_base_address + hw.dram_size) == -EIO, "DMA past the user range");
	CHECK(read_back(fd, back_dev, where[1]) == HL_WAIT_CS_STATUS_COMPLETED, "DMA after the failed one");
	close(fd);

	/* The next context finds none of it: HBM was scrubbed when the first one closed. */
	fd = pt_open(0, 0);
	CHECK(fd >= 0, "reopen");
	src_dev = pt_map_host(fd, src, CHUNK);
	back_dev = pt_map_host(fd, back, CHUNK);
	static const uint8_t zero[CHUNK];
	for (unsigned i = 0; i < 3; i++) {
		memset(back, 0xEE, CHUNK);
		CHECK(read_back(fd, back_dev, where[i]) == HL_WAIT_CS_STATUS_COMPLETED, "read of 0x%llx",
		      (unsigned long long)where[i]);
		CHECK(memcmp(back, zero, CHUNK) == 0, "0x%llx still holds the last context's data",
		      (unsigned long long)where[i]);
	}
	close(fd);
	return 0;
}
