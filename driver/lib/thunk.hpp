// The user-space library over the uAPI (the role hl-thunk plays for real programs):
// device nodes by card number, and typed wrappers around each ioctl, so that workloads
// never build request codes or argument structs by hand.
#pragma once
#include <cstdint>
#include <string>

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

  long ioctl(int fd, unsigned long request, void* arg) { return drv_.ioctl(fd, request, arg); }
  hl::HlDriver& driver() { return drv_; }
  int pid() const { return pid_; }

  static std::string node_path(unsigned card, bool control);

 private:
  hl::HlDriver& drv_;
  int pid_;
};

}  // namespace hlthunk
