// The NIC's per-frame state in as few cache lines as possible: at 1024 cards a port's QPs
// and the card's router are out of the caches by their next frame, so every line a frame
// reads is a miss (docs/performance-passes.md, "tenth pass, NIC"). These pin the layout the
// frame paths were written for.
#include <gtest/gtest.h>

#include "models/common/address_router.hpp"
#include "models/nic/nic_qp.hpp"

namespace gs {
namespace {

template <class T, class F>
size_t line_of(const T& whole, const F& field) {
  return size_t(reinterpret_cast<const char*>(&field) - reinterpret_cast<const char*>(&whole)) / 64;
}

TEST(NicLayout, RequesterFrameFieldsFillTheQpsFirstTwoLines) {
  EXPECT_EQ(alignof(Qp), 64u);
  Qp q;
  // Line 0: the error flag, the headers' fields, the port's turn and timer flags.
  EXPECT_EQ(line_of(q, q.error), 0u);
  EXPECT_EQ(line_of(q, q.req.ctx.priority), 0u);
  EXPECT_EQ(line_of(q, q.req.ctx.burst), 0u);
  EXPECT_EQ(line_of(q, q.req.ctx.dst_qp), 0u);
  EXPECT_EQ(line_of(q, q.req.ctx.src_ip), 0u);
  EXPECT_EQ(line_of(q, q.req.ctx.dst_ip), 0u);
  EXPECT_EQ(line_of(q, q.req.ctx.dst_mac), 0u);
  EXPECT_EQ(line_of(q, q.req.burst_used), 0u);
  EXPECT_EQ(line_of(q, q.req.in_ring), 0u);
  EXPECT_EQ(line_of(q, q.req.timer_armed), 0u);
  // Line 1 starts with the transport, whose first 64 bytes are its per-packet fields.
  EXPECT_EQ(reinterpret_cast<const char*>(&q.req.rc) - reinterpret_cast<const char*>(&q), 64);
}

TEST(NicLayout, ResponderFrameFieldsShareALine) {
  Qp q;
  const size_t first = line_of(q, q.res);
  EXPECT_EQ((reinterpret_cast<const char*>(&q.res) - reinterpret_cast<const char*>(&q)) % 64, 0);
  EXPECT_EQ(line_of(q, q.res.ctx.valid), first);
  EXPECT_EQ(line_of(q, q.res.ctx.peer_ip), first);
  EXPECT_EQ(line_of(q, q.res.ctx.peer_mac), first);
  EXPECT_EQ(line_of(q, q.res.rc), first);
  EXPECT_LE(size_t(reinterpret_cast<const char*>(&q.res.rc) - reinterpret_cast<const char*>(&q.res)) + 32, 64u);
}

TEST(NicLayout, RouterObjectsStartALine) {
  EXPECT_EQ(alignof(AddressRouter), 64u);
  EXPECT_LE(sizeof(AddressRouter), 192u);
}

}  // namespace
}  // namespace gs
