#include "testbench/host/huge_heap.hpp"

#include <cstdint>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace gs {

namespace {

constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
// Each heap growth maps at least this much (untouched until used). A growth is advised only
// at the next advise_huge_heap call, so its first 2 MiB fill in 4 KiB pages: with 64 MiB
// steps a 1024-card run grew 17 times (9,600 faults, 40 % of its faults); now once.
constexpr int kTopPad = 1 << 30;
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
  mallopt(M_TRIM_THRESHOLD, kTopPad + kTopPad / 2);
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
