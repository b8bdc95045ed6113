#include "linux_host/guest_memory.hpp"

#include <sys/mman.h>
#include <unistd.h>

namespace gs {

bool GuestMemory::set(const vhost::MemTable& t, const int* fds, unsigned nfds) {
  clear();
  bool ok = t.num <= nfds && t.num <= vhost::kMaxMemRegions;
  for (unsigned i = 0; ok && i < t.num; ++i) {
    const vhost::MemRegion& r = t.regions[i];
    uint64_t len = r.mmap_offset + r.size;
    void* m = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[i], 0);
    if (m == MAP_FAILED) {
      ok = false;
      break;
    }
    regions_.push_back({r.guest_addr, r.user_addr, r.size, static_cast<uint8_t*>(m) + r.mmap_offset, m, len});
  }
  for (unsigned i = 0; i < nfds; ++i) close(fds[i]);  // the mappings keep the memory
  if (!ok) clear();
  return ok;
}

void GuestMemory::clear() {
  for (auto& r : regions_) munmap(r.map, r.map_size);
  regions_.clear();
}

uint8_t* GuestMemory::by_guest(uint64_t a, uint64_t len) const {
  for (auto& r : regions_)
    if (a >= r.guest && len <= r.size && a - r.guest <= r.size - len) return r.base + (a - r.guest);
  return nullptr;
}

uint8_t* GuestMemory::by_user(uint64_t a, uint64_t len) const {
  for (auto& r : regions_)
    if (a >= r.user && len <= r.size && a - r.user <= r.size - len) return r.base + (a - r.user);
  return nullptr;
}

}  // namespace gs
