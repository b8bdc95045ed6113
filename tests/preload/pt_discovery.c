/* Node and sysfs/debugfs discovery, and INFO. Expects two cards. */
#include "pt_common.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void expect_file(const char *path, const char *want)
{
	const char *got = pt_read_file(path);
	CHECK(got && strcmp(got, want) == 0, "%s: '%s', expected '%s'", path, got ? got : "(unreadable)", want);
}

static void expect_chardev(const char *path, unsigned maj, unsigned min)
{
	struct stat st;
	CHECK(stat(path, &st) == 0 && S_ISCHR(st.st_mode), "%s is a character device", path);
	CHECK(major(st.st_rdev) == maj && minor(st.st_rdev) == min, "%s is %u:%u, not %u:%u", path,
	      major(st.st_rdev), minor(st.st_rdev), maj, min);
}

int test_discovery(void)
{
	CHECK(pt_count_dir("/sys/class/accel", "accel") == 4, "accel class lists 2 compute + 2 control nodes");
	CHECK(pt_count_dir("/sys/class/accel", "accel_controlD") == 2, "two control nodes");
	CHECK(pt_count_dir("/sys/class/habanalabs", "hl") == 4, "habanalabs class lists hl0, hl1 and their control nodes");
	CHECK(pt_count_dir("/dev/accel", "accel") == 4, "/dev/accel lists the nodes");
	expect_chardev("/dev/accel/accel1", 261, 1);
	expect_chardev("/dev/accel/accel_controlD1", 507, 1);
	expect_chardev("/dev/hl1", 508, 2);
	expect_chardev("/dev/hl_controlD0", 508, 1);
	expect_file("/sys/class/accel/accel1/dev", "261:1\n");
	expect_file("/sys/class/habanalabs/hl_controlD0/dev", "508:1\n");
	expect_file("/sys/class/accel/accel0/device/device_type", "GAUDI\n");
	expect_file("/sys/class/accel/accel0/device/status", "Operational\n");
	expect_file("/sys/class/accel/accel0/device/max_power", "350000\n"); /* mW: the HL-205 OAM card */
	expect_file("/sys/class/habanalabs/hl1/device/vendor", "0x1da3\n");
	expect_file("/sys/class/habanalabs/hl1/device/device", "0x1000\n");
	char pci0[64], pci1[64];
	snprintf(pci0, sizeof pci0, "%s", pt_read_file("/sys/class/accel/accel0/device/pci_addr"));
	snprintf(pci1, sizeof pci1, "%s", pt_read_file("/sys/class/habanalabs/hl1/pci_addr"));
	CHECK(strlen(pci0) == 13 && strncmp(pci0, "0000:", 5) == 0, "pci_addr '%s' is a PCI address", pci0);
	CHECK(strcmp(pci0, pci1) != 0, "the two cards have their own PCI addresses");
	/* open/read (not only stdio), and the attributes are read-only */
	int a = open("/sys/class/accel/accel1/device/pci_addr", O_RDONLY);
	char buf[64] = {0};
	CHECK(a >= 0 && read(a, buf, sizeof buf - 1) == 13 && strcmp(buf, pci1) == 0 && close(a) == 0, "read(2) of pci_addr");
	CHECK_ERRNO(open("/sys/class/accel/accel0/device/status", O_WRONLY), EACCES);
	CHECK(access("/dev/accel/accel0", R_OK | W_OK) == 0, "access of a node");
	CHECK_ERRNO(access("/dev/accel/accel7", F_OK), ENOENT);
	CHECK_ERRNO(open("/dev/accel/accel7", O_RDWR), ENOENT);
	CHECK(pt_read_file("/sys/kernel/debug/habanalabs/hl0/command_buffers") != NULL, "debugfs command_buffers");
	CHECK(pt_count_dir("/sys/kernel/debug/accel/1", "") >= 4, "debugfs directory of card 1");
	CHECK(pt_read_file("/proc/self/status") != NULL, "other paths pass through");

	/* One compute user per device; the control node is always open to INFO. */
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open /dev/accel/accel0");
	CHECK_ERRNO(open("/dev/hl0", O_RDWR), EBUSY);  /* the same device under its older name */
	int ctl = pt_open(0, 1);
	CHECK(ctl >= 0, "open the control node while the compute node is open");
	int hl1 = open("/dev/hl1", O_RDWR | O_CLOEXEC);
	CHECK(hl1 >= 0, "open /dev/hl1");
	CHECK(fcntl(hl1, F_GETFD) & FD_CLOEXEC, "O_CLOEXEC kept");
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 261 && minor(st.st_rdev) == 0, "fstat");
	CHECK(fstat(hl1, &st) == 0 && major(st.st_rdev) == 508 && minor(st.st_rdev) == 2, "fstat of /dev/hl1");
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT), "poll: the driver has no poll method");
	CHECK(close(hl1) == 0 && close(ctl) == 0 && close(fd) == 0, "close");
	fd = pt_open(0, 0);
	CHECK(fd >= 0 && close(fd) == 0, "reopen after close");
	return 0;
}

