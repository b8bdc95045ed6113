#include "driver/lib/thunk.hpp"

namespace hlthunk {

std::string Thunk::node_path(unsigned card, bool control) {
  return (control ? "/dev/hl_controlD" : "/dev/hl") + std::to_string(card);
}

int Thunk::open(unsigned card, bool control) { return drv_.open(node_path(card, control), pid_); }

int Thunk::close(int fd) { return drv_.close(fd); }

int Thunk::info(int fd, uint32_t op, void* out, uint32_t size) {
  hl_info_args a{};
  a.op = op;
  a.return_pointer = uint64_t(uintptr_t(out));
  a.return_size = size;
  return int(drv_.ioctl(fd, HL_IOCTL_INFO, &a));
}

int Thunk::device_status(int fd, uint32_t* status) {
  hl_info_device_status s{};
  int rc = info(fd, HL_INFO_DEVICE_STATUS, &s, sizeof s);
  if (!rc) *status = s.status;
  return rc;
}

}  // namespace hlthunk
