/* hl_smoke: runs inside the UML guest against the upstream habanalabs driver (DRM accel
 * ioctls of Linux 6.12, built against the kernel tree's uAPI header). Opens an accel node,
 * queries INFO, submits a NOP command submission, then DMAs host -> HBM -> host and checks
 * every byte, and reads the device clock twice (TIME_SYNC). Prints one
 * "hl_smoke: <step> ok|FAIL ..." line per step; exits 0 if all passed.
 *   hl_smoke [/dev/accel/accelN]
 *   hl_smoke --stuck [/dev/accel/accelN]: submits a CS that never completes (a FENCE on a
 *     counter nobody raises), checks it is still running after 1 s, then that the driver's
 *     TDR (timeout_locked) times it out; the driver then resets the card.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm/habanalabs_accel.h>

#include "specs/gaudi/packets.h"

static const char *node = "/dev/accel/accel0";
static int failures;

static void report(const char *step, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void report(const char *step, int ok, const char *fmt, ...) {
  va_list ap;
  printf("hl_smoke: %s: %s %s ", node, step, ok ? "ok" : "FAIL");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  fflush(stdout);
  if (!ok) ++failures;
}

struct cb {
  uint64_t handle;
  uint8_t *p;
  uint32_t size;
};

static int cb_create(int fd, uint32_t size, struct cb *cb) {
  union hl_cb_args a;
  memset(&a, 0, sizeof a);
  a.in.op = HL_CB_OP_CREATE;
  a.in.cb_size = size;
  if (ioctl(fd, DRM_IOCTL_HL_CB, &a)) return -errno;
  cb->handle = a.out.cb_handle;
  cb->size = size;
  cb->p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)cb->handle);
  if (cb->p == MAP_FAILED) return -errno;
  return 0;
}

/* One CS of one CB on queue DMA_0_0 (external); its sequence number in *seq. */
static int submit(int fd, const struct cb *cb, uint32_t used, uint64_t *seq) {
  struct hl_cs_chunk chunk;
  union hl_cs_args cs;
  memset(&chunk, 0, sizeof chunk);
  chunk.cb_handle = cb->handle;
  chunk.queue_index = GAUDI_QUEUE_ID_DMA_0_0;
  chunk.cb_size = used;
  memset(&cs, 0, sizeof cs);
  cs.in.chunks_execute = (uint64_t)(uintptr_t)&chunk;
  cs.in.num_chunks_execute = 1;
  if (ioctl(fd, DRM_IOCTL_HL_CS, &cs)) return -errno;
  *seq = cs.out.seq;
  return 0;
}

/* Waits up to timeout_us for CS seq: 0 or -errno, and the driver's status. */
static int wait_cs(int fd, uint64_t seq, uint64_t timeout_us, uint32_t *status) {
  union hl_wait_cs_args w;
  memset(&w, 0, sizeof w);
  w.in.seq = seq;
  w.in.timeout_us = timeout_us;
  int rc = ioctl(fd, DRM_IOCTL_HL_WAIT_CS, &w) ? -errno : 0;
  *status = w.out.status;
  return rc;
}

static int submit_wait(int fd, const struct cb *cb, uint32_t used, uint64_t timeout_us, uint32_t *status) {
  uint64_t seq;
  int rc = submit(fd, cb, used, &seq);
  return rc ? rc : wait_cs(fd, seq, timeout_us, status);
}

static int step_info(int fd, struct hl_info_hw_ip_info *hw) {
  struct hl_info_args a;
  memset(&a, 0, sizeof a);
  memset(hw, 0, sizeof *hw);
  a.op = HL_INFO_HW_IP_INFO;
  a.return_pointer = (uint64_t)(uintptr_t)hw;
  a.return_size = sizeof *hw;
  if (ioctl(fd, DRM_IOCTL_HL_INFO, &a)) {
    report("INFO", 0, "errno %d (%s)", errno, strerror(errno));
    return -1;
  }
  report("INFO", hw->device_id == 0x1000, "device 0x%x, DRAM %llu MiB at 0x%llx, SRAM %u KiB, card %s",
         hw->device_id, (unsigned long long)(hw->dram_size >> 20), (unsigned long long)hw->dram_base_address,
         hw->sram_size >> 10, hw->card_name);
  return 0;
}

static void step_nop(int fd) {
  struct cb cb;
  uint32_t status = 99;
  int rc = cb_create(fd, 4096, &cb);
  if (rc) {
    report("NOP CS", 0, "CB create/mmap: %s", strerror(-rc));
    return;
  }
  struct packet_nop nop = gaudi_pkt_nop();
  memcpy(cb.p, &nop, sizeof nop);
  rc = submit_wait(fd, &cb, sizeof nop, 10 * 1000 * 1000, &status);
  report("NOP CS", rc == 0 && status == HL_WAIT_CS_STATUS_COMPLETED, "rc %d, wait status %u", rc, status);
}

static int map_host(int fd, void *p, uint64_t size, uint64_t *va) {
  union hl_mem_args m;
  memset(&m, 0, sizeof m);
  m.in.op = HL_MEM_OP_MAP;
  m.in.flags = HL_MEM_USERPTR;
  m.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)p;
  m.in.map_host.mem_size = size;
  if (ioctl(fd, DRM_IOCTL_HL_MEMORY, &m)) return -errno;
  *va = m.out.device_virt_addr;
  return 0;
}

