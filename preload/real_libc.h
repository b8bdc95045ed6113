/* The libc functions behind the interposed ones (dlsym(RTLD_NEXT)), resolved once when the
 * library loads. mmap and munmap fall back to the raw syscall while resolution is under way
 * (dlsym may allocate, and the allocator may map memory). */
#ifndef GAUDISIM_PRELOAD_REAL_LIBC_H
#define GAUDISIM_PRELOAD_REAL_LIBC_H

#define _GNU_SOURCE 1
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

struct real_libc {
	int (*open)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*close)(int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
	int (*fcntl)(int, int, ...);
	int (*ioctl)(int, unsigned long, ...);
	void *(*mmap)(void *, size_t, int, int, int, off_t);
	int (*munmap)(void *, size_t);
	int (*stat)(const char *, struct stat *);
	int (*lstat)(const char *, struct stat *);
	int (*fstat)(int, struct stat *);
	int (*fstatat)(int, const char *, struct stat *, int);
	int (*xstat)(int, const char *, struct stat *);
	int (*lxstat)(int, const char *, struct stat *);
	int (*fxstat)(int, int, struct stat *);
	int (*fxstatat)(int, int, const char *, struct stat *, int);
	int (*statx)(int, const char *, int, unsigned int, struct statx *);
	int (*access)(const char *, int);
	int (*faccessat)(int, const char *, int, int);
	int (*euidaccess)(const char *, int);
	DIR *(*opendir)(const char *);
	int (*scandir)(const char *, struct dirent ***, int (*)(const struct dirent *),
		       int (*)(const struct dirent **, const struct dirent **));
	FILE *(*fopen)(const char *, const char *);
};

extern struct real_libc gsp_real;

/* Resolves everything (idempotent); interposers call it when they run before the library's
 * constructor (another library's initializer opening a file). */
void gsp_resolve_libc(void);
#define GSP_REAL(f) (gsp_real.fopen ? (void)0 : gsp_resolve_libc(), gsp_real.f)

#endif
