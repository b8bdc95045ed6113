#include "testbench/workloads/host_buffer.hpp"

#include <gtest/gtest.h>

namespace gs {
namespace {

TEST(HostBuffer, PatternCheckFindsAnyWrongByteWithoutAReferenceCopy) {
  for (size_t n : {size_t(1), size_t(13), size_t(1) << 20, (size_t(1) << 20) + 5}) {
    HostBuffer b(n);
    b.fill_pattern(42);
    EXPECT_TRUE(HostBuffer::matches_pattern(42, b.data(), n)) << n;
    EXPECT_FALSE(HostBuffer::matches_pattern(43, b.data(), n)) << n;  // another sender's bytes
    for (size_t at : {size_t(0), n / 2, n - 1}) {
      b.data()[at] ^= 0x10;
      EXPECT_FALSE(HostBuffer::matches_pattern(42, b.data(), n)) << n << " @" << at;
      b.data()[at] ^= 0x10;
    }
  }
}

TEST(HostBuffer, LargeBuffersComeFromTheArenaAndReadAsZerosWhenReused) {
  const size_t n = 3 << 20;
  uint8_t* first = nullptr;
  {
    HostBuffer a(n);
    first = a.data();
    EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 4096, 0u);
    a.fill_pattern(1);
  }
  HostBuffer b(n);
  EXPECT_EQ(b.data(), first);  // the freed buffer again, not a fresh mapping
  for (size_t i = 0; i < n; i += 4093) ASSERT_EQ(b.data()[i], 0) << i;
  EXPECT_EQ(b.data()[n - 1], 0);
  HostBuffer c(n);  // while b lives: other memory
  EXPECT_NE(c.data(), b.data());
  EXPECT_EQ(c.data()[n - 1], 0);
}

TEST(HostBuffer, ASmallFreedBufferIsZeroedWhenReused) {
  const size_t n = 512 << 10;  // from the arena, but under a huge page: kept resident
  uint8_t* first = nullptr;
  {
    HostBuffer a(n);
    first = a.data();
    a.fill_pattern(2);
  }
  HostBuffer b(n);
  EXPECT_EQ(b.data(), first);
  for (size_t i = 0; i < n; i += 509) ASSERT_EQ(b.data()[i], 0) << i;
}

}  // namespace
}  // namespace gs
