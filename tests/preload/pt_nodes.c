/* Issue 15 item 6: device nodes, sysfs and debugfs as the real driver shows them, and
 * descriptors duplicated with dup/dup2/fcntl sharing one open file (fork: pt_fork.c). */
#include "pt_common.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void expect_rdev(const char *path, unsigned maj, unsigned min)
{
	struct stat st;
	CHECK(stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == maj && minor(st.st_rdev) == min,
	      "%s is %u:%u", path, maj, min);
}

static char *read_copy(const char *path)
{
	const char *s = pt_read_file(path);
	CHECK(s != NULL, "%s is readable", path);
	return strdup(s);
}

static int status_ok(int fd)
{
	struct hl_info_device_status ds;
	return pt_info(fd, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0 && ds.status == HL_DEVICE_STATUS_OPERATIONAL;
}

int test_nodes(void)
{
	/* Misc-driver names: the control node's minor is the primary's plus one. Accel names: the
	 * DRM node 261:N and the driver's own control node <major>:N. */
	for (unsigned c = 0; c < 2; c++) {
		char p[64];
		snprintf(p, sizeof p, "/dev/hl%u", c);
		expect_rdev(p, 508, 2 * c);
		snprintf(p, sizeof p, "/dev/hl_controlD%u", c);
		expect_rdev(p, 508, 2 * c + 1);
		snprintf(p, sizeof p, "/dev/accel/accel%u", c);
		expect_rdev(p, 261, c);
		snprintf(p, sizeof p, "/dev/accel/accel_controlD%u", c);
		expect_rdev(p, 507, c);
	}
	/* sysfs: the attributes on the accel node directly and under device/; /sys/dev/char leads
	 * to every node's directory. */
	char *pci = read_copy("/sys/class/accel/accel1/pci_addr");
	CHECK(strlen(pci) > 8 && strcmp(pci, pt_read_file("/sys/class/accel/accel1/device/pci_addr")) == 0, "pci_addr %s", pci);
	CHECK(strcmp(pt_read_file("/sys/dev/char/261:1/pci_addr"), pci) == 0, "the same through /sys/dev/char");
	CHECK(strcmp(pt_read_file("/sys/class/accel/accel0/status"), "Operational\n") == 0, "status");
	CHECK(strcmp(pt_read_file("/sys/class/accel/accel0/device/device"), "0x1000\n") == 0, "PCI device id");
	CHECK(strcmp(pt_read_file("/sys/dev/char/507:1/dev"), "507:1\n") == 0, "control node of card 1");
	CHECK(strcmp(pt_read_file("/sys/dev/char/508:3/dev"), "508:3\n") == 0, "hl_controlD1");
	CHECK(strcmp(pt_read_file("/sys/dev/char/508:0/status"), "Operational\n") == 0, "hl0's attributes");
	struct stat st;
	CHECK(stat("/sys/dev/char/261:0", &st) == 0 && S_ISDIR(st.st_mode), "a directory");
	CHECK(stat("/sys/dev/char/261:7", &st) == -1 && errno == ENOENT, "no such card");
	CHECK(pt_read_file("/sys/kernel/debug/habanalabs/hl0/command_submission") != NULL, "legacy debugfs");
	CHECK(pt_read_file("/sys/kernel/debug/accel/0/vm") != NULL, "accel debugfs");
	free(pci);

	/* dup, dup2, fcntl(F_DUPFD): one open file, released by the last close. */
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	int d1 = dup(fd), d2 = dup2(fd, 100), d3 = fcntl(fd, F_DUPFD_CLOEXEC, 200), d4 = fcntl(fd, F_DUPFD, 300);
	CHECK(d1 >= 0 && d2 == 100 && d3 >= 200 && d4 >= 300, "duplicates %d %d %d %d", d1, d2, d3, d4);
	CHECK(fcntl(d3, F_GETFD) == FD_CLOEXEC && fcntl(d4, F_GETFD) == 0, "close-on-exec as asked");
	CHECK(status_ok(d1) && status_ok(d2) && status_ok(d3) && status_ok(d4), "INFO through every duplicate");
	CHECK(fstat(d2, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 261, "fstat of a duplicate");
	uint64_t h = pt_cb_create(d1, 4096);  /* the same context: a CB made through one is the other's */
	union hl_cb_args a;
	memset(&a, 0, sizeof a);
	a.in.op = HL_CB_OP_INFO;
	a.in.cb_handle = h;
	CHECK(ioctl(d3, HL_IOCTL_CB, &a) == 0, "CB of the shared context");
	CHECK(close(fd) == 0 && close(d2) == 0 && close(d3) == 0, "close three of them");
	CHECK(status_ok(d1), "the open file lives on");
	CHECK_ERRNO(pt_open(0, 0), EBUSY);  /* still the compute user */
	int null = open("/dev/null", O_RDWR);
	CHECK(dup2(null, d4) == d4, "dup2 of another file onto a duplicate");
	CHECK(ioctl(d4, HL_IOCTL_INFO, &a) == -1 && errno == ENOTTY, "it is /dev/null now");
	CHECK(status_ok(d1), "d1 still holds the device");
	CHECK(close(d1) == 0, "last close");
	close(null);
	close(d4);
	fd = pt_open(0, 0);
	CHECK(fd >= 0, "the device is free again");

	CHECK(close(fd) == 0, "close");
	return 0;
}
