#include "driver/core/ioctl_table.hpp"

#include "driver/uapi/habanalabs.h"

namespace hl {

static const IoctlDesc kIoctls[] = {
    {0x01, sizeof(struct hl_info_args), true, ioctl_info},
};

const IoctlDesc* find_ioctl(unsigned long request) {
  unsigned type = (request >> 8) & 0xFF, nr = request & 0xFF;
  if (type != 'H') return nullptr;
  for (const auto& d : kIoctls)
    if (d.nr == nr) return &d;
  return nullptr;
}

}  // namespace hl
