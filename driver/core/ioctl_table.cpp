#include "driver/core/ioctl_table.hpp"

#include "driver/uapi/habanalabs.h"

namespace hl {

static const IoctlDesc kIoctls[] = {
    {"INFO", 0x01, sizeof(struct hl_info_args), true, ioctl_info},
    {"CB", 0x02, sizeof(union hl_cb_args), false, ioctl_cb},
    {"CS", 0x03, sizeof(union hl_cs_args), false, ioctl_cs},
    {"WAIT_CS", 0x04, sizeof(union hl_wait_cs_args), false, ioctl_wait_cs},
    {"MEMORY", 0x05, sizeof(union hl_mem_args), false, ioctl_memory},
    {"DEBUG", 0x06, sizeof(struct hl_debug_args), false, ioctl_debug},
    {"NIC", 0x07, sizeof(struct hl_nic_args), false, ioctl_nic},
};

// The accel driver's DRM requests carry the same operations at DRM_COMMAND_BASE + n - 1
// (INFO .. DEBUG); the NIC reconstruction has no DRM number.
const IoctlDesc* find_ioctl(unsigned long request) {
  unsigned type = (request >> 8) & 0xFF, nr = request & 0xFF;
  if (type == 'd') {
    if (nr < GAUDISIM_DRM_COMMAND_BASE || nr > GAUDISIM_DRM_COMMAND_BASE + 5) return nullptr;
    nr = nr - GAUDISIM_DRM_COMMAND_BASE + 1;
  } else if (type != 'H') {
    return nullptr;
  }
  for (const auto& d : kIoctls)
    if (d.nr == nr) return &d;
  return nullptr;
}

bool is_wait_cs_request(unsigned long request) {
  const IoctlDesc* d = find_ioctl(request);
  return d && d->nr == 0x04;
}

}  // namespace hl
