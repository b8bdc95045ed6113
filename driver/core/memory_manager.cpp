#include "driver/core/memory_manager.hpp"

#include <cerrno>

#include "driver/core/user_access.hpp"

namespace hl {

MemoryManager::MemoryManager(os::Os& os, uint64_t dram_base, uint64_t dram_end, uint64_t sram_base,
                             uint64_t sram_end, uint64_t host_window_base, uint64_t page_size)
    : os_(os), dram_base_(dram_base), dram_end_(dram_end), sram_base_(sram_base), sram_end_(sram_end),
      host_base_(host_window_base), page_(page_size) {}

MemoryManager::~MemoryManager() { release_all(); }

// First fit over the sorted allocations: deterministic and good enough for a few thousand.
int64_t MemoryManager::alloc(uint64_t size) {
  if (size == 0) return -EINVAL;
  uint64_t need = (size + page_ - 1) / page_ * page_;
  uint64_t cursor = dram_base_;
  for (const auto& kv : dram_) {
    if (kv.first - cursor >= need) break;
    cursor = kv.first + kv.second;
  }
  if (cursor + need > dram_end_ || cursor + need < cursor) return -ENOMEM;
  dram_[cursor] = need;
  dram_used_ += need;
  return int64_t(cursor);
}

int MemoryManager::free(uint64_t handle) {
  auto it = dram_.find(handle);
  if (it == dram_.end()) return -EINVAL;
  dram_used_ -= it->second;
  dram_.erase(it);
  return 0;
}

int64_t MemoryManager::map_host(void* ptr, uint64_t size) {
  if (!ptr || size == 0) return -EINVAL;
  uint64_t bus = os_.dma_map_user(ptr, size);
  if (!bus) return -ENOMEM;
  uint64_t dev = host_base_ + bus;
  host_[dev] = HostMap{size, bus, ptr};
  return int64_t(dev);
}

int MemoryManager::unmap_host(uint64_t device_addr) {
  auto it = host_.find(device_addr);
  if (it == host_.end()) return -EINVAL;
  os_.dma_unmap_user(it->second.bus, it->second.size);
  host_.erase(it);
  return 0;
}

bool MemoryManager::inside(const std::map<uint64_t, uint64_t>& m, uint64_t addr, uint64_t size) {
  auto it = m.upper_bound(addr);
  if (it == m.begin()) return false;
  --it;
  return addr - it->first <= it->second && size <= it->second - (addr - it->first);
}

bool MemoryManager::owns(uint64_t addr, uint64_t size) const {
  if (addr + size < addr) return false;
  if (addr >= sram_base_ && addr + size <= sram_end_) return true;
  if (inside(dram_, addr, size)) return true;
  auto it = host_.upper_bound(addr);
  if (it == host_.begin()) return false;
  --it;
  return addr - it->first <= it->second.size && size <= it->second.size - (addr - it->first);
}

bool MemoryManager::may_access(uint64_t addr, uint64_t size) const {
  if (addr + size < addr) return false;
  if (addr + size <= host_base_) return true;  // device addresses: the card polices them
  return owns(addr, size);
}

bool MemoryManager::device_memory(uint64_t addr, uint64_t size) const {
  if (addr + size < addr) return false;
  return (addr >= dram_base_ && addr + size <= dram_end_) || owns(addr, size);
}

const uint8_t* MemoryManager::host_view(uint64_t addr, uint64_t size) const {
  auto it = host_.upper_bound(addr);
  if (it == host_.begin()) return nullptr;
  --it;
  uint64_t off = addr - it->first;
  if (off > it->second.size || size > it->second.size - off) return nullptr;
  return static_cast<const uint8_t*>(it->second.ptr) + off;
}

int MemoryManager::read_host(uint64_t addr, void* dst, uint64_t size) const {
  const uint8_t* user = host_view(addr, size);
  if (!user) return -ENOENT;
  return copy_from_user(dst, user, size);
}

std::vector<std::pair<uint64_t, uint64_t>> MemoryManager::scrub_ranges() const {
  std::vector<std::pair<uint64_t, uint64_t>> r;
  if (dram_end_ > dram_base_) r.emplace_back(dram_base_, dram_end_ - dram_base_);
  if (sram_end_ > sram_base_) r.emplace_back(sram_base_, sram_end_ - sram_base_);
  return r;
}

void MemoryManager::release_all() {
  for (auto& kv : host_) os_.dma_unmap_user(kv.second.bus, kv.second.size);
  host_.clear();
  dram_.clear();
  dram_used_ = 0;
}

}  // namespace hl
