#include "models/nic/payload_pool.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace gs {
namespace {

TEST(PayloadPool, AFreedChunkServesTheNextRequestAndOversizedOnesAreTheirOwn) {
  auto pool = std::make_shared<PayloadPool>();
  PayloadPool::Buffer a = pool->get(PayloadPool::kBlockBytes);
  uint8_t* first = a.get();
  std::memset(first, 0x5A, PayloadPool::kBlockBytes);  // all of it is writable
  PayloadPool::Buffer b = pool->get(100);
  EXPECT_NE(b.get(), first);  // a live chunk is never handed out twice
  a.reset();
  PayloadPool::Buffer c = pool->get(4096);
  EXPECT_EQ(c.get(), first);  // last freed, first reused: still mapped and warm
  PayloadPool::Buffer big = pool->get(PayloadPool::kBlockBytes + 1);
  big.get()[PayloadPool::kBlockBytes] = 1;  // its own allocation, of the size asked
}

TEST(PayloadPool, ABufferKeepsItsPoolAlive) {
  PayloadPool::Buffer kept;
  {
    auto pool = std::make_shared<PayloadPool>();
    kept = pool->get(64);
  }
  kept.get()[63] = 7;  // the slab is still mapped
  kept.reset();
  EXPECT_EQ(PayloadPool::shared(), PayloadPool::shared());  // one per process
}

}  // namespace
}  // namespace gs
