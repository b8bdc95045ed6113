// make_packet: frames come back from the free list as fresh ones (default fields, or a copy
// of the given frame), and a frame alive elsewhere is never handed out again.
#include <gtest/gtest.h>

#include "models/fabric/packet_pool.hpp"

namespace gs {
namespace {

TEST(PacketPool, RecycledFramesStartFreshAndLiveOnesAreNotShared) {
  PacketPtr a = make_packet();
  a->psn = 7;
  a->payload_len = 4096;
  auto bytes = std::make_shared<const std::vector<uint8_t>>(16, 0xAB);
  a->data = std::shared_ptr<const uint8_t>(bytes, bytes->data());
  bytes.reset();
  const Packet* first = a.get();
  std::weak_ptr<const uint8_t> data = a->data;
  a.reset();                 // back to the free list; its payload reference goes with it
  EXPECT_TRUE(data.expired());
  PacketPtr b = make_packet();
  EXPECT_EQ(b.get(), first);  // the same block again
  EXPECT_EQ(b->psn, 0u);
  EXPECT_EQ(b->payload_len, 0u);
  EXPECT_EQ(b->data, nullptr);
  b->psn = 9;
  PacketPtr c = make_packet(*b);  // a copy while b lives: another block
  EXPECT_NE(c.get(), b.get());
  EXPECT_EQ(c->psn, 9u);
  c->psn = 10;
  EXPECT_EQ(b->psn, 9u);
}

}  // namespace
}  // namespace gs
