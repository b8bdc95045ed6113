// The RC transport of models/roce without any NIC around it: a requester and a responder
// wired back to back by hand, frames passed (or lost) explicitly.
#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <vector>

#include "models/roce/rc_requester.hpp"
#include "models/roce/rc_responder.hpp"

namespace gs {
namespace {

constexpr uint32_t kMtu = 1000;

struct Pair {
  std::vector<uint8_t> src = std::vector<uint8_t>(2500);
  std::shared_ptr<PayloadPool> pool = std::make_shared<PayloadPool>();
  RcRequester req{kMtu, 1024, 0xFFFFFE};  // PSNs wrap after two packets
  RcResponder res{0xFFFFFE};
  std::vector<uint8_t> dst = std::vector<uint8_t>(2500);
  std::vector<uint64_t> retired;

  Pair() { std::iota(src.begin(), src.end(), uint8_t(1)); }
  RcMessage& post(uint64_t len, uint64_t tag, bool imm = false) {
    RcWrite w;
    w.remote_va = 0;
    w.length = len;
    w.with_imm = imm;
    w.imm = 0x80000007u;
    w.tag = tag;
    RcMessage& m = req.post(w);
    for (uint64_t off = 0; off < len; off += req.chunk_bytes()) {  // 1024-byte chunks of src
      auto c = pool->get(req.chunk_bytes());
      std::copy(src.begin() + long(off), src.begin() + long(std::min<uint64_t>(len, off + req.chunk_bytes())), c.get());
      m.chunks.push_back(c);
    }
    return m;
  }
  Packet send() {
    Packet f;
    req.emit(f, *pool);
    return f;
  }
  // The responder's handling of one data packet; returns the ACK/NAK it sends, if any.
  bool deliver(const Packet& p, Packet& ack) {
    bool nak = false;
    switch (res.order(p, nak)) {
      case RcResponder::Order::duplicate:
        res.fill_ack(ack, GSIM_RC_AETH_ACK, res.ack_psn());
        return true;
      case RcResponder::Order::gap:
        if (nak) res.fill_ack(ack, GSIM_RC_NAK_PSN_SEQ_ERR, res.expected_psn());
        return nak;
      case RcResponder::Order::next:
        break;
    }
    if (!res.check(p)) {
      res.fill_ack(ack, GSIM_RC_NAK_INVALID_REQUEST, p.psn);
      return true;
    }
    if (p.has_reth()) res.begin(p);
    if (p.payload_len) std::copy_n(p.data.get() + p.data_offset, p.payload_len, dst.begin() + long(res.write_va()));
    bool now = false;
    res.commit(p, 16, now);
    if (!now) return false;
    res.fill_ack(ack, GSIM_RC_AETH_ACK, res.ack_psn());
    res.acked();
    return true;
  }
  RcAckResult ack(const Packet& a) {
    return req.on_ack(a, [this](RcMessage& m) { retired.push_back(m.w.tag); });
  }
};

TEST(RoceRc, SegmentsAWriteAcrossTheWrapAndCompletesItOnce) {
  Pair t;
  EXPECT_EQ(t.post(2500, 42, true).packets, 3u);
  Packet a = t.send(), b = t.send(), c = t.send();
  EXPECT_FALSE(t.req.has_packet());
  EXPECT_EQ(a.op, RoceOp::write_first);
  EXPECT_EQ(b.op, RoceOp::write_middle);
  EXPECT_EQ(c.op, RoceOp::write_last_imm);
  EXPECT_EQ(a.psn, 0xFFFFFEu);
  EXPECT_EQ(c.psn, 0u);  // 24-bit wrap
  EXPECT_EQ(a.dma_len, 2500u);
  EXPECT_EQ(c.imm, 0x80000007u);
  EXPECT_EQ(c.payload_len, 500u);
  EXPECT_TRUE(c.ack_req);
  // Packet b straddles two 1024-byte chunks: it got a buffer of its own, same bytes.
  EXPECT_NE(b.data, a.data);
  Packet ack;
  EXPECT_FALSE(t.deliver(a, ack));
  EXPECT_FALSE(t.deliver(b, ack));
  ASSERT_TRUE(t.deliver(c, ack));
  EXPECT_EQ(ack.syndrome, GSIM_RC_AETH_ACK);
  EXPECT_EQ(ack.psn, 0u);
  EXPECT_EQ(ack.msn, 1u);
  EXPECT_EQ(t.dst, t.src);
  EXPECT_EQ(t.ack(ack), RcAckResult::progress);
  EXPECT_EQ(t.retired, std::vector<uint64_t>{42});
  // The same ACK again (a duplicate) retires nothing more.
  t.ack(ack);
  EXPECT_EQ(t.retired.size(), 1u);
  EXPECT_FALSE(t.req.pending());
}

TEST(RoceRc, ALostPacketIsNakedOnceAndResentGoBackN) {
  Pair t;
  t.post(2500, 1);
  t.post(1, 2);
  Packet p0 = t.send(), p1 = t.send(), p2 = t.send(), p3 = t.send();
  (void)p1;  // lost on the way
  Packet ack, nak, none;
  EXPECT_FALSE(t.deliver(p0, ack));
  ASSERT_TRUE(t.deliver(p2, nak));
  EXPECT_EQ(nak.syndrome, GSIM_RC_NAK_PSN_SEQ_ERR);
  EXPECT_EQ(nak.psn, 0xFFFFFFu);                // expects p1
  EXPECT_FALSE(t.deliver(p3, none));            // same gap: no second NAK
  EXPECT_EQ(t.ack(nak), RcAckResult::go_back);  // p0 acknowledged by the NAK, resend from p1
  EXPECT_EQ(t.req.una(), 1u);
  EXPECT_EQ(t.req.in_flight(), 0u);
  Packet r1 = t.send(), r2 = t.send(), r3 = t.send();
  EXPECT_EQ(r1.psn, p1.psn);
  Packet final_ack;
  t.deliver(r1, final_ack);
  t.deliver(r2, final_ack);
  ASSERT_TRUE(t.deliver(r3, final_ack));
  EXPECT_EQ(t.res.msn(), 2u);
  EXPECT_EQ(t.ack(final_ack), RcAckResult::progress);
  EXPECT_EQ(t.retired, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(t.dst, t.src);
  // A resent packet the responder already has is only re-ACKed.
  Packet dup;
  ASSERT_TRUE(t.deliver(r1, dup));
  EXPECT_EQ(dup.syndrome, GSIM_RC_AETH_ACK);
  EXPECT_EQ(dup.psn, r3.psn);
  EXPECT_EQ(t.res.msn(), 2u);
}

TEST(RoceRc, TimeoutsGoBackAndCountUntilProgress) {
  Pair t;
  t.post(2000, 1);
  t.send();
  t.send();
  EXPECT_TRUE(t.req.unacknowledged());
  EXPECT_EQ(t.req.timeout(), 1u);
  EXPECT_EQ(t.req.timeout(), 2u);
  Packet a = t.send();  // the first packet again: a retransmission
  Packet f;
  EXPECT_FALSE(t.req.emit(f, *t.pool));  // the second one, also a retransmission
  Packet ack;
  t.deliver(a, ack);
  t.deliver(f, ack);
  t.ack(ack);
  EXPECT_EQ(t.req.retries(), 0u);
  EXPECT_FALSE(t.req.unacknowledged());
}

TEST(RoceRc, FatalNakAndFlushDropEverything) {
  Pair t;
  t.post(100, 1);
  t.post(100, 2);
  t.send();
  Packet nak;
  nak.op = RoceOp::ack;
  nak.syndrome = GSIM_RC_NAK_REMOTE_ACCESS;
  nak.psn = 0xFFFFFE;
  EXPECT_EQ(t.ack(nak), RcAckResult::fatal);
  EXPECT_EQ(t.req.flush().size(), 2u);
  EXPECT_FALSE(t.req.pending());
  EXPECT_FALSE(t.req.has_packet());
  EXPECT_TRUE(t.retired.empty());
}

TEST(RoceRc, ResponderRefusesBrokenOpcodeSequencesAndLengths) {
  RcResponder r(5);
  Packet p;
  p.op = RoceOp::write_middle;  // no message started
  p.psn = 5;
  p.payload_len = 10;
  EXPECT_FALSE(r.check(p));
  p.op = RoceOp::write_first;
  p.dma_len = 15;
  EXPECT_TRUE(r.check(p));
  r.begin(p);
  bool now = false;
  EXPECT_FALSE(r.commit(p, 16, now));
  p.op = RoceOp::write_last;
  p.psn = 6;
  p.payload_len = 4;  // 5 bytes are left
  EXPECT_FALSE(r.check(p));
  p.op = RoceOp::write_first;  // a new message inside one
  EXPECT_FALSE(r.check(p));
  p.op = RoceOp::write_last;
  p.payload_len = 5;
  EXPECT_TRUE(r.check(p));
  EXPECT_TRUE(r.commit(p, 16, now));
  EXPECT_TRUE(now);
  EXPECT_EQ(r.message_va(), 0u);
  EXPECT_EQ(r.message_bytes(), 15u);
  // An empty single-packet write is legal; an empty first packet of a longer one is not.
  Packet e;
  e.op = RoceOp::write_only;
  e.psn = 7;
  EXPECT_TRUE(r.check(e));
  e.op = RoceOp::write_first;
  EXPECT_FALSE(r.check(e));
}

TEST(RoceRc, AcknowledgedChunksGoBackToThePool) {
  Pair t;
  RcMessage& m = t.post(2500, 1);
  std::weak_ptr<uint8_t> first = m.chunks[0];
  Packet a = t.send();
  Packet b = t.send();
  Packet ack;
  ack.op = RoceOp::ack;
  ack.syndrome = GSIM_RC_AETH_ACK;
  ack.psn = b.psn;  // 2000 bytes acknowledged: chunk 0 (bytes 0..1023) is never sent again
  a = Packet{};     // the frames are delivered and gone
  t.ack(ack);
  EXPECT_TRUE(first.expired());
  EXPECT_TRUE(t.req.next_message().chunks[0] == nullptr);
  EXPECT_NE(t.req.next_message().chunks[1], nullptr);  // bytes 1024..2047: not all acknowledged
}

// The completion callback is called as it is passed, never copied into a std::function
// (whose heap allocation for the NIC's callback was a malloc per ACK): a move-only one works.
TEST(RoceRc, AcksHandCompletedMessagesToAMoveOnlyCallback) {
  Pair t;
  t.post(1500, 7);
  Packet a = t.send(), b = t.send(), ack;
  Packet none;
  EXPECT_FALSE(t.deliver(a, none));
  ASSERT_TRUE(t.deliver(b, ack));
  std::vector<uint64_t> seen;
  auto move_only = std::make_unique<int>(1);
  EXPECT_EQ(t.req.on_ack(ack, [&seen, k = std::move(move_only)](RcMessage& m) { seen.push_back(m.w.tag * uint64_t(*k)); }),
            RcAckResult::progress);
  EXPECT_EQ(seen, std::vector<uint64_t>{7});
  EXPECT_EQ(t.req.messages(), 0u);
}

}  // namespace
}  // namespace gs
