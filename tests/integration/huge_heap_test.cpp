// The simulator's heap grows in steps large enough that a 1024-card run (about 550 MB of
// small objects) maps it once: the start of each growth is touched before advise_huge_heap
// can advise it, and on this machine kind a 4 KiB page costs tens of microseconds to fault
// in. With 64 MiB steps a 1024-card `info` run took 9,600 heap faults (17 growths, each
// starting with 2 MiB in 4 KiB pages); with one growth about 550.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <unistd.h>
#include <vector>

#include "testbench/host/huge_heap.hpp"

namespace gs::test {
namespace {

TEST(HugeHeap, ALargeRunsHeapIsMappedInOneGrowth) {
  enable_huge_heap();
  // 600 MiB in 1 MiB blocks (under the mmap threshold: they come from the heap); malloc
  // touches one page of each, so the test costs little memory.
  std::vector<std::unique_ptr<char[]>> blocks;
  void* brk = sbrk(0);
  unsigned growths = 0;
  for (unsigned n = 0; n < 600; ++n) {
    blocks.emplace_back(new char[(1u << 20) - 64]);
    if (sbrk(0) != brk) ++growths, brk = sbrk(0);
  }
  EXPECT_LE(growths, 1u);
}

}  // namespace
}  // namespace gs::test
