// The guest's memory as the vhost-user master shares it (SET_MEM_TABLE): file descriptors
// mapped into this process, looked up by guest-physical address (what device DMA and the
// virtqueue descriptors carry) or by the master's user address (what vring addresses carry).
#pragma once
#include <cstdint>
#include <vector>

#include "linux_host/vhost_user_proto.hpp"

namespace gs {

class GuestMemory {
 public:
  GuestMemory() = default;
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;
  ~GuestMemory() { clear(); }

  // Takes ownership of the fds; returns false (and maps nothing) if a mapping fails.
  bool set(const vhost::MemTable& table, const int* fds, unsigned nfds);
  void clear();
  // Pointer to [addr, addr + len) if it lies in one region, else null.
  uint8_t* by_guest(uint64_t addr, uint64_t len) const;
  uint8_t* by_user(uint64_t addr, uint64_t len) const;
  bool empty() const { return regions_.empty(); }

 private:
  struct Region {
    uint64_t guest, user, size;
    uint8_t* base;      // first byte of the region
    void* map;          // what mmap returned (covers mmap_offset + size)
    uint64_t map_size;
  };
  std::vector<Region> regions_;
};

}  // namespace gs
