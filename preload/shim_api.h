/* What the libc interposers (interpose_*.c) ask the C++ side. Plain C: the interposers are
 * C so that their definitions match glibc's declarations exactly. */
#ifndef GAUDISIM_PRELOAD_SHIM_API_H
#define GAUDISIM_PRELOAD_SHIM_API_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { GSP_NOT_OURS = 0, GSP_DEVICE_NODE = 1, GSP_MIRRORED = 2 };

/* Classifies an absolute path (builds the simulator on the first path of ours). For
 * GSP_DEVICE_NODE *node identifies the node; for GSP_MIRRORED the real path standing for it
 * is copied to mirror (refreshed first when for_open). Leaves errno alone for other paths. */
int gsp_resolve(const char* path, int for_open, char* mirror, size_t cap, int* node);

int gsp_open_node(int node, int flags);             /* fd, or -1 with errno */
void gsp_stat_node(int node, struct stat* st);      /* a character device */

int gsp_is_device_fd(int fd);                       /* cheap: called on every ioctl/close/mmap */
int gsp_close_device(int fd);
/* newfd (a real descriptor libc just made from a device fd) shares its open file, as dup
 * does; the driver's file is released when the last of them is closed. */
void gsp_dup_device(int oldfd, int newfd);
/* newfd is about to be replaced (dup2/dup3 onto a device fd): drop its reference. */
void gsp_forget_device(int fd);
int gsp_ioctl_device(int fd, unsigned long request, void* arg);
void* gsp_mmap_device(void* addr, size_t len, int prot, int flags, int fd, off_t off);
/* 0 with *handled = 1 if [addr, addr+len) was a driver mapping; *handled = 0 otherwise. */
int gsp_munmap(void* addr, size_t len, int* handled);
int gsp_fstat_device(int fd, struct stat* st);

#ifdef __cplusplus
}
#endif
#endif
