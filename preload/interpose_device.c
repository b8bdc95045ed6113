/* The interposed libc entry points of device files: open (all its variants), close, ioctl,
 * mmap, munmap. Paths and descriptors that are not ours go straight to libc. */
#include "preload/real_libc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "preload/shim_api.h"

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

static int needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* open of an absolute path of ours: a device node, or a sysfs/debugfs file's mirror (read
 * only, as the attributes are). *handled = 0 for every other path. */
static int open_ours(const char *path, int flags, mode_t mode, int *handled)
{
	char mirror[PATH_MAX];
	int node = 0;

	*handled = 1;
	switch (gsp_resolve(path, 1, mirror, sizeof mirror, &node)) {
	case GSP_DEVICE_NODE:
		return gsp_open_node(node, flags);
	case GSP_MIRRORED:
		if (GSP_REAL(access)(mirror, F_OK) != 0)
			return -1; /* ENOENT, e.g. a node of a card that does not exist */
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))) {
			errno = EACCES;
			return -1;
		}
		return GSP_REAL(openat)(AT_FDCWD, mirror, flags, mode);
	}
	*handled = 0;
	return -1;
}

static int do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	int handled = 0, fd = -1;

	if (path && path[0] == '/')
		fd = open_ours(path, flags, mode, &handled);
	return handled ? fd : GSP_REAL(openat)(dirfd, path, flags, mode);
}

#define MODE_ARG(flags, last)                          \
	mode_t mode = 0;                               \
	if (needs_mode(flags)) {                       \
		va_list ap;                            \
		va_start(ap, last);                    \
		mode = va_arg(ap, mode_t);             \
		va_end(ap);                            \
	}

int open(const char *path, int flags, ...)
{
	MODE_ARG(flags, flags);
	return do_openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	MODE_ARG(flags, flags);
	return do_openat(AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags, flags);
	return do_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags, flags);
	return do_openat(dirfd, path, flags | O_LARGEFILE, mode);
}

/* The _FORTIFY_SOURCE entry points (no mode: O_CREAT is refused by their callers). */
int __open_2(const char *path, int flags) { return do_openat(AT_FDCWD, path, flags, 0); }
int __open64_2(const char *path, int flags) { return do_openat(AT_FDCWD, path, flags | O_LARGEFILE, 0); }
int __openat_2(int dirfd, const char *path, int flags) { return do_openat(dirfd, path, flags, 0); }
int __openat64_2(int dirfd, const char *path, int flags) { return do_openat(dirfd, path, flags | O_LARGEFILE, 0); }

int close(int fd)
{
	if (gsp_is_device_fd(fd))
		return gsp_close_device(fd);
	return GSP_REAL(close)(fd);
}

/* Duplicates of a device fd share its open file, as the kernel's do. */
int dup(int fd)
{
	int r = GSP_REAL(dup)(fd);

	if (r >= 0 && gsp_is_device_fd(fd))
		gsp_dup_device(fd, r);
	return r;
}

static int dup_onto(int oldfd, int newfd, int flags, int three)
{
	int r;

	if (oldfd != newfd && gsp_is_device_fd(newfd) && fcntl(oldfd, F_GETFD) >= 0)
		gsp_forget_device(newfd); /* dup2 closes newfd first */
	r = three ? GSP_REAL(dup3)(oldfd, newfd, flags) : GSP_REAL(dup2)(oldfd, newfd);
	if (r >= 0 && oldfd != newfd && gsp_is_device_fd(oldfd))
		gsp_dup_device(oldfd, r);
	return r;
}

int dup2(int oldfd, int newfd) { return dup_onto(oldfd, newfd, 0, 0); }
int dup3(int oldfd, int newfd, int flags) { return dup_onto(oldfd, newfd, flags, 1); }

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	int r;

	va_start(ap, cmd);
	arg = va_arg(ap, void *); /* int or pointer: the same register either way */
	va_end(ap);
	r = GSP_REAL(fcntl)(fd, cmd, arg);
	if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && gsp_is_device_fd(fd))
		gsp_dup_device(fd, r);
	return r;
}

int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl(fd, cmd, arg);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (gsp_is_device_fd(fd))
		return gsp_ioctl_device(fd, request, arg);
	return GSP_REAL(ioctl)(fd, request, arg);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd >= 0 && !(flags & MAP_ANONYMOUS) && gsp_is_device_fd(fd))
		return gsp_mmap_device(addr, len, prot, flags, fd, off);
	if (gsp_real.mmap)
		return gsp_real.mmap(addr, len, prot, flags, fd, off);
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	return mmap(addr, len, prot, flags, fd, (off_t)off);
}

int munmap(void *addr, size_t len)
{
	int handled = 0;
	int rc = gsp_munmap(addr, len, &handled);

	if (handled)
		return rc;
	if (gsp_real.munmap)
		return gsp_real.munmap(addr, len);
	return (int)syscall(SYS_munmap, addr, len);
}
