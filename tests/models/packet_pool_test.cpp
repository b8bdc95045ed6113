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

// What a hop reads of a frame (the headers a NIC checks and the payload's reference) is in
// the block's first cache line, with the reference count.
TEST(PacketPool, WhatAHopReadsIsTheFirstLine) {
  PacketPtr p = make_packet();
  const auto* base = reinterpret_cast<const char*>(p.get());
  auto end_of = [&](const auto& field) { return reinterpret_cast<const char*>(&field) + sizeof(field) - base; };
  EXPECT_EQ(reinterpret_cast<uintptr_t>(base) % 64, 0u);
  EXPECT_LE(end_of(p->data), 64);
  EXPECT_LE(end_of(p->dst_mac), 64);
  EXPECT_LE(end_of(p->payload_len), 64);
  EXPECT_LE(end_of(p->refs), 64);
  EXPECT_GE(reinterpret_cast<const char*>(&p->data_offset) - base, 64);  // the second line starts there
}

// The count: copies share the frame, the last reference returns its block.
TEST(PacketPool, LastReferenceReturnsTheBlock) {
  PacketPtr a = make_packet();
  Packet* block = a.get();
  PacketPtr b = a;
  PacketPtr c = std::move(b);
  EXPECT_EQ(b, nullptr);
  a.reset();
  EXPECT_NE(make_packet().get(), block);  // c still holds it (the temporary's block is another)
  c = nullptr;
  EXPECT_EQ(make_packet().get(), block);
}

}  // namespace
}  // namespace gs
