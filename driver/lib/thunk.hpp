// The user-space library over the uAPI (the role hl-thunk plays for real programs):
// device nodes by card number, and typed wrappers around each ioctl, so that workloads
// never build request codes or argument structs by hand.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "driver/core/hl_driver.hpp"
#include "driver/uapi/habanalabs.h"

namespace hlthunk {

class Thunk {
 public:
  // `pid` identifies the calling process to the driver (compute-context ownership).
  Thunk(hl::HlDriver& drv, int pid) : drv_(drv), pid_(pid) {}

  // Open card n's compute node (or its control node). fd >= 0, or -errno.
  int open(unsigned card, bool control = false);
  int close(int fd);

  // Generic INFO query: copies at most `size` bytes of the answer to `out`. 0 or -errno.
  int info(int fd, uint32_t op, void* out, uint32_t size);
  int hw_ip_info(int fd, hl_info_hw_ip_info* out) { return info(fd, HL_INFO_HW_IP_INFO, out, sizeof *out); }
  int device_status(int fd, uint32_t* status);

  // --- command buffers ---
  int cb_create(int fd, uint32_t size, uint64_t* handle);
  int cb_destroy(int fd, uint64_t handle);
  void* cb_map(int fd, uint64_t handle, uint32_t size);  // null on error

  // --- command submission ---
  struct Job {
    unsigned queue;
    uint64_t cb;      // CB handle (external queue) or device address of the CB (internal)
    uint32_t size;
  };
  // Returns 0 and the sequence number, or -errno.
  int submit(int fd, const std::vector<Job>& jobs, uint64_t* seq, uint32_t flags = 0);
  // Returns the ioctl's result; *status gets HL_WAIT_CS_STATUS_*, *timestamp_ns the
  // device's completion time when valid.
  int wait_cs(int fd, uint64_t seq, uint64_t timeout_us, uint32_t* status, int64_t* timestamp_ns = nullptr);
  // Submit and wait: the ioctls' result, *status the WAIT_CS status (kNotSubmitted when the
  // submission itself failed).
  static constexpr uint32_t kNotSubmitted = 0xFFFFFFFFu;
  int run(int fd, const std::vector<Job>& jobs, uint64_t timeout_us, uint32_t* status);

  // --- memory ---
  int mem_alloc(int fd, uint64_t size, uint64_t* device_addr);
  int mem_free(int fd, uint64_t device_addr);
  int map_host(int fd, void* ptr, uint64_t size, uint64_t* device_addr);
  int unmap_host(int fd, uint64_t device_addr);

  long ioctl(int fd, unsigned long request, void* arg) { return drv_.ioctl(fd, request, arg); }
  hl::HlDriver& driver() { return drv_; }
  int pid() const { return pid_; }

  static std::string node_path(unsigned card, bool control);

 private:
  hl::HlDriver& drv_;
  int pid_;
};

}  // namespace hlthunk
