// Frames and links: RoCE v2 frame sizes, the framing bound at a 4096-byte MTU, seeded loss,
// corruption and a link going down with frames on the wire.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "models/common/time.hpp"
#include "models/fabric/packet_pool.hpp"
#include "models/fabric/egress_port.hpp"
#include "models/fabric/link.hpp"
#include "frame_sink.hpp"

namespace gs {
namespace {

using test::Sink;

PacketPtr data_frame(RoceOp op, uint32_t payload, uint32_t psn = 0) {
  auto p = make_packet();
  p->op = op;
  p->payload_len = payload;
  p->psn = psn;
  return p;
}

TEST(FabricFrame, RoceV2HeaderSizes) {
  // Ethernet 14 + IPv4 20 + UDP 8 + BTH 12 + payload + ICRC 4 + FCS 4
  EXPECT_EQ(data_frame(RoceOp::write_middle, 4096)->frame_bytes(), 4158u);
  EXPECT_EQ(data_frame(RoceOp::write_first, 4096)->frame_bytes(), 4158u + 16);  // + RETH
  EXPECT_EQ(data_frame(RoceOp::write_only_imm, 4096)->frame_bytes(), 4158u + 16 + 4);
  EXPECT_EQ(data_frame(RoceOp::write_middle, 4096)->wire_bytes(), 4178u);  // + preamble/SFD 8, IFG 12
  EXPECT_EQ(data_frame(RoceOp::ack, 0)->frame_bytes(), 66u);                // + AETH: above the minimum
  EXPECT_EQ(data_frame(RoceOp::write_middle, 1)->frame_bytes(), 64u);       // padded to the 64-byte minimum
  Packet pause;
  pause.is_pause = true;
  EXPECT_EQ(pause.wire_bytes(), 84u);
}

TEST(FabricFrame, FramingEfficiencyAt4096IsAbout98Percent) {
  // A long write: one first packet with RETH, then middles: goodput / line rate.
  const uint64_t packets = 1024;
  uint64_t wire = data_frame(RoceOp::write_first, 4096)->wire_bytes() +
                  (packets - 1) * data_frame(RoceOp::write_middle, 4096)->wire_bytes();
  double efficiency = double(packets * 4096) / double(wire);
  EXPECT_NEAR(efficiency, 0.980, 0.001);
  // At 100 Gb/s that is 98.0 Gb/s of RDMA payload.
  EXPECT_NEAR(100.0 * efficiency, 98.0, 0.1);
}

TEST(FabricFrame, LossRateIsSeededAndDeterministic) {
  const uint64_t seed = 42, frames = 100000;
  const double loss = 1e-3;
  Link link("link", ns(100), loss, 0.0, seed);
  EgressPort tx("tx", 100);
  Sink sink;
  tx.connect(link);
  link.connect(sink);
  uint64_t sent = 0;
  tx.on_idle = [&] {
    if (sent < frames) ++sent, tx.enqueue(data_frame(RoceOp::write_middle, 4096, uint32_t(sent)));
  };
  tx.on_idle();
  sc_core::sc_start();
  EXPECT_EQ(sent, frames);
  // The same generator and seed decide the same frames: the count is exact.
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  uint64_t expect_lost = 0;
  for (uint64_t i = 0; i < frames; ++i) expect_lost += uni(rng) < loss;
  EXPECT_EQ(link.stats().lost, expect_lost);
  EXPECT_NEAR(double(link.stats().lost), 100.0, 35.0);
  EXPECT_EQ(sink.got.size(), frames - link.stats().lost);
  EXPECT_EQ(link.stats().frames, frames);
}

TEST(FabricFrame, CorruptionMarksTheDeliveredCopyOnly) {
  Link link("link", ns(50), 0.0, 1.0, 7);
  Sink sink;
  link.connect(sink);
  PacketPtr p = data_frame(RoceOp::write_only, 256);
  link.carry(p, ns(10));
  sc_core::sc_start();
  ASSERT_EQ(sink.got.size(), 1u);
  EXPECT_TRUE(sink.got[0]->corrupted);
  EXPECT_FALSE(p->corrupted);  // the sender's frame (a retransmission source) stays good
  EXPECT_EQ(link.stats().corrupted, 1u);
  EXPECT_EQ(sink.at[0], ns(60));  // transmission + propagation
}

// A sender hands its reference over with the frame's wire bytes (it has them): the link
// counts those, and a corrupting link still corrupts only its own copy.
TEST(FabricFrame, CarryTakesTheSendersReference) {
  Link clean("clean", ns(50), 0.0, 0.0, 7), bad("bad", ns(50), 0.0, 1.0, 7);
  Sink sink;
  clean.connect(sink);
  bad.connect(sink);
  PacketPtr p = data_frame(RoceOp::write_only, 256);
  Packet* const sent = p.get();
  const uint32_t bytes = p->wire_bytes();
  clean.carry(std::move(p), ns(10), bytes);
  EXPECT_FALSE(p);  // handed over, not copied
  PacketPtr kept = data_frame(RoceOp::write_only, 256);
  PacketPtr q = kept;
  bad.carry(std::move(q), ns(20), bytes);
  EXPECT_EQ(kept.use_count(), 1);  // the link holds its corrupted copy, not the sender's frame
  sc_core::sc_start();
  ASSERT_EQ(sink.got.size(), 2u);
  EXPECT_EQ(sink.got[0].get(), sent);
  EXPECT_EQ(sink.got[0].use_count(), 1);  // the sink's only: nobody else kept it
  EXPECT_TRUE(sink.got[1]->corrupted);
  EXPECT_FALSE(kept->corrupted);
  EXPECT_EQ(clean.stats().bytes, bytes);
  EXPECT_EQ(bad.stats().bytes, bytes);
  EXPECT_EQ(sink.at[1], ns(70));
}

TEST(FabricFrame, LinkDownDropsFramesInFlight) {
  Link link("link", us(10), 0.0, 0.0, 1);  // a long cable: many frames on the wire
  EgressPort tx("tx", 100);
  Sink sink;
  tx.connect(link);
  link.connect(sink);
  for (int i = 0; i < 50; ++i) tx.enqueue(data_frame(RoceOp::write_middle, 4096, i));
  sc_core::sc_start(us(12));  // ~35 frames sent, the first ~5 arrived
  const size_t arrived = sink.got.size();
  EXPECT_GT(arrived, 0u);
  link.set_up(false);
  const uint64_t on_wire = link.stats().dropped_down;
  EXPECT_GT(on_wire, 20u);
  sc_core::sc_start();
  EXPECT_EQ(sink.got.size(), arrived);  // nothing arrives once down
  EXPECT_EQ(link.stats().dropped_down, 50u - arrived);  // in flight + sent while down
}

// Frames on the wire when the link goes down are cut even if it is up again before they were
// due (their arrival entries hold them; the link only remembers where the cut was); frames
// carried after it came back arrive, and the counters add up.
TEST(FabricFrame, LinkBackUpDeliversOnlyFramesCarriedSince) {
  Link link("link", us(10), 0.0, 0.0, 1);
  EgressPort tx("tx", 100);
  Sink sink;
  tx.connect(link);
  link.connect(sink);
  for (int i = 0; i < 50; ++i) tx.enqueue(data_frame(RoceOp::write_middle, 4096, i));
  sc_core::sc_start(us(12));
  const size_t before = sink.got.size();
  const uint64_t carried = link.stats().frames;
  ASSERT_GT(before, 0u);
  link.set_up(false);
  EXPECT_EQ(link.stats().cut, carried - before);
  EXPECT_GT(link.stats().cut, 20u);
  sc_core::sc_start(us(1));  // a few frames leave the port meanwhile and are dropped
  link.set_up(true);
  // Frames that left the port so far: carried (the cut ones among them) or dropped while down.
  const uint64_t next_psn = link.stats().frames + link.stats().dropped_down - link.stats().cut;
  sc_core::sc_start();
  ASSERT_EQ(sink.got.size(), before + (50 - next_psn));
  for (size_t i = 0; i < before; ++i) EXPECT_EQ(sink.got[i]->psn, i);
  for (size_t i = before; i < sink.got.size(); ++i) EXPECT_EQ(sink.got[i]->psn, next_psn + (i - before));
  const LinkStats& s = link.stats();
  EXPECT_EQ(s.delivered, sink.got.size());
  EXPECT_EQ(s.in_flight(), 0u);
  EXPECT_EQ(s.frames, s.delivered + s.lost + s.cut);
  EXPECT_EQ(s.frames + s.dropped_down - s.cut, 50u);  // dropped_down counts the cut ones too
  EXPECT_EQ(sink.got.back()->psn, 49u);
}

}  // namespace
}  // namespace gs
