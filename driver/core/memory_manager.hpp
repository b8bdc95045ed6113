// Device memory of the compute context: HBM allocations (GAUDI addresses HBM physically, so
// an allocation's handle is its address) and host buffers mapped for DMA. It answers the CS
// parser's question: may this context touch [addr, addr + size)?
#pragma once
#include <cstdint>
#include <map>

#include "driver/os/os.hpp"

namespace hl {

class MemoryManager {
 public:
  MemoryManager(os::Os& os, uint64_t dram_base, uint64_t dram_end, uint64_t sram_base, uint64_t sram_end,
                uint64_t host_window_base, uint64_t page_size);
  ~MemoryManager();

  // HBM: returns the device address or a negative errno.
  int64_t alloc(uint64_t size);
  int free(uint64_t handle);
  // Host buffer of the user: returns the device address it is reachable at, or -errno.
  int64_t map_host(void* ptr, uint64_t size);
  int unmap_host(uint64_t device_addr);
  bool is_allocation(uint64_t handle) const { return dram_.count(handle) > 0; }

  bool owns(uint64_t addr, uint64_t size) const;
  // The user's own pointer for [addr, addr + size) if it lies in one mapped host buffer.
  const uint8_t* host_view(uint64_t addr, uint64_t size) const;
  uint64_t dram_used() const { return dram_used_; }
  uint64_t dram_free() const { return (dram_end_ - dram_base_) - dram_used_; }
  void release_all();

  struct HostMap {
    uint64_t size, bus;
    void* ptr;  // the user's buffer
  };
  // For debugfs and leak accounting.
  const std::map<uint64_t, HostMap>& host_maps() const { return host_; }
  const std::map<uint64_t, uint64_t>& dram_allocations() const { return dram_; }

 private:
  static bool inside(const std::map<uint64_t, uint64_t>& m, uint64_t addr, uint64_t size);

  os::Os& os_;
  uint64_t dram_base_, dram_end_, sram_base_, sram_end_, host_base_, page_;
  std::map<uint64_t, uint64_t> dram_;      // address -> size
  std::map<uint64_t, HostMap> host_;       // device address -> mapping
  uint64_t dram_used_ = 0;
};

}  // namespace hl
