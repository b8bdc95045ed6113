#include "models/pcie/host_memory.hpp"

#include <cstring>
#include <new>
#include <stdexcept>

namespace gs {

uint64_t HostMemory::place(uint64_t size, uint64_t align) {
  if (size == 0) throw std::invalid_argument("HostMemory: zero-sized region");
  if (align == 0 || (align & (align - 1))) throw std::invalid_argument("HostMemory: bad alignment");
  uint64_t addr = (cursor_ + align - 1) & ~(align - 1);
  // Leave a guard page between regions so that an overrun is an error, not another buffer.
  cursor_ = addr + ((size + 4095) & ~4095ull) + 4096;
  return addr;
}

uint64_t HostMemory::alloc(uint64_t size, void** cpu, uint64_t align) {
  uint64_t addr = place(size, align);
  // calloc: large zeroed allocations come from untouched pages, so queue rings the device
  // never fills cost no resident memory.
  Region r{addr, size, nullptr, {static_cast<uint8_t*>(std::calloc(1, size)), std::free}};
  if (!r.owned) throw std::bad_alloc();
  r.ptr = r.owned.get();
  if (cpu) *cpu = r.ptr;
  allocated_ += size;
  regions_.emplace(addr, std::move(r));
  return addr;
}

uint64_t HostMemory::map_external(void* ptr, uint64_t size) {
  uint64_t addr = place(size, 4096);
  regions_.emplace(addr, Region{addr, size, static_cast<uint8_t*>(ptr), {nullptr, std::free}});
  return addr;
}

bool HostMemory::release(uint64_t bus_addr) {
  auto it = regions_.find(bus_addr);
  if (it == regions_.end()) return false;
  if (it->second.owned) allocated_ -= it->second.size;
  regions_.erase(it);
  return true;
}

const HostMemory::Region* HostMemory::find(uint64_t bus_addr, uint64_t len) const {
  auto it = regions_.upper_bound(bus_addr);
  if (it == regions_.begin()) return nullptr;
  --it;
  const Region& r = it->second;
  uint64_t off = bus_addr - r.bus_addr;
  if (off > r.size || len > r.size - off) return nullptr;
  return &r;
}

uint8_t* HostMemory::translate(uint64_t bus_addr, uint64_t len) {
  const Region* r = find(bus_addr, len);
  return r ? r->ptr + (bus_addr - r->bus_addr) : nullptr;
}

HostMemory::Access HostMemory::dma(uint64_t bus_addr, void* data, uint64_t len, bool write) {
  const Region* r = find(bus_addr, len);
  if (!r) return Access::no_region;
  uint8_t* host = r->ptr + (bus_addr - r->bus_addr);
  auto* local = static_cast<uint8_t*>(data);
  if (!r->owned && external_) {
    if (external_(write, host, local, len)) return Access::ok;
    ++faults_;
    return Access::fault;
  }
  if (write)
    std::memcpy(host, local, len);
  else
    std::memcpy(local, host, len);
  return Access::ok;
}

}  // namespace gs
