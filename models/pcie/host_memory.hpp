// Host DRAM as the PCI bus sees it: a set of regions at bus addresses. A region is either
// memory the simulator allocated (DMA-coherent buffers of the driver) or a buffer a user
// program owns and mapped for DMA; device DMA copies straight from/to the host pointer.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace gs {

class HostMemory {
 public:
  struct Region {
    uint64_t bus_addr;
    uint64_t size;
    uint8_t* ptr;
    bool owned = false;  // from alloc(); false for user buffers
    int owner = 0;       // user buffers: the program process they belong to (0: this one)
  };

  HostMemory() = default;
  HostMemory(const HostMemory&) = delete;
  HostMemory& operator=(const HostMemory&) = delete;
  ~HostMemory();

  // Zeroed, aligned allocation; returns the bus address, *cpu the host pointer. The bytes
  // come from untouched anonymous memory (the kernel's zero pages): nothing is written
  // until used, so a driver's queue rings cost no resident memory until the device or
  // the driver fills them, and an allocation costs no memory mapping of its own.
  uint64_t alloc(uint64_t size, void** cpu, uint64_t align = 4096);
  // Make an existing host buffer reachable by DMA; returns its bus address. The buffer is in
  // the memory of the process the owner source names (the preload library serves forked
  // children's requests too), else in this one.
  uint64_t map_external(void* ptr, uint64_t size);
  void set_owner_source(std::function<int()> s) { owner_source_ = std::move(s); }
  // Frees an allocation or removes an external mapping. False if no region starts there.
  bool release(uint64_t bus_addr);
  // From now on a release keeps its pages: at teardown the arenas are unmapped whole, and
  // giving each buffer's pages back first would only cost a TLB shootdown per buffer.
  void closing() { give_back_ = false; }

  // Pointer to [bus_addr, bus_addr+len) if it lies inside one region of this process, else null.
  uint8_t* translate(uint64_t bus_addr, uint64_t len);

  // Device DMA: copies [bus_addr, bus_addr+len) to or from `data`. A user buffer is reached
  // through the external access when one is set (its pages may have gone since the driver
  // mapped it: the program unmapped or freed them), else directly.
  enum class Access { ok, no_region, fault };
  Access dma(uint64_t bus_addr, void* data, uint64_t len, bool write);
  // Copies len bytes between a user buffer and the simulator's; false if the user's pages
  // are not there (for the preload library: process_vm_readv/writev on the owner process).
  using ExternalAccess = std::function<bool(bool write, uint8_t* user, uint8_t* local, uint64_t len, int owner)>;
  void set_external_access(ExternalAccess a) { external_ = std::move(a); }
  uint64_t faults() const { return faults_; }
  size_t region_count() const { return regions_.size() - released_; }
  uint64_t bytes_allocated() const { return allocated_; }

 private:
  uint64_t place(uint64_t size, uint64_t align);
  uint8_t* carve(uint64_t size, uint64_t align);  // from the arena

  // The arena: large reservations, carved in order. A release gives a buffer's pages back to
  // the kernel (they read as zeros again, and cost nothing), except a small one's: those
  // are zeroed and kept for the next allocation of the same size (a probe's firmware
  // replies), as a syscall, a TLB shootdown and a fresh page fault cost far more.
  static constexpr uint64_t kRecycleBytes = 64 << 10;
  std::map<uint64_t, std::vector<uint8_t*>> spare_;  // by size in pages: zeroed, resident
  static constexpr uint64_t kArenaBytes = 4ull << 30;  // virtual address space per reservation
  struct Arena {
    uint8_t* base;
    uint64_t size, carved;
  };
  std::vector<Arena> arenas_;
  const Region* find(uint64_t bus_addr, uint64_t len) const;
  void drop_released();

  // Bus addresses are handed out from a cursor and never reused: runs stay deterministic.
  uint64_t cursor_ = 0x100000000ull;
  uint64_t allocated_ = 0;
  bool give_back_ = true;
  // The regions by bus address: one sorted array (addresses only grow, so a new region is
  // appended) and their start addresses beside it, searched by bisection. A std::map's nodes
  // lay spread over the heap: at 1024 cards every level of a DMA's look-up (a host's 8 cards
  // interleave, so no last answer holds) missed the caches, 2.4 % of the run. A released
  // region stays in place, size 0, until half of them are released (no shifting per release).
  std::vector<uint64_t> starts_;
  std::vector<Region> regions_;
  size_t released_ = 0;
  mutable size_t last_ = 0;  // find's last answer, if < regions_.size()
  ExternalAccess external_;
  std::function<int()> owner_source_;
  uint64_t faults_ = 0;
};

}  // namespace gs
