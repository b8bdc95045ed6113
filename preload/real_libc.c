#include "preload/real_libc.h"

#include <dlfcn.h>

struct real_libc gsp_real;

#define RESOLVE(field, name) gsp_real.field = (__typeof__(gsp_real.field))dlsym(RTLD_NEXT, name)

__attribute__((constructor(101))) void gsp_resolve_libc(void)
{
	if (gsp_real.fopen)
		return;
	RESOLVE(munmap, "munmap");
	RESOLVE(mmap, "mmap");
	RESOLVE(open, "open");
	RESOLVE(openat, "openat");
	RESOLVE(close, "close");
	RESOLVE(dup, "dup");
	RESOLVE(dup2, "dup2");
	RESOLVE(dup3, "dup3");
	RESOLVE(fcntl, "fcntl");
	RESOLVE(ioctl, "ioctl");
	RESOLVE(stat, "stat");
	RESOLVE(lstat, "lstat");
	RESOLVE(fstat, "fstat");
	RESOLVE(fstatat, "fstatat");
	RESOLVE(xstat, "__xstat");
	RESOLVE(lxstat, "__lxstat");
	RESOLVE(fxstat, "__fxstat");
	RESOLVE(fxstatat, "__fxstatat");
	RESOLVE(statx, "statx");
	RESOLVE(access, "access");
	RESOLVE(faccessat, "faccessat");
	RESOLVE(euidaccess, "euidaccess");
	RESOLVE(opendir, "opendir");
	RESOLVE(scandir, "scandir");
	RESOLVE(fopen, "fopen");  /* last: marks resolution done */
}
