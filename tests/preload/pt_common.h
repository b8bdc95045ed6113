/* Helpers of the preload test: a habanalabs user program's thin wrappers over the ioctls.
 * Every failure prints where it happened and ends the process with status 1. */
#ifndef PRELOAD_TEST_COMMON_H
#define PRELOAD_TEST_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "habanalabs.h"
#include "gaudi_pkt.h"

#define CHECK(cond, ...)                                                               \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                  \
			fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));  \
			exit(1);                                                       \
		}                                                                      \
	} while (0)

#define CHECK_ERRNO(call, err) CHECK((call) == -1 && errno == (err), "expected errno %d", (err))

int pt_open(int card, int control);   /* /dev/accel/accel<card> or the control node */
int pt_info(int fd, uint32_t op, void *out, uint32_t size);
uint64_t pt_cb_create(int fd, uint32_t size);
void *pt_cb_map(int fd, uint64_t handle, uint32_t size);
void pt_cb_destroy(int fd, uint64_t handle);
uint32_t cb_usage(int fd, uint64_t handle); /* HL_CB_OP_INFO usage_cnt */
/* A mapped CB ready for packets. */
struct pt_cb {
	uint64_t handle;
	uint32_t map_size;
	struct cb c;
};
void pt_cb_new(int fd, struct pt_cb *cb, uint32_t size);
void pt_cb_free(int fd, struct pt_cb *cb);
uint64_t pt_map_host(int fd, void *p, uint64_t size);
uint64_t pt_alloc(int fd, uint64_t size);
/* Submits chunks (queue, CB handle, size) and returns the sequence, or -errno. */
int64_t pt_submit(int fd, const struct hl_cs_chunk *chunks, uint32_t n, uint32_t flags);
int64_t pt_submit1(int fd, unsigned queue, const struct pt_cb *cb);
/* WAIT_CS: returns the status, or -errno; *ts the completion time when given. */
int pt_wait(int fd, uint64_t seq, uint64_t timeout_us, int64_t *ts);
int pt_run1(int fd, unsigned queue, const struct pt_cb *cb); /* submit + wait */
/* Reads a whole small file (sysfs, debugfs, /proc); returns a static buffer or NULL. */
const char *pt_read_file(const char *path);
int pt_count_dir(const char *path, const char *prefix); /* entries starting with prefix */

/* Subtests */
int test_discovery(void);
int test_info(void);
int test_cb_mmap(void);
int test_packets(void);
int test_sync(void);
int test_in_flight(void);
int test_threads(void);
int test_bad_args(void);
int test_leaks(void);
int test_qman_error(void);
int test_close_in_flight(void);
int test_unmapped_dma(void);
int test_wait_cs(void);
int test_zero_pages(void);
int test_sync_ranges(void);   /* issue 15 items 1-3 */
int test_device_memory(void);
int test_protection(void);
/* Issue 15 */
int test_drm_codes(void);
int test_info_all(void);
int test_cs_features(void);
int test_nodes(void);
int test_fork(void);
int test_wall_time(void);

#endif
