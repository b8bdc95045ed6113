#include "models/pcie/host_memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

namespace gs {

namespace {
constexpr uint64_t kPage = 4096;
uint64_t page_round(uint64_t n) { return (n + kPage - 1) & ~(kPage - 1); }
}  // namespace

HostMemory::~HostMemory() {
  for (auto& a : arenas_) munmap(a.base, a.size);
}

uint8_t* HostMemory::carve(uint64_t size, uint64_t align) {
  if (align < kPage) align = kPage;
  const uint64_t need = page_round(size);
  if (align == kPage) {
    auto spare = spare_.find(need / kPage);
    if (spare != spare_.end() && !spare->second.empty()) {
      uint8_t* p = spare->second.back();
      spare->second.pop_back();
      return p;
    }
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!arenas_.empty()) {
      Arena& a = arenas_.back();
      const uint64_t base = reinterpret_cast<uint64_t>(a.base);
      const uint64_t at = ((base + a.carved + align - 1) & ~(align - 1)) - base;
      if (at + need <= a.size) {
        a.carved = at + need;
        return a.base + at;
      }
    }
    // MAP_NORESERVE: address space only; pages exist once touched.
    const uint64_t bytes = std::max(kArenaBytes, need + align);
    void* m = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    arenas_.push_back(Arena{static_cast<uint8_t*>(m), bytes, 0});
  }
  throw std::bad_alloc();
}

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
  Region r{addr, size, carve(size, align), true};
  if (cpu) *cpu = r.ptr;
  allocated_ += size;
  regions_.emplace(addr, std::move(r));
  return addr;
}

uint64_t HostMemory::map_external(void* ptr, uint64_t size) {
  uint64_t addr = place(size, 4096);
  regions_.emplace(addr, Region{addr, size, static_cast<uint8_t*>(ptr), false, owner_source_ ? owner_source_() : 0});
  return addr;
}

bool HostMemory::release(uint64_t bus_addr) {
  auto it = regions_.find(bus_addr);
  if (it == regions_.end()) return false;
  if (it->second.owned) {
    allocated_ -= it->second.size;
    const uint64_t bytes = page_round(it->second.size);
    if (give_back_ && bytes <= kRecycleBytes) {
      std::memset(it->second.ptr, 0, bytes);
      spare_[bytes / kPage].push_back(it->second.ptr);
    } else if (give_back_) {
      madvise(it->second.ptr, bytes, MADV_DONTNEED);  // zeros again, no memory
    }
  }
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
  return r && !r->owner ? r->ptr + (bus_addr - r->bus_addr) : nullptr;  // not into another process
}

HostMemory::Access HostMemory::dma(uint64_t bus_addr, void* data, uint64_t len, bool write) {
  const Region* r = find(bus_addr, len);
  if (!r) return Access::no_region;
  if (!data) return Access::ok;  // timing only (sim.payload=timing): the region is there
  uint8_t* host = r->ptr + (bus_addr - r->bus_addr);
  auto* local = static_cast<uint8_t*>(data);
  if (!r->owned && external_) {
    if (external_(write, host, local, len, r->owner)) return Access::ok;
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
