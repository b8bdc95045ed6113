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
  starts_.push_back(addr);  // above every region's: place() hands addresses out in order
  regions_.push_back(r);
  return addr;
}

uint64_t HostMemory::map_external(void* ptr, uint64_t size) {
  uint64_t addr = place(size, 4096);
  starts_.push_back(addr);
  regions_.push_back(Region{addr, size, static_cast<uint8_t*>(ptr), false, owner_source_ ? owner_source_() : 0});
  return addr;
}

bool HostMemory::release(uint64_t bus_addr) {
  const auto at = std::lower_bound(starts_.begin(), starts_.end(), bus_addr);
  if (at == starts_.end() || *at != bus_addr) return false;
  Region& r = regions_[size_t(at - starts_.begin())];
  if (!r.size) return false;  // released before
  if (r.owned) {
    allocated_ -= r.size;
    const uint64_t bytes = page_round(r.size);
    if (give_back_ && bytes <= kRecycleBytes) {
      std::memset(r.ptr, 0, bytes);
      spare_[bytes / kPage].push_back(r.ptr);
    } else if (give_back_) {
      madvise(r.ptr, bytes, MADV_DONTNEED);  // zeros again, no memory
    }
  }
  r = Region{bus_addr, 0, nullptr};  // reaches nothing any more
  if (++released_ > 64 && released_ * 2 > regions_.size()) drop_released();
  return true;
}

void HostMemory::drop_released() {
  size_t kept = 0;
  for (size_t i = 0; i < regions_.size(); ++i) {
    if (!regions_[i].size) continue;
    starts_[kept] = starts_[i];
    regions_[kept++] = regions_[i];
  }
  starts_.resize(kept);
  regions_.resize(kept);
  released_ = 0;
  last_ = 0;
}

// The region holding [bus_addr, bus_addr + len): the last one with a start at or below
// bus_addr (regions never overlap), if the range fits in it.
const HostMemory::Region* HostMemory::find(uint64_t bus_addr, uint64_t len) const {
  auto fits = [&](const Region& r) {
    const uint64_t off = bus_addr - r.bus_addr;
    return bus_addr >= r.bus_addr && r.size && off <= r.size && len <= r.size - off;
  };
  if (last_ < regions_.size() && fits(regions_[last_])) return &regions_[last_];
  const auto above = std::upper_bound(starts_.begin(), starts_.end(), bus_addr);
  if (above == starts_.begin()) return nullptr;
  const size_t i = size_t(above - starts_.begin()) - 1;
  if (!fits(regions_[i])) return nullptr;
  last_ = i;
  return &regions_[i];
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
