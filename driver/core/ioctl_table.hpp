// The table of ioctls: request number, argument size, who may call it, and the handler.
// Handlers see the kernel copy of the argument; the dispatcher did the copy-in.
#pragma once
#include <cstdint>

namespace hl {

struct HlFile;

struct IoctlDesc {
  const char* name;       // as in the uAPI (HL_IOCTL_<name>), for trace events
  unsigned nr;
  uint32_t size;          // the driver's sizeof of the argument
  bool control_allowed;   // may the control node call it?
  long (*handler)(HlFile& f, void* karg);
};

// Lookup by request type and number: 'H' 0x01..0x07 (misc driver) or 'd' 0x40..0x45 (accel
// driver, DRM_IOCTL_HL_*); null if unknown. The returned desc names the 'H' number.
const IoctlDesc* find_ioctl(unsigned long request);
// WAIT_CS in either encoding (it sleeps interruptibly).
bool is_wait_cs_request(unsigned long request);

long ioctl_info(HlFile& f, void* karg);
long ioctl_cb(HlFile& f, void* karg);
long ioctl_cs(HlFile& f, void* karg);
long ioctl_wait_cs(HlFile& f, void* karg);
long ioctl_memory(HlFile& f, void* karg);
long ioctl_debug(HlFile& f, void* karg);
long ioctl_nic(HlFile& f, void* karg);

}  // namespace hl
