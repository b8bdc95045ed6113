// Device memory of the compute context: HBM allocations (GAUDI addresses HBM physically, so
// an allocation's handle is its address) and host buffers mapped for DMA. It answers the CS
// parser's question: may this context touch [addr, addr + size)?
#pragma once
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

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
  // What user CBs may address: every device address (GAUDI 1 has no MMU for device memory;
  // the card's protection polices registers) and, in the host window, the context's mapped
  // buffers only (the device MMU's job, which the parser stands in for).
  bool may_access(uint64_t addr, uint64_t size) const;
  // Where an internal queue's CB may be given by address: the user range of HBM (with or
  // without an allocation), the user SRAM or a mapped host buffer, as Linux checks.
  bool device_memory(uint64_t addr, uint64_t size) const;
  // The user's own pointer for [addr, addr + size) if it lies in one mapped host buffer.
  // The program may have unmapped those pages since: read it with read_host only.
  const uint8_t* host_view(uint64_t addr, uint64_t size) const;
  // Copies [addr, addr + size) of a mapped host buffer through copy_from_user: 0, -ENOENT
  // if the range is not in one mapped host buffer, -EFAULT if its pages are gone.
  int read_host(uint64_t addr, void* dst, uint64_t size) const;
  uint64_t dram_used() const { return dram_used_; }
  uint64_t dram_free() const { return (dram_end_ - dram_base_) - dram_used_; }
  void release_all();
  // What the context could have written and the next one must not read: the whole user
  // range of HBM (it may write anywhere in it) and the user SRAM. Pairs of (address, size).
  std::vector<std::pair<uint64_t, uint64_t>> scrub_ranges() const;

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
