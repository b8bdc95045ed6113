/* The interposed libc path functions: stat (every variant glibc 2.36 exports), statx,
 * access, opendir, scandir, fopen. A device node answers as a character device; a sysfs or
 * debugfs path is answered by its mirror (fake_fs.hpp); every other path goes to libc. */
#include "preload/real_libc.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "preload/shim_api.h"

int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);

/* Classifies an absolute path; 0 when it is not ours (or relative). */
static int ours(const char *path, int for_open, char *mirror, int *node)
{
	if (!path || path[0] != '/')
		return GSP_NOT_OURS;
	return gsp_resolve(path, for_open, mirror, PATH_MAX, node);
}

/* The stat family shares this: 1 if the path (or, for "" with AT_EMPTY_PATH, the fd) was
 * ours, with the result in *rc. */
static int stat_ours(int dirfd, const char *path, struct stat *st, int flags, int *rc)
{
	char mirror[PATH_MAX];
	int node = 0;

	if (path && !path[0] && (flags & AT_EMPTY_PATH) && gsp_is_device_fd(dirfd)) {
		*rc = gsp_fstat_device(dirfd, st);
		return 1;
	}
	switch (ours(path, 0, mirror, &node)) {
	case GSP_DEVICE_NODE:
		gsp_stat_node(node, st);
		*rc = 0;
		return 1;
	case GSP_MIRRORED:
		*rc = GSP_REAL(fstatat)(AT_FDCWD, mirror, st, flags & AT_SYMLINK_NOFOLLOW);
		return 1;
	}
	return 0;
}

#define STAT_BODY(dirfd, path, st, flags, fallback) \
	int rc;                                      \
	if (stat_ours(dirfd, path, (struct stat *)(st), flags, &rc)) \
		return rc;                           \
	return fallback

int stat(const char *p, struct stat *st) { STAT_BODY(AT_FDCWD, p, st, 0, GSP_REAL(stat)(p, st)); }
int stat64(const char *p, struct stat64 *st) { STAT_BODY(AT_FDCWD, p, st, 0, GSP_REAL(stat)(p, (struct stat *)st)); }
int lstat(const char *p, struct stat *st) { STAT_BODY(AT_FDCWD, p, st, AT_SYMLINK_NOFOLLOW, GSP_REAL(lstat)(p, st)); }
int lstat64(const char *p, struct stat64 *st)
{
	STAT_BODY(AT_FDCWD, p, st, AT_SYMLINK_NOFOLLOW, GSP_REAL(lstat)(p, (struct stat *)st));
}
int fstatat(int d, const char *p, struct stat *st, int f) { STAT_BODY(d, p, st, f, GSP_REAL(fstatat)(d, p, st, f)); }
int fstatat64(int d, const char *p, struct stat64 *st, int f)
{
	STAT_BODY(d, p, st, f, GSP_REAL(fstatat)(d, p, (struct stat *)st, f));
}
int __xstat(int v, const char *p, struct stat *st) { STAT_BODY(AT_FDCWD, p, st, 0, GSP_REAL(xstat)(v, p, st)); }
int __xstat64(int v, const char *p, struct stat64 *st)
{
	STAT_BODY(AT_FDCWD, p, st, 0, GSP_REAL(xstat)(v, p, (struct stat *)st));
}
int __lxstat(int v, const char *p, struct stat *st)
{
	STAT_BODY(AT_FDCWD, p, st, AT_SYMLINK_NOFOLLOW, GSP_REAL(lxstat)(v, p, st));
}
int __lxstat64(int v, const char *p, struct stat64 *st)
{
	STAT_BODY(AT_FDCWD, p, st, AT_SYMLINK_NOFOLLOW, GSP_REAL(lxstat)(v, p, (struct stat *)st));
}
int __fxstatat(int v, int d, const char *p, struct stat *st, int f)
{
	STAT_BODY(d, p, st, f, GSP_REAL(fxstatat)(v, d, p, st, f));
}
int __fxstatat64(int v, int d, const char *p, struct stat64 *st, int f)
{
	STAT_BODY(d, p, st, f, GSP_REAL(fxstatat)(v, d, p, (struct stat *)st, f));
}

int fstat(int fd, struct stat *st)
{
	return gsp_is_device_fd(fd) ? gsp_fstat_device(fd, st) : GSP_REAL(fstat)(fd, st);
}
int fstat64(int fd, struct stat64 *st) { return fstat(fd, (struct stat *)st); }
int __fxstat(int v, int fd, struct stat *st)
{
	return gsp_is_device_fd(fd) ? gsp_fstat_device(fd, st) : GSP_REAL(fxstat)(v, fd, st);
}
int __fxstat64(int v, int fd, struct stat64 *st) { return __fxstat(v, fd, (struct stat *)st); }

static void to_statx(const struct stat *st, struct statx *x)
{
	memset(x, 0, sizeof *x);
	x->stx_mask = STATX_BASIC_STATS;
	x->stx_blksize = (uint32_t)st->st_blksize;
	x->stx_nlink = (uint32_t)st->st_nlink;
	x->stx_uid = st->st_uid;
	x->stx_gid = st->st_gid;
	x->stx_mode = (uint16_t)st->st_mode;
	x->stx_ino = st->st_ino;
	x->stx_size = (uint64_t)st->st_size;
	x->stx_blocks = (uint64_t)st->st_blocks;
	x->stx_atime.tv_sec = st->st_atime;
	x->stx_mtime.tv_sec = st->st_mtime;
	x->stx_ctime.tv_sec = st->st_ctime;
	x->stx_rdev_major = major(st->st_rdev);
	x->stx_rdev_minor = minor(st->st_rdev);
	x->stx_dev_major = major(st->st_dev);
	x->stx_dev_minor = minor(st->st_dev);
}

