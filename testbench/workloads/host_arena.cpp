#include "testbench/workloads/host_arena.hpp"

#include <sys/mman.h>

#include <cstring>

namespace gs {

HostArena& HostArena::instance() {
  static HostArena* arena = new HostArena;
  return *arena;
}

uint8_t* HostArena::map_aligned(size_t bytes) {
  void* m = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return nullptr;
  auto* raw = static_cast<uint8_t*>(m);
  uint8_t* at = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(raw) + kHuge - 1) & ~uintptr_t(kHuge - 1));
  if (at > raw) munmap(raw, size_t(at - raw));
  if (size_t tail = size_t(raw + bytes + kHuge - (at + bytes))) munmap(at + bytes, tail);
  madvise(at, bytes, MADV_HUGEPAGE);  // a hint: without THP the buffers still work
  reserved_ += bytes;
  return at;
}

uint8_t* HostArena::take(size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = free_.lower_bound(bytes);
  if (it != free_.end()) {  // reused: zeroed if need be, and what is left over put back
    Free f = it->second;
    size_t have = it->first;
    free_.erase(it);
    if (have > bytes) free_.emplace(have - bytes, Free{f.p + bytes, f.zeros});
    if (!f.zeros) std::memset(f.p, 0, bytes);
    return f.p;
  }
  if (bytes > kSlabBytes / 4) return map_aligned(bytes);  // its own reservation
  if (left_ < bytes) {
    if (left_) free_.emplace(left_, Free{next_, true});  // never touched
    next_ = map_aligned(kSlabBytes);
    left_ = next_ ? kSlabBytes : 0;
    if (!next_) return nullptr;
  }
  uint8_t* p = next_;
  next_ += bytes;
  left_ -= bytes;
  return p;
}

void HostArena::give(uint8_t* p, size_t bytes) {
  if (!p) return;
  std::lock_guard<std::mutex> lock(mu_);
  const bool back = bytes >= kHuge && madvise(p, bytes, MADV_DONTNEED) == 0;
  free_.emplace(bytes, Free{p, back});
}

}  // namespace gs
