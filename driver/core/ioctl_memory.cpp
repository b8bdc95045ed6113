// HL_IOCTL_MEMORY and HL_IOCTL_DEBUG.
#include <cerrno>
#include <cstring>

#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/core/ioctl_table.hpp"
#include "driver/core/user_access.hpp"
#include "driver/uapi/habanalabs.h"

namespace hl {

// GAUDI addresses HBM physically: ALLOC returns the address as the handle and MAP of a
// device handle returns it unchanged. Host buffers are reached through the PCIe window
// (gaudisim has no device MMU yet; see docs/uapi.md).
long ioctl_memory(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_mem_args*>(karg);
  HlDevice& d = *f.dev;
  DeviceLock g(d.lock());
  MemoryManager* mem = d.context_memory();
  if (!mem) return -EPERM;
  const hl_mem_in in = a.in;
  int64_t out = 0;
  switch (in.op) {
    case HL_MEM_OP_ALLOC:
      out = mem->alloc(in.alloc.mem_size);
      break;
    case HL_MEM_OP_FREE:
      out = mem->free(in.free.handle);
      break;
    case HL_MEM_OP_MAP:
      if (in.flags & HL_MEM_USERPTR) {
        void* user = reinterpret_cast<void*>(uintptr_t(in.map_host.host_virt_addr));
        // Pinning: every page must exist now, or the device would DMA into nothing.
        out = user && in.map_host.mem_size ? pin_user_range(user, in.map_host.mem_size) : -EINVAL;
        if (out == 0) out = mem->map_host(user, in.map_host.mem_size);
      } else
        out = mem->is_allocation(in.map_device.handle) ? int64_t(in.map_device.handle) : -EINVAL;
      break;
    case HL_MEM_OP_UNMAP:
      out = mem->is_allocation(in.unmap.device_virt_addr) ? 0 : mem->unmap_host(in.unmap.device_virt_addr);
      break;
    default:
      return -EINVAL;
  }
  if (out < 0) return long(out);
  std::memset(&a, 0, sizeof a);
  if (in.op == HL_MEM_OP_ALLOC) a.out.handle = uint64_t(out);
  if (in.op == HL_MEM_OP_MAP) a.out.device_virt_addr = uint64_t(out);
  return 0;
}

// Profiling blocks are not modelled; entering and leaving debug mode is accepted.
long ioctl_debug(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_debug_args*>(karg);
  if (a.op != HL_DEBUG_OP_SET_MODE) return -EINVAL;
  f.debug_mode = a.enable != 0;
  return 0;
}

}  // namespace hl
