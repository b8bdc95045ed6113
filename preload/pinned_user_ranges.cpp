#include "preload/pinned_user_ranges.hpp"

#include <map>
#include <mutex>
#include <utility>

#include "driver/uapi/habanalabs.h"

namespace gsp {
namespace {

struct Pinned {
  uintptr_t host;
  size_t len;
};
std::mutex g_mu;
std::map<std::pair<int, uint64_t>, Pinned> g_pinned;  // (driver fd, device VA) -> host range

}  // namespace

void pinned_add(int driver_fd, uint64_t device_va, uintptr_t host, size_t len) {
  std::lock_guard<std::mutex> g(g_mu);
  g_pinned[{driver_fd, device_va}] = Pinned{host, len};
}

void pinned_remove(int driver_fd, uint64_t device_va) {
  std::lock_guard<std::mutex> g(g_mu);
  g_pinned.erase({driver_fd, device_va});
}

void pinned_forget_all() { g_pinned.clear(); }

bool pinned_overlaps(uintptr_t host, size_t len) {
  std::lock_guard<std::mutex> g(g_mu);
  for (const auto& kv : g_pinned)
    if (host < kv.second.host + kv.second.len && kv.second.host < host + len) return true;
  return false;
}

void pinned_track_memory_ioctl(int driver_fd, const void* before, const void* after) {
  const auto& in = static_cast<const hl_mem_args*>(before)->in;
  const auto& out = static_cast<const hl_mem_args*>(after)->out;
  if (in.op == HL_MEM_OP_MAP && (in.flags & HL_MEM_USERPTR) && out.device_virt_addr)
    pinned_add(driver_fd, out.device_virt_addr, uintptr_t(in.map_host.host_virt_addr), size_t(in.map_host.mem_size));
  else if (in.op == HL_MEM_OP_UNMAP)
    pinned_remove(driver_fd, in.unmap.device_virt_addr);
}

}  // namespace gsp