int test_info(void)
{
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	struct hl_info_hw_ip_info hw;
	CHECK(pt_info(fd, HL_INFO_HW_IP_INFO, &hw, sizeof hw) == 0, "HW_IP_INFO");
	CHECK(hw.device_id == 0x1000 && hw.dram_size > 0 && hw.sram_size > 0 && hw.num_of_events > 0 && hw.card_name[0],
	      "hardware facts: device 0x%x", hw.device_id);
	uint8_t part[16];
	memset(part, 0xAB, sizeof part);
	CHECK(pt_info(fd, HL_INFO_HW_IP_INFO, part, 8) == 0 && part[8] == 0xAB, "at most return_size bytes written");
	struct hl_info_device_status ds;
	CHECK(pt_info(fd, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0 && ds.status == HL_DEVICE_STATUS_OPERATIONAL, "status");
	struct hl_info_hw_idle idle;
	CHECK(pt_info(fd, HL_INFO_HW_IDLE, &idle, sizeof idle) == 0 && idle.is_idle && !idle.busy_engines_mask, "idle");
	struct hl_info_dram_usage du0, du1;
	CHECK(pt_info(fd, HL_INFO_DRAM_USAGE, &du0, sizeof du0) == 0 && du0.ctx_dram_mem == 0, "DRAM usage");
	pt_alloc(fd, 64 << 20);
	CHECK(pt_info(fd, HL_INFO_DRAM_USAGE, &du1, sizeof du1) == 0 && du1.ctx_dram_mem >= (64 << 20) &&
	          du1.dram_free_mem == du0.dram_free_mem - du1.ctx_dram_mem, "DRAM usage after an allocation");
	struct hl_info_clk_rate clk;
	CHECK(pt_info(fd, HL_INFO_CLK_RATE, &clk, sizeof clk) == 0 && clk.cur_clk_rate_mhz > 0, "clock");
	struct hl_info_reset_count rc;
	CHECK(pt_info(fd, HL_INFO_RESET_COUNT, &rc, sizeof rc) == 0 && rc.hard_reset_cnt == 0, "resets");
	struct hl_info_time_sync t0, t1;
	CHECK(pt_info(fd, HL_INFO_TIME_SYNC, &t0, sizeof t0) == 0 && pt_info(fd, HL_INFO_TIME_SYNC, &t1, sizeof t1) == 0 &&
	          t0.device_time > 0 && t1.device_time >= t0.device_time, "time sync");
	struct hl_info_cs_counters cc;
	CHECK(pt_info(fd, HL_INFO_CS_COUNTERS, &cc, sizeof cc) == 0 && cc.ctx_parsing_drop_cnt == 0, "CS counters");
	struct hl_info_pci_counters pci;
	CHECK(pt_info(fd, HL_INFO_PCI_COUNTERS, &pci, sizeof pci) == 0, "PCI counters");
	struct hl_info_args sm = {0};
	struct hl_info_sync_manager smi;
	sm.op = HL_INFO_SYNC_MANAGER;
	sm.return_pointer = (uint64_t)(uintptr_t)&smi;
	sm.return_size = sizeof smi;
	sm.dcore_id = HL_GAUDI_WS_DCORE;
	CHECK(ioctl(fd, HL_IOCTL_INFO, &sm) == 0 && smi.first_available_sync_object == 144 && smi.first_available_monitor == 72,
	      "sync manager");
	sm.dcore_id = 9;
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_INFO, &sm), EINVAL);
	uint32_t *events = calloc(hw.num_of_events, 4);
	CHECK(pt_info(fd, HL_INFO_HW_EVENTS, events, hw.num_of_events * 4) == 0 &&
	          pt_info(fd, HL_INFO_HW_EVENTS_AGGREGATE, events, hw.num_of_events * 4) == 0, "event counters");
	free(events);
	struct hl_info_energy energy;
	CHECK(pt_info(fd, HL_INFO_TOTAL_ENERGY, &energy, sizeof energy) == 0, "energy (test info_all has more)");
	CHECK_ERRNO(pt_info(fd, 99, &energy, sizeof energy), EINVAL);

	/* Busy engines: DMA_0_1 waits on a fence (its monitor watches sync object 170) until a
	 * job on DMA_0_0 adds to the object. */
	struct pt_cb waiter, release;
	pt_cb_new(fd, &waiter, 4096);
	pt_cb_new(fd, &release, 4096);
	cb_monitor(&waiter.c, 100, 170, 1, fence_addr(GAUDI_QUEUE_ID_DMA_0_1, 1));
	cb_fence(&waiter.c, 1, 1, 1);
	cb_sob_add(&release.c, 170, 1, 0);
	int64_t w = pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_1, &waiter);
	CHECK(w > 0 && pt_wait(fd, (uint64_t)w, 200, NULL) == HL_WAIT_CS_STATUS_BUSY, "the waiter is stuck");
	CHECK(pt_info(fd, HL_INFO_HW_IDLE, &idle, sizeof idle) == 0 && !idle.is_idle &&
	          (idle.busy_engines_mask & (1u << GAUDI_ENGINE_ID_DMA_0)), "DMA 0 busy (mask 0x%x)", idle.busy_engines_mask);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &release) == HL_WAIT_CS_STATUS_COMPLETED, "release");
	CHECK(pt_wait(fd, (uint64_t)w, 1000000, NULL) == HL_WAIT_CS_STATUS_COMPLETED, "the waiter completes");
	CHECK(pt_info(fd, HL_INFO_HW_IDLE, &idle, sizeof idle) == 0 && idle.is_idle, "idle again");

	/* The control node: INFO only. */
	int ctl = pt_open(0, 1);
	CHECK(ctl >= 0 && pt_info(ctl, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0, "INFO on the control node");
	CHECK(pt_info(ctl, HL_INFO_DRAM_USAGE, &du1, sizeof du1) == 0 && du1.ctx_dram_mem == 0, "no context there");
	union hl_cb_args cb = {0};
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 4096;
	CHECK_ERRNO(ioctl(ctl, HL_IOCTL_CB, &cb), ENOTTY);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, ctl, (off_t)waiter.handle) == MAP_FAILED && errno == ENODEV,
	      "no mmap on the control node");
	close(ctl);
	close(fd);
	return 0;
}