int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *x)
{
	char mirror[PATH_MAX];
	struct stat st;
	int node = 0;

	if (path && !path[0] && (flags & AT_EMPTY_PATH) && gsp_is_device_fd(dirfd)) {
		if (gsp_fstat_device(dirfd, &st))
			return -1;
		to_statx(&st, x);
		return 0;
	}
	switch (ours(path, 0, mirror, &node)) {
	case GSP_DEVICE_NODE:
		gsp_stat_node(node, &st);
		to_statx(&st, x);
		return 0;
	case GSP_MIRRORED:
		return GSP_REAL(statx)(AT_FDCWD, mirror, flags, mask, x);
	}
	return GSP_REAL(statx)(dirfd, path, flags, mask, x);
}

/* access(2) semantics on our paths: nodes are rw for everyone, never executable. */
static int access_ours(const char *path, int mode, int *rc)
{
	char mirror[PATH_MAX];
	int node = 0;

	switch (ours(path, 0, mirror, &node)) {
	case GSP_DEVICE_NODE:
		*rc = (mode & X_OK) ? (errno = EACCES, -1) : 0;
		return 1;
	case GSP_MIRRORED:
		*rc = GSP_REAL(faccessat)(AT_FDCWD, mirror, mode, 0);
		return 1;
	}
	return 0;
}

int access(const char *p, int mode)
{
	int rc;
	return access_ours(p, mode, &rc) ? rc : GSP_REAL(access)(p, mode);
}
int faccessat(int d, const char *p, int mode, int f)
{
	int rc;
	return access_ours(p, mode, &rc) ? rc : GSP_REAL(faccessat)(d, p, mode, f);
}
int euidaccess(const char *p, int mode)
{
	int rc;
	return access_ours(p, mode, &rc) ? rc : GSP_REAL(euidaccess)(p, mode);
}
int eaccess(const char *p, int mode) { return euidaccess(p, mode); }

DIR *opendir(const char *path)
{
	char mirror[PATH_MAX];
	int node = 0;

	switch (ours(path, 0, mirror, &node)) {
	case GSP_DEVICE_NODE:
		errno = ENOTDIR;
		return NULL;
	case GSP_MIRRORED:
		return GSP_REAL(opendir)(mirror);
	}
	return GSP_REAL(opendir)(path);
}

typedef int (*gsp_filter)(const struct dirent *);
typedef int (*gsp_compar)(const struct dirent **, const struct dirent **);

int scandir(const char *path, struct dirent ***list, gsp_filter filter, gsp_compar compar)
{
	char mirror[PATH_MAX];
	int node = 0;

	if (ours(path, 0, mirror, &node) == GSP_MIRRORED)
		path = mirror;
	return GSP_REAL(scandir)(path, list, filter, compar);
}

/* struct dirent64 is struct dirent on 64-bit glibc. */
int scandir64(const char *path, struct dirent64 ***list, int (*filter)(const struct dirent64 *),
	      int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	return scandir(path, (struct dirent ***)list, (gsp_filter)filter, (gsp_compar)compar);
}

FILE *fopen(const char *path, const char *mode)
{
	char mirror[PATH_MAX];
	int node = 0, fd;
	FILE *f;

	switch (ours(path, 1, mirror, &node)) {
	case GSP_DEVICE_NODE: /* the driver sees the open; fclose's close stays inside libc */
		fd = gsp_open_node(node, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return NULL;
		f = fdopen(fd, mode);
		if (!f)
			close(fd);
		return f;
	case GSP_MIRRORED:
		if (strpbrk(mode, "wa+")) {
			errno = EACCES;
			return NULL;
		}
		return GSP_REAL(fopen)(mirror, mode);
	}
	return GSP_REAL(fopen)(path, mode);
}

FILE *fopen64(const char *path, const char *mode) { return fopen(path, mode); }

/* Extended attributes (ls -l asks for ACLs): device nodes have none; mirrors answer. */
static ssize_t xattr_ours(const char *path, int list, int *handled, char *mirror)
{
	int node = 0;

	*handled = 1;
	switch (ours(path, 0, mirror, &node)) {
	case GSP_DEVICE_NODE:
		if (list)
			return 0;
		errno = ENODATA;
		return -1;
	case GSP_MIRRORED:
		return -2; /* use the mirror path */
	}
	*handled = 0;
	return -2;
}

#define XATTR(name, list, args_real)                                                  \
	{                                                                             \
		char mirror[PATH_MAX];                                                \
		int handled;                                                          \
		ssize_t rc = xattr_ours(path, list, &handled, mirror);                \
		static ssize_t (*real)();                                             \
		if (handled && rc != -2)                                              \
			return rc;                                                    \
		if (handled)                                                          \
			path = mirror;                                                \
		if (!real)                                                            \
			real = (ssize_t(*)())dlsym(RTLD_NEXT, name);                  \
		return real args_real;                                                \
	}

ssize_t getxattr(const char *path, const char *n, void *v, size_t s) XATTR("getxattr", 0, (path, n, v, s))
ssize_t lgetxattr(const char *path, const char *n, void *v, size_t s) XATTR("lgetxattr", 0, (path, n, v, s))
ssize_t listxattr(const char *path, char *l, size_t s) XATTR("listxattr", 1, (path, l, s))
ssize_t llistxattr(const char *path, char *l, size_t s) XATTR("llistxattr", 1, (path, l, s))
