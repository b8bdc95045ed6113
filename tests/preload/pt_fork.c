/* Issue 15 item 6: a forked child uses the device files it inherited as under Linux: its
 * calls are served on the shared open file (the parent's compute context), its CBs and host
 * buffers are its own memory, the file is released when the last of parent and child lets
 * go of it, and nothing the device writes for the child lands in the parent's memory. */
#include "pt_common.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int status_ok(int fd)
{
	struct hl_info_device_status ds;
	return pt_info(fd, HL_INFO_DEVICE_STATUS, &ds, sizeof ds) == 0 && ds.status == HL_DEVICE_STATUS_OPERATIONAL;
}

/* host -> HBM -> host through the child's own CB and buffers; `spy` is a buffer the parent
 * also has (the child's copy-on-write copy): the DMA fills the child's copy only. */
static int child_copies(int fd, uint8_t *spy, uint32_t size)
{
	CHECK(status_ok(fd), "INFO on the inherited descriptor");
	CHECK_ERRNO(pt_open(0, 0), EBUSY);  /* the parent's open file holds the compute context */
	uint8_t *src = malloc(size);
	for (uint32_t i = 0; i < size; i++)
		src[i] = (uint8_t)(i * 29 + 3);
	memset(spy, 0, size);
	uint64_t d_src = pt_map_host(fd, src, size), d_spy = pt_map_host(fd, spy, size);
	uint64_t hbm = pt_alloc(fd, size);
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	cb_lin_dma(&cb.c, d_src, hbm, size, 0, 0);
	cb_lin_dma(&cb.c, hbm, d_spy, size, 0, 1);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "the child's CS");
	CHECK(memcmp(src, spy, size) == 0, "the child's buffer holds the copy");
	/* A bad pointer of the child's is the child's EFAULT. */
	CHECK_ERRNO(ioctl(fd, HL_IOCTL_INFO, (void *)8), EFAULT);
	/* Its eventfd is taken from its own descriptor table. */
	int efd = eventfd(0, 0);
	struct hl_info_args a = {.op = HL_INFO_REGISTER_EVENTFD, .eventfd = (uint32_t)efd};
	CHECK(ioctl(fd, HL_IOCTL_INFO, &a) == 0, "the child's eventfd registers");
	a.op = HL_INFO_UNREGISTER_EVENTFD;
	CHECK(ioctl(fd, HL_IOCTL_INFO, &a) == 0, "and unregisters");
	pt_cb_free(fd, &cb);
	return 0;  /* exits holding its mappings and the file: the kernel's exit releases them */
}

int test_fork(void)
{
	const uint32_t size = 256 << 10;
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	uint8_t *spy = malloc(size);
	memset(spy, 0x11, size);

	pid_t pid = fork();
	if (pid == 0)
		_exit(child_copies(fd, spy, size));
	int wst = 0;
	CHECK(pid > 0 && waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0, "child");
	for (uint32_t i = 0; i < size; i++)
		CHECK(spy[i] == 0x11, "the parent's copy of the buffer is untouched (byte %u)", i);
	CHECK(status_ok(fd), "the parent's descriptor works after the child exited");

	/* The file lives while either holds it: the parent closes, the child still uses it. */
	int go[2], done[2];
	CHECK(pipe(go) == 0 && pipe(done) == 0, "pipes");
	pid = fork();
	if (pid == 0) {
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		int ok = status_ok(fd);
		if (write(done[1], "x", 1) != 1)
			_exit(3);
		if (read(go[0], &c, 1) != 1)  /* the parent checked the device is still taken */
			_exit(4);
		_exit(ok && close(fd) == 0 ? 0 : 1);
	}
	CHECK(close(fd) == 0, "the parent closes its descriptor");
	CHECK(write(go[1], "x", 1) == 1, "go");
	char c;
	CHECK(read(done[0], &c, 1) == 1, "the child answered");
	CHECK_ERRNO(pt_open(0, 0), EBUSY);  /* the child's inherited file still holds the context */
	CHECK(write(go[1], "x", 1) == 1, "go on");
	CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0, "the child used the file alone");
	fd = pt_open(0, 0);
	CHECK(fd >= 0, "free again once the child closed the last reference");

	/* A child of a child is served too, and a child's own open works once the device is free. */
	pid = fork();
	if (pid == 0) {
		CHECK(close(fd) == 0, "the child lets go of the inherited file");
		pid_t g = fork();
		if (g == 0)
			_exit(status_ok(fd) ? 5 : 0);  /* its parent closed fd before forking: not inherited */
		int gst = 0;
		CHECK(waitpid(g, &gst, 0) == g && WIFEXITED(gst) && WEXITSTATUS(gst) == 0, "grandchild");
		_exit(0);
	}
	CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0, "child and grandchild");
	CHECK(status_ok(fd), "the parent's descriptor works after the child closed its copy");
	CHECK(close(fd) == 0, "close");
	pid = fork();
	if (pid == 0) {
		int own = pt_open(0, 0);
		CHECK(own >= 0, "the child opens the free device itself");
		pid_t g = fork();
		if (g == 0)
			_exit(status_ok(own) ? 0 : 1);
		int gst = 0;
		CHECK(waitpid(g, &gst, 0) == g && WIFEXITED(gst) && WEXITSTATUS(gst) == 0, "the grandchild uses it");
		CHECK(status_ok(own), "the child's file after the grandchild exited");
		_exit(0);  /* exits without close */
	}
	CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0, "child's own file");
	fd = pt_open(0, 0);
	CHECK(fd >= 0, "released at the child's exit");
	CHECK(close(fd) == 0, "close");
	free(spy);
	return 0;
}
