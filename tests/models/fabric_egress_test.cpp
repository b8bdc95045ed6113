// EgressPort: serialization at line rate, strict priority, PFC pause/resume through the
// pause helper, and the cut-through lead.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/common/time.hpp"
#include "models/fabric/packet_pool.hpp"
#include "models/fabric/egress_port.hpp"
#include "models/fabric/pfc.hpp"
#include "frame_sink.hpp"

namespace gs {
namespace {

using test::Sink;

PacketPtr frame(uint8_t prio, uint32_t psn, uint32_t payload = 4096) {
  auto p = make_packet();
  p->op = RoceOp::write_middle;
  p->payload_len = payload;
  p->priority = prio;
  p->psn = psn;
  return p;
}

struct Wire {
  EgressPort tx{"tx", 100};
  Link link{"link", sc_core::SC_ZERO_TIME, 0, 0, 1};
  Sink sink;
  Wire() {
    tx.connect(link);
    link.connect(sink);
  }
};

TEST(FabricEgress, SerializesAtLineRate) {
  Wire w;
  EXPECT_EQ(w.tx.frame_time(*frame(0, 0)), ps(334240));  // 4178 wire bytes at 100 Gb/s
  for (uint32_t i = 0; i < 3; ++i) w.tx.enqueue(frame(0, i));
  sc_core::sc_start();
  ASSERT_EQ(w.sink.got.size(), 3u);
  EXPECT_EQ(w.sink.at[0], ps(334240));
  EXPECT_EQ(w.sink.at[2], ps(3 * 334240));
  EXPECT_EQ(w.tx.stats().max_queued_bytes, 2u * 4178);  // the first frame left at once
}

TEST(FabricEgress, StrictPriorityThenPauseAndResume) {
  Wire w;
  w.tx.enqueue(frame(0, 1));  // starts at once
  w.tx.enqueue(frame(0, 2));
  w.tx.enqueue(frame(3, 3));  // overtakes psn 2
  sc_core::sc_start(us(2));
  ASSERT_EQ(w.sink.got.size(), 3u);
  EXPECT_EQ(w.sink.got[1]->psn, 3u);
  EXPECT_EQ(w.sink.got[2]->psn, 2u);

  EXPECT_TRUE(handle_pause(*make_pause_frame(0x0A, 1u << 3, true), w.tx));
  EXPECT_FALSE(handle_pause(*frame(3, 9), w.tx));  // data is not consumed
  EXPECT_TRUE(w.tx.paused(3));
  w.tx.enqueue(frame(3, 4));  // paused: waits
  w.tx.enqueue(frame(0, 5));  // another priority goes on
  sc_core::sc_start(us(2));
  ASSERT_EQ(w.sink.got.size(), 4u);
  EXPECT_EQ(w.sink.got[3]->psn, 5u);
  EXPECT_EQ(w.tx.stats().pause_frames_received, 1u);

  handle_pause(*make_pause_frame(0x0A, 1u << 3, false), w.tx);
  sc_core::sc_start();
  ASSERT_EQ(w.sink.got.size(), 5u);
  EXPECT_EQ(w.sink.got[4]->psn, 4u);
  EXPECT_EQ(w.sink.at[4], us(4) + ps(334240));  // resumed at 4 us
  EXPECT_EQ(w.tx.stats().paused_time, us(2));
}

TEST(FabricEgress, PauseFramesJumpPausedQueues) {
  Wire w;
  w.tx.set_paused(0, true);
  w.tx.enqueue(frame(0, 1));
  w.tx.send_control(make_pause_frame(0x0A, 1, true));
  sc_core::sc_start();
  ASSERT_EQ(w.sink.got.size(), 1u);
  EXPECT_TRUE(w.sink.got[0]->is_pause);
  EXPECT_EQ(w.sink.at[0], ps(84 * 80));  // 84 wire bytes
}

TEST(FabricEgress, CutThroughLeadStartsTheFrameInThePast) {
  Wire w;
  sc_core::sc_start(us(1));  // the port has been idle for 1 us
  w.tx.enqueue(frame(0, 1), ns(300));
  w.tx.enqueue(frame(0, 2), ns(300));  // queued behind: no lead
  sc_core::sc_start();
  ASSERT_EQ(w.sink.got.size(), 2u);
  EXPECT_EQ(w.sink.at[0], us(1) - ns(300) + ps(334240));
  EXPECT_EQ(w.sink.at[1], w.sink.at[0] + ps(334240));
}

// A port registers no event and no process at elaboration, and its frames end in the
// dispatcher (a timed wake, no process of its own): only a frame that ended on arrival (a
// cut-through lead as long as the frame) makes the port's one method, tx_done.
TEST(FabricEgress, EventsAndMethodsMadeOnFirstUse) {
  Wire w;
  EXPECT_TRUE(w.tx.get_child_events().empty());
  EXPECT_TRUE(w.tx.get_child_objects().empty());
  w.tx.enqueue(frame(0, 1));
  sc_core::sc_start(us(1));
  EXPECT_TRUE(w.tx.get_child_objects().empty());  // the release is the frame end's own work
  w.tx.enqueue(frame(0, 2), ns(500));  // started 500 ns ago: done already
  sc_core::sc_start();
  ASSERT_EQ(w.tx.get_child_objects().size(), 1u);
  EXPECT_NE(std::string(w.tx.get_child_objects()[0]->basename()).find("tx_done"), std::string::npos);
  ASSERT_EQ(w.sink.got.size(), 2u);
  EXPECT_EQ(w.sink.at[0], ps(334240));
  EXPECT_EQ(w.sink.at[1], us(1));
  EXPECT_TRUE(w.tx.idle());
}

TEST(FabricEgress, FlushCountsDrops) {
  Wire w;
  w.tx.set_paused(0, true);
  for (uint32_t i = 0; i < 4; ++i) w.tx.enqueue(frame(0, i));
  EXPECT_EQ(w.tx.flush(), 4u);
  EXPECT_EQ(w.tx.stats().drops, 4u);
  EXPECT_EQ(w.tx.queued_bytes(), 0u);
}

}  // namespace
}  // namespace gs
