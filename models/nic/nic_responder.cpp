// The responder: in-order RDMA WRITE packets land in HBM/SRAM through the card's router;
// a gap is NAKed once (go-back-N), duplicates are only re-ACKed (never written again, so a
// message signals its sync object exactly once); ACKs are coalesced.
#include "models/common/time.hpp"
#include "models/nic/nic_port.hpp"

namespace gs {

using sc_core::sc_time;

namespace {
constexpr uint8_t kNakInvalidRequest = 0x61;
constexpr uint8_t kNakRemoteAccess = 0x62;

bool is_first(RoceOp op) { return op == RoceOp::write_first || op == RoceOp::write_only || op == RoceOp::write_only_imm; }
bool is_last(RoceOp op) {
  return op == RoceOp::write_last || op == RoceOp::write_last_imm || op == RoceOp::write_only ||
         op == RoceOp::write_only_imm;
}
bool is_write(RoceOp op) { return op >= RoceOp::write_first && op <= RoceOp::write_only_imm; }
}  // namespace

void NicPort::on_data(const PacketPtr& pp) {
  const Packet& p = *pp;
  Qp* q = find_qp(p.dest_qp);
  if (!q || !q->res.ctx.valid || q->error || !is_write(p.op) || p.src_ip != q->res.ctx.peer_ip) {
    ++cnt_.rx_bad_qp;
    ++cnt_.rx_drops;
    return;
  }
  ResponderState& r = q->res;
  const int32_t d = psn_diff(p.psn, r.expected_psn);
  if (d < 0) {  // already written: tell the requester again how far we are
    ++cnt_.rx_duplicates;
    send_ack(p.dest_qp, *q, kAethAck, r.last_psn());
    return;
  }
  if (d > 0) {  // a gap: one NAK until the expected packet comes back
    ++cnt_.rx_out_of_seq;
    ++cnt_.rx_drops;
    if (!r.nak_sent) {
      r.nak_sent = true;
      send_ack(p.dest_qp, *q, kAethNakPsnSeqErr, r.expected_psn);
    }
    return;
  }
  r.nak_sent = false;
  uint32_t synd = GSIM_NIC_ERR_NONE;
  if (is_first(p.op)) {
    if (!accept_first(*q, p, synd)) {
      ++cnt_.rx_drops;
      send_ack(p.dest_qp, *q, synd == GSIM_NIC_ERR_RX_ACCESS ? kNakRemoteAccess : kNakInvalidRequest, p.psn);
      enter_error(p.dest_qp, *q, synd);
      return;
    }
  } else if (!r.in_message) {
    synd = GSIM_NIC_ERR_RX_SEQUENCE;
  }
  const bool last = is_last(p.op);
  if (!synd && (p.payload_len > r.left || (last && p.payload_len != r.left) || p.payload_len == 0))
    synd = GSIM_NIC_ERR_RX_SEQUENCE;
  if (synd) {
    ++cnt_.rx_drops;
    send_ack(p.dest_qp, *q, kNakInvalidRequest, p.psn);
    enter_error(p.dest_qp, *q, synd);
    return;
  }
  sc_time landed = sc_core::SC_ZERO_TIME;
  // A write only reads the bytes; a frame without any (sim.payload=timing) writes none.
  auto* bytes = p.data ? const_cast<uint8_t*>(p.data->data() + p.data_offset) : nullptr;
  if (bus_payload_access(*card_.noc, tlm::TLM_WRITE_COMMAND, r.write_va, bytes, p.payload_len, landed) !=
      tlm::TLM_OK_RESPONSE) {
    ++cnt_.rx_access_errors;
    ++cnt_.rx_drops;
    send_ack(p.dest_qp, *q, kNakRemoteAccess, p.psn);
    enter_error(p.dest_qp, *q, GSIM_NIC_ERR_RX_ACCESS);
    return;
  }
  cnt_.rx_payload_bytes += p.payload_len;
  r.write_va += p.payload_len;
  r.left -= p.payload_len;
  r.expected_psn = (p.psn + 1) & GSIM_NIC_PSN_MASK;
  ++r.unacked;
  if (last) {
    r.in_message = false;
    ++r.msn;
    ++cnt_.msgs_received;
    message_landed(p.dest_qp, *q, p.has_imm() ? p.imm : 0, landed);
  }
  if (last || p.ack_req || r.unacked >= p_.ack_every)
    send_ack(p.dest_qp, *q, kAethAck, r.last_psn());
  else
    schedule_delayed_ack(p.dest_qp, *q);
}

// RETH of a new message: the rkey must be the context's, and the whole range must be HBM or
// SRAM at or above RX_PROT_END (the driver's own memory is below it).
bool NicPort::accept_first(Qp& q, const Packet& p, uint32_t& synd) {
  ResponderState& r = q.res;
  if (r.in_message || p.dma_len == 0) {
    synd = GSIM_NIC_ERR_RX_SEQUENCE;
    return false;
  }
  if (p.rkey != r.ctx.rkey || p.va < rx_prot_end() || !local_range_ok(p.va, p.dma_len)) {
    ++cnt_.rx_access_errors;
    synd = GSIM_NIC_ERR_RX_ACCESS;
    return false;
  }
  r.in_message = true;
  r.write_va = p.va;
  r.left = p.dma_len;
  return true;
}

// The last byte of a message lands at now + landed: only then does the receiving card's
// sync object move (its monitors may release engines that read the data).
void NicPort::message_landed(uint32_t qpn, Qp& q, uint32_t imm, sc_time landed) {
  if (!(imm & 0x80000000u) || !q.res.ctx.sob_allowed) return;
  const uint32_t sob = imm & 0xFFFFu, msn = q.res.msn;
  const uint64_t epoch = epoch_;
  at(landed, [this, qpn, sob, msn, epoch] {
    if (epoch != epoch_) return;
    if (sob < GAUDI_SM_NUM_SOBS && sob >= sob_min())
      signal_sob(sob);
    else
      ++cnt_.rx_access_errors;  // a peer may not move this card's driver-owned objects
    write_cqe(qpn, GSIM_NIC_CQE_TYPE_RES, msn);
  });
}

void NicPort::send_ack(uint32_t qpn, Qp& q, uint8_t syndrome, uint32_t psn) {
  ResponderState& r = q.res;
  const ResponderCtx& c = r.ctx;
  auto f = new_frame(c.priority, c.peer_mac, c.peer_ip, c.peer_qp, qpn);
  f->op = RoceOp::ack;
  f->syndrome = syndrome;
  f->psn = psn & GSIM_NIC_PSN_MASK;
  f->msn = r.msn;
  if (syndrome == kAethAck) {
    ++cnt_.acks_sent;
    r.unacked = 0;
    r.ack_scheduled = false;
    r.ack_gen = ++gen_;
  } else {
    ++cnt_.naks_sent;
    ++q.stats.naks_sent;
  }
  send_frame(f);
}

void NicPort::schedule_delayed_ack(uint32_t qpn, Qp& q) {
  ResponderState& r = q.res;
  if (r.ack_scheduled) return;
  r.ack_scheduled = true;
  r.ack_gen = ++gen_;
  const uint64_t gen = r.ack_gen;
  at(ns(p_.ack_delay_ns), [this, qpn, gen] {
    Qp* q = find_qp(qpn);
    if (!q || q->res.ack_gen != gen || q->error || !q->res.unacked) return;
    send_ack(qpn, *q, kAethAck, q->res.last_psn());
  });
}

}  // namespace gs
