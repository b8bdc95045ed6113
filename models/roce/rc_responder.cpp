// RcResponder: PSN order, opcode sequence and ACK coalescing of one RC connection.
#include "models/roce/rc_responder.hpp"

namespace gs {

namespace {
bool is_first(RoceOp op) { return op == RoceOp::write_first || op == RoceOp::write_only || op == RoceOp::write_only_imm; }
bool is_last(RoceOp op) {
  return op == RoceOp::write_last || op == RoceOp::write_last_imm || op == RoceOp::write_only ||
         op == RoceOp::write_only_imm;
}
bool is_only(RoceOp op) { return op == RoceOp::write_only || op == RoceOp::write_only_imm; }
}  // namespace

RcResponder::Order RcResponder::order(const Packet& p, bool& nak) {
  nak = false;
  const int32_t d = psn_diff(p.psn, expected_psn_);
  if (d < 0) return Order::duplicate;
  if (d > 0) {
    nak = !nak_sent_;
    nak_sent_ = true;
    return Order::gap;
  }
  nak_sent_ = false;
  return Order::next;
}

bool RcResponder::check(const Packet& p) const {
  if (is_first(p.op)) {
    if (in_message_) return false;
    // Only a single-packet write may be empty; a multi-packet one announces its bytes.
    if (p.dma_len == 0) return is_only(p.op) && p.payload_len == 0;
    return p.payload_len > 0 && p.payload_len <= p.dma_len && (!is_last(p.op) || p.payload_len == p.dma_len);
  }
  if (!in_message_) return false;
  return p.payload_len > 0 && p.payload_len <= left_ && (!is_last(p.op) || p.payload_len == left_);
}

void RcResponder::begin(const Packet& p) {
  in_message_ = true;
  write_va_ = message_va_ = p.va;
  left_ = message_len_ = p.dma_len;
}

bool RcResponder::commit(const Packet& p, uint32_t ack_every, bool& ack_now) {
  write_va_ += p.payload_len;
  left_ -= p.payload_len;
  expected_psn_ = (p.psn + 1) & GSIM_RC_PSN_MASK;
  ++unacked_;
  const bool last = is_last(p.op);
  if (last) {
    in_message_ = false;
    ++msn_;
  }
  ack_now = last || p.ack_req || unacked_ >= ack_every;
  return last;
}

void RcResponder::fill_ack(Packet& f, uint8_t syndrome, uint32_t psn) const {
  f.op = RoceOp::ack;
  f.syndrome = syndrome;
  f.psn = psn & GSIM_RC_PSN_MASK;
  f.msn = msn_ & GSIM_RC_PSN_MASK;
}

}  // namespace gs
