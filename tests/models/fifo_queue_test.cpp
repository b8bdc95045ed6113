#include "models/common/fifo_queue.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace gs {
namespace {

std::vector<int> contents(const FifoQueue<int>& q) {
  std::vector<int> v;
  q.for_each([&](int x) { v.push_back(x); });
  return v;
}

TEST(FifoQueue, KeepsOrderAcrossWrapAndGrowth) {
  FifoQueue<int> q;
  EXPECT_TRUE(q.empty());
  int next_in = 0, next_out = 0;
  // Interleave pushes and pops so the ring wraps before each growth.
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 3 + round % 7; ++i) q.push_back(next_in++);
    for (int i = 0; i < 2 + round % 5 && !q.empty(); ++i) {
      EXPECT_EQ(q.front(), next_out++);
      q.pop_front();
    }
    ASSERT_EQ(q.size(), size_t(next_in - next_out));
  }
  std::vector<int> expect;
  for (int i = next_out; i < next_in; ++i) expect.push_back(i);
  EXPECT_EQ(contents(q), expect);
  while (!q.empty()) {
    EXPECT_EQ(q.front(), next_out++);
    q.pop_front();
  }
  EXPECT_EQ(next_out, next_in);
}

// A pointer and three 32-bit counters: an egress port keeps a queue and its byte count in
// half a cache line.
TEST(FifoQueue, IsAPointerAndThreeCounters) {
  EXPECT_LE(sizeof(FifoQueue<std::shared_ptr<int>>), 24u);
  EXPECT_LE(sizeof(FifoQueue<std::shared_ptr<int>>) + sizeof(uint64_t), 32u);
}

TEST(FifoQueue, PopAndClearReleaseWhatTheyHeld) {
  auto obj = std::make_shared<int>(7);
  FifoQueue<std::shared_ptr<int>> q;
  q.push_back(obj);
  q.push_back(obj);
  EXPECT_EQ(obj.use_count(), 3);
  q.pop_front();
  EXPECT_EQ(obj.use_count(), 2);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(obj.use_count(), 1);
  q.emplace_back(std::make_shared<int>(9));  // usable after clear
  EXPECT_EQ(*q.front(), 9);
}

TEST(FifoQueue, MovesWithItsContents) {
  FifoQueue<int> a;
  for (int i = 0; i < 5; ++i) a.push_back(i);
  FifoQueue<int> b(std::move(a));
  EXPECT_EQ(contents(b), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(a.empty());
  a = std::move(b);
  EXPECT_EQ(a.size(), 5u);
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace gs