static void step_dma(int fd, const struct hl_info_hw_ip_info *hw) {
  const uint32_t size = 64 * 1024;
  uint8_t *src = aligned_alloc(4096, size), *dst = aligned_alloc(4096, size);
  uint64_t src_va = 0, dst_va = 0, hbm = hw->dram_base_address;
  for (uint32_t i = 0; i < size; ++i) src[i] = (uint8_t)(i * 7 + 3);
  memset(dst, 0, size);
  int rc = map_host(fd, src, size, &src_va);
  if (!rc) rc = map_host(fd, dst, size, &dst_va);
  if (rc) {
    report("DMA", 0, "map host memory: %s", strerror(-rc));
    return;
  }
  struct cb cb;
  if ((rc = cb_create(fd, 4096, &cb))) {
    report("DMA", 0, "CB create/mmap: %s", strerror(-rc));
    return;
  }
  uint32_t status = 99;
  struct packet_lin_dma down = gaudi_pkt_lin_dma(src_va, hbm, size, 0, 0, 0);
  memcpy(cb.p, &down, sizeof down);
  rc = submit_wait(fd, &cb, sizeof down, 10 * 1000 * 1000, &status);
  report("DMA host->HBM", rc == 0 && status == HL_WAIT_CS_STATUS_COMPLETED,
         "%u bytes from VA 0x%llx to HBM 0x%llx: rc %d, status %u", size, (unsigned long long)src_va,
         (unsigned long long)hbm, rc, status);
  struct packet_lin_dma up = gaudi_pkt_lin_dma(hbm, dst_va, size, 0, 0, 0);
  memcpy(cb.p, &up, sizeof up);
  rc = submit_wait(fd, &cb, sizeof up, 10 * 1000 * 1000, &status);
  report("DMA HBM->host", rc == 0 && status == HL_WAIT_CS_STATUS_COMPLETED,
         "%u bytes to VA 0x%llx: rc %d, status %u", size, (unsigned long long)dst_va, rc, status);
  uint32_t bad = 0, first = size;
  for (uint32_t i = 0; i < size; ++i)
    if (dst[i] != src[i] && bad++ == 0) first = i;
  report("DMA bytes", bad == 0, "%u of %u bytes differ (first at %u)", bad, size, first);
}

/* The PSOC timestamp counter, read by the driver, must move forward. */
static void step_time(int fd) {
  struct hl_info_time_sync t[2];
  for (int i = 0; i < 2; ++i) {
    struct hl_info_args a;
    memset(&a, 0, sizeof a);
    memset(&t[i], 0, sizeof t[i]);
    a.op = HL_INFO_TIME_SYNC;
    a.return_pointer = (uint64_t)(uintptr_t)&t[i];
    a.return_size = sizeof t[i];
    if (ioctl(fd, DRM_IOCTL_HL_INFO, &a)) {
      report("TIME_SYNC", 0, "errno %d (%s)", errno, strerror(errno));
      return;
    }
    if (i == 0) usleep(10000);
  }
  report("TIME_SYNC", t[1].device_time > t[0].device_time, "device time %llu -> %llu",
         (unsigned long long)t[0].device_time, (unsigned long long)t[1].device_time);
}

/* A CS that never completes: DMA_0_0's stream waits on fence counter 2 reaching 1. It
 * must still be running after 1 s; then the driver's TDR (timeout_locked) must time it out
 * (the wait fails with ETIMEDOUT, status TIMEDOUT, or EBUSY once the reset is under way)
 * and reset the card. The fd stays open until then: closing it with a CS in flight makes
 * the driver reset at once instead. */
static int stuck_cs(int fd) {
  struct cb cb;
  uint64_t seq = 0;
  int rc = cb_create(fd, 4096, &cb);
  struct packet_fence f = gaudi_pkt_fence(2, 1, 1, 0);
  if (!rc) {
    memcpy(cb.p, &f, sizeof f);
    rc = submit(fd, &cb, sizeof f, &seq);
  }
  if (rc) {
    report("stuck CS", 0, "CB or submission: %s", strerror(-rc));
    return 1;
  }
  uint32_t status = 99;
  rc = wait_cs(fd, seq, 1000 * 1000, &status);
  report("stuck CS", rc == 0 && status == HL_WAIT_CS_STATUS_BUSY, "still running after 1 s: rc %d, wait status %u",
         rc, status);
  int waited = 1;
  while (rc == 0 && status == HL_WAIT_CS_STATUS_BUSY && waited < 60) {
    rc = wait_cs(fd, seq, 1000 * 1000, &status);
    ++waited;
  }
  /* The driver answers ETIMEDOUT (status TIMEDOUT) to a wait it wakes, or EBUSY to a wait
   * that arrives while the reset it started is under way. */
  report("TDR", (rc == -ETIMEDOUT && status == HL_WAIT_CS_STATUS_TIMEDOUT) || rc == -EBUSY,
         "the CS timed out on the device after about %d s: rc %d (%s), wait status %u", waited, rc,
         strerror(-rc), status);
  close(fd);
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  int stuck = argc > 1 && strcmp(argv[1], "--stuck") == 0;
  if (argc > 1 + stuck) node = argv[1 + stuck];
  int fd = open(node, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    report("open", 0, "%s", strerror(errno));
    return 1;
  }
  report("open", 1, "fd %d", fd);
  if (stuck) return stuck_cs(fd);
  struct hl_info_hw_ip_info hw;
  if (step_info(fd, &hw) == 0) {
    step_nop(fd);
    step_dma(fd, &hw);
    step_time(fd);
  }
  close(fd);
  printf("hl_smoke: %s: %s\n", node, failures ? "FAILED" : "PASSED");
  return failures ? 1 : 0;
}
