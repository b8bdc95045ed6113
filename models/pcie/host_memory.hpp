// Host DRAM as the PCI bus sees it: a set of regions at bus addresses. A region is either
// memory the simulator allocated (DMA-coherent buffers of the driver) or a buffer a user
// program owns and mapped for DMA; device DMA copies straight from/to the host pointer.
#pragma once
#include <cstdint>
#include <cstdlib>
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
    std::unique_ptr<uint8_t, void (*)(void*)> owned{nullptr, std::free};  // null for user buffers
  };

  // Zeroed, aligned allocation; returns the bus address, *cpu the host pointer.
  uint64_t alloc(uint64_t size, void** cpu, uint64_t align = 4096);
  // Make an existing host buffer reachable by DMA; returns its bus address.
  uint64_t map_external(void* ptr, uint64_t size);
  // Frees an allocation or removes an external mapping. False if no region starts there.
  bool release(uint64_t bus_addr);

  // Pointer to [bus_addr, bus_addr+len) if it lies inside one region, else null.
  uint8_t* translate(uint64_t bus_addr, uint64_t len);
  size_t region_count() const { return regions_.size(); }
  uint64_t bytes_allocated() const { return allocated_; }

 private:
  uint64_t place(uint64_t size, uint64_t align);

  // Bus addresses are handed out from a cursor and never reused: runs stay deterministic.
  uint64_t cursor_ = 0x100000000ull;
  uint64_t allocated_ = 0;
  std::map<uint64_t, Region> regions_;
};

}  // namespace gs
