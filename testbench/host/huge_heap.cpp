#include "testbench/host/huge_heap.hpp"

#include <cstdint>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace gs {

namespace {

constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
constexpr int kTopPad = 64 << 20;          // each heap growth maps at least this much (untouched)
constexpr int kMmapThreshold = 32 << 20;   // glibc's own dynamic ceiling: larger blocks get their own mapping
bool g_enabled = false;
uintptr_t g_advised = 0;  // heap addresses below this are advised (2 MiB aligned)

}  // namespace

void enable_huge_heap() {
  if (g_enabled) return;
  g_enabled = true;
  // Setting the pad fixes glibc's thresholds (no dynamic adjustment): name them all so a
  // freed block is reused from the heap instead of mapped and faulted in again each time.
  mallopt(M_TOP_PAD, kTopPad);
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, 2 * kTopPad);
  g_advised = (reinterpret_cast<uintptr_t>(sbrk(0)) + kHugePage - 1) & ~(kHugePage - 1);
  advise_huge_heap();
}

void advise_huge_heap() {
  if (!g_enabled) return;
  const uintptr_t end = reinterpret_cast<uintptr_t>(sbrk(0)) & ~(kHugePage - 1);
  if (end <= g_advised) return;
  madvise(reinterpret_cast<void*>(g_advised), end - g_advised, MADV_HUGEPAGE);  // advice only: failure is harmless
  g_advised = end;
}

}  // namespace gs
