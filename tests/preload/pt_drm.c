/* Issue 15 item 8: the accel driver's DRM request codes ('d', 0x40..0x45) do what the 'H'
 * codes do, with the same argument layouts; the control node answers INFO only, in both. */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int test_drm_codes(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	struct hl_info_args ia;
	struct hl_info_hw_ip_info hw;
	memset(&ia, 0, sizeof ia);
	ia.op = HL_INFO_HW_IP_INFO;
	ia.return_pointer = (uint64_t)(uintptr_t)&hw;
	ia.return_size = sizeof hw;
	CHECK(ioctl(fd, DRM_IOCTL_HL_INFO, &ia) == 0 && hw.device_id == 0x1000, "DRM INFO: device 0x%x", hw.device_id);

	union hl_cb_args cb;
	memset(&cb, 0, sizeof cb);
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 4096;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CB, &cb) == 0, "DRM CB create");
	uint64_t handle = cb.out.cb_handle;
	struct cb c = {pt_cb_map(fd, handle, 4096), 0, 4096};

	uint32_t *word = aligned_alloc(4096, 4096);
	memset(word, 0, 4096);
	union hl_mem_args m;
	memset(&m, 0, sizeof m);
	m.in.op = HL_MEM_OP_MAP;
	m.in.flags = HL_MEM_USERPTR;
	m.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)word;
	m.in.map_host.mem_size = 4096;
	CHECK(ioctl(fd, DRM_IOCTL_HL_MEMORY, &m) == 0, "DRM MEMORY map");
	uint64_t dev_word = m.out.device_virt_addr;
	cb_msg_long(&c, dev_word, 0xD12A, 0, 0);

	struct hl_cs_chunk ch;
	memset(&ch, 0, sizeof ch);
	ch.cb_handle = handle;
	ch.queue_index = GAUDI_QUEUE_ID_DMA_0_0;
	ch.cb_size = c.size;
	union hl_cs_args cs;
	memset(&cs, 0, sizeof cs);
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	CHECK(ioctl(fd, DRM_IOCTL_HL_CS, &cs) == 0 && cs.out.seq > 0, "DRM CS");
	union hl_wait_cs_args w;
	memset(&w, 0, sizeof w);
	w.in.seq = cs.out.seq;
	w.in.timeout_us = 1000000;
	CHECK(ioctl(fd, DRM_IOCTL_HL_WAIT_CS, &w) == 0 && w.out.status == HL_WAIT_CS_STATUS_COMPLETED, "DRM WAIT_CS");
	CHECK(word[0] == 0xD12A, "the CS ran: 0x%x", word[0]);

	/* Older user space: a 32-byte WAIT_CS ('H', before Linux 5.17) still works. */
	unsigned long old_wait = (3ul << 30) | (32ul << 16) | ('H' << 8) | 0x04;
	memset(&w, 0, sizeof w);
	w.in.seq = cs.out.seq;
	CHECK(ioctl(fd, old_wait, &w) == 0 && w.out.status == HL_WAIT_CS_STATUS_COMPLETED, "32-byte WAIT_CS");

	struct hl_debug_args dbg;
	memset(&dbg, 0, sizeof dbg);
	dbg.op = HL_DEBUG_OP_SET_MODE;
	dbg.enable = 1;
	CHECK(ioctl(fd, DRM_IOCTL_HL_DEBUG, &dbg) == 0, "DRM DEBUG: debug mode on");
	dbg.enable = 0;
	CHECK(ioctl(fd, DRM_IOCTL_HL_DEBUG, &dbg) == 0, "DRM DEBUG: off");
	/* Numbers outside the driver's range, or of another type, are not this driver's. */
	CHECK_ERRNO(ioctl(fd, _IOWR('d', 0x46, struct hl_info_args), &ia), ENOTTY);
	CHECK_ERRNO(ioctl(fd, _IOWR('d', 0x01, struct hl_info_args), &ia), ENOTTY);
	CHECK_ERRNO(ioctl(fd, _IOWR('X', 0x40, struct hl_info_args), &ia), ENOTTY);
	/* A bad argument pointer through the DRM code: EFAULT, and the device stays usable. */
	CHECK_ERRNO(ioctl(fd, DRM_IOCTL_HL_INFO, (void *)16), EFAULT);

	/* The control node: INFO in both encodings, nothing else. */
	int ctl = pt_open(0, 1);
	CHECK(ctl >= 0, "open control");
	struct hl_info_device_status ds;
	ia.op = HL_INFO_DEVICE_STATUS;
	ia.return_pointer = (uint64_t)(uintptr_t)&ds;
	ia.return_size = sizeof ds;
	CHECK(ioctl(ctl, DRM_IOCTL_HL_INFO, &ia) == 0 && ds.status == HL_DEVICE_STATUS_OPERATIONAL, "DRM INFO on control");
	CHECK(ioctl(ctl, HL_IOCTL_INFO, &ia) == 0, "'H' INFO on control");
	memset(&cb, 0, sizeof cb);
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 4096;
	CHECK_ERRNO(ioctl(ctl, DRM_IOCTL_HL_CB, &cb), ENOTTY);
	CHECK_ERRNO(ioctl(ctl, DRM_IOCTL_HL_CS, &cs), ENOTTY);
	CHECK_ERRNO(ioctl(ctl, DRM_IOCTL_HL_WAIT_CS, &w), ENOTTY);
	CHECK_ERRNO(ioctl(ctl, DRM_IOCTL_HL_MEMORY, &m), ENOTTY);
	CHECK_ERRNO(ioctl(ctl, DRM_IOCTL_HL_DEBUG, &dbg), ENOTTY);
	close(ctl);

	munmap(c.buf, 4096);
	pt_cb_destroy(fd, handle);
	CHECK(close(fd) == 0, "close");
	free(word);
	return 0;
}
