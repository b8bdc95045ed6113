// HostMemory: DMA-coherent buffers come zeroed from an untouched arena; a released small
// buffer's pages are zeroed and serve the next allocation of its size (no syscall, no fresh
// page fault), while bus addresses are never reused.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "models/pcie/host_memory.hpp"

namespace gs {
namespace {

bool all_zero(const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  for (size_t i = 0; i < n; ++i)
    if (b[i]) return false;
  return true;
}

TEST(HostMemory, ReleasedSmallBuffersComeBackZeroedAtNewBusAddresses) {
  HostMemory hm;
  void* a = nullptr;
  const uint64_t bus_a = hm.alloc(1768, &a);
  std::memset(a, 0xA5, 4096);  // the whole page dirty, past the buffer's end too
  ASSERT_TRUE(hm.release(bus_a));
  void* b = nullptr;
  const uint64_t bus_b = hm.alloc(2232, &b);  // the same size in pages
  EXPECT_EQ(b, a);
  EXPECT_NE(bus_b, bus_a);
  EXPECT_TRUE(all_zero(b, 4096));
  EXPECT_EQ(hm.translate(bus_a, 4), nullptr);  // the old address reaches nothing
  EXPECT_EQ(hm.translate(bus_b, 4), static_cast<uint8_t*>(b));
}

TEST(HostMemory, OtherSizesAlignmentsAndLargeBuffersTakeFreshPages) {
  HostMemory hm;
  void* small = nullptr;
  hm.release(hm.alloc(4096, &small));
  void* two_pages = nullptr;
  hm.alloc(8192, &two_pages);  // another size class
  EXPECT_NE(two_pages, small);
  void* aligned = nullptr;
  hm.alloc(4096, &aligned, 1 << 16);  // a stricter alignment than the spare page has
  EXPECT_EQ(reinterpret_cast<uintptr_t>(aligned) % (1 << 16), 0u);
  EXPECT_NE(aligned, small);
  void* big = nullptr;
  const uint64_t bus_big = hm.alloc(1 << 20, &big);
  std::memset(big, 1, 1 << 20);
  hm.release(bus_big);  // given back to the kernel, not kept
  void* again = nullptr;
  hm.alloc(1 << 20, &again);
  EXPECT_NE(again, big);
  EXPECT_TRUE(all_zero(again, 1 << 20));
}

// Regions are looked up by bisection of a sorted array in which released regions stay until
// most are released: look-ups alternating between regions, ranges at and past their ends,
// addresses of released regions and the guard pages between regions all answer as a map
// of the live regions does, before and after the released ones are dropped.
TEST(HostMemory, LookUpsAnswerForLiveRegionsOnlyAcrossReleases) {
  HostMemory hm;
  std::vector<uint64_t> bus;
  std::vector<uint8_t*> cpu;
  std::vector<bool> live;
  for (int i = 0; i < 300; ++i) {
    void* p = nullptr;
    bus.push_back(hm.alloc(4096 * (1 + i % 3), &p, i % 7 ? 4096 : 1 << 16));
    cpu.push_back(static_cast<uint8_t*>(p));
    live.push_back(true);
  }
  auto check = [&] {
    size_t n = 0;
    for (size_t i = bus.size(); i-- > 0;) {  // from the top: the last answer never holds
      const uint64_t size = 4096 * (1 + i % 3);
      n += live[i];
      EXPECT_EQ(hm.translate(bus[i], 8), live[i] ? cpu[i] : nullptr) << i;
      EXPECT_EQ(hm.translate(bus[i] + size - 8, 8), live[i] ? cpu[i] + size - 8 : nullptr) << i;
      EXPECT_EQ(hm.translate(bus[i] + size - 8, 9), nullptr) << i;  // past the end
      EXPECT_EQ(hm.translate(bus[i] + size + 16, 4), nullptr) << i;  // the guard page
      EXPECT_EQ(hm.translate(bus[i], 8), live[i] ? cpu[i] : nullptr) << i;  // again: the cached answer
    }
    EXPECT_EQ(hm.region_count(), n);
  };
  check();
  for (size_t i = 0; i < bus.size(); i += 3) {  // a third: kept in place
    EXPECT_TRUE(hm.release(bus[i]));
    EXPECT_FALSE(hm.release(bus[i]));  // only once
    live[i] = false;
  }
  check();
  for (size_t i = 1; i < bus.size(); i += 3) {  // over half: dropped, the rest moved down
    EXPECT_TRUE(hm.release(bus[i]));
    live[i] = false;
  }
  check();
  void* p = nullptr;
  bus.push_back(hm.alloc(4096 * (1 + bus.size() % 3), &p));  // appended after the drop
  cpu.push_back(static_cast<uint8_t*>(p));
  live.push_back(true);
  check();
  EXPECT_FALSE(hm.release(bus[0]));
}

}  // namespace
}  // namespace gs
