// The responder side of a port: the QP's RC transport (models/roce/rc_responder) orders and
// checks incoming RDMA WRITE packets; the port checks the rkey and range, writes the payload
// into HBM/SRAM through the card's router, sends the (coalesced, possibly delayed) ACKs and
// signals the sync object named in the immediate once a whole message has landed.
#include "models/common/time.hpp"
#include "models/nic/nic_port.hpp"

namespace gs {

using sc_core::sc_time;

namespace {
bool is_write(RoceOp op) { return op >= RoceOp::write_first && op <= RoceOp::write_only_imm; }
}  // namespace

void NicPort::on_data(const PacketPtr& pp) {
  const Packet& p = *pp;
  const uint32_t qpn = p.dest_qp;
  Qp* q = find_qp(qpn);
  if (!q || !q->res.ctx.valid || q->error || !is_write(p.op) || p.src_ip != q->res.ctx.peer_ip) {
    ++cnt_.rx_bad_qp;
    ++cnt_.rx_drops;
    return;
  }
  RcResponder& rc = q->res.rc;
  bool nak = false;
  switch (rc.order(p, nak)) {
    case RcResponder::Order::duplicate:  // already written: tell the requester again how far we are
      ++cnt_.rx_duplicates;
      send_ack(qpn, *q, GSIM_RC_AETH_ACK, rc.ack_psn());
      return;
    case RcResponder::Order::gap:  // one NAK until the expected packet comes back
      ++cnt_.rx_out_of_seq;
      ++cnt_.rx_drops;
      if (nak) send_ack(qpn, *q, GSIM_RC_NAK_PSN_SEQ_ERR, rc.expected_psn());
      return;
    case RcResponder::Order::next:
      break;
  }
  // The QP is in error before its NAK is sent: a NAK that starts on an idle MAC runs the
  // pump at once (nic_port.cpp, on_dequeue), which must not send this QP's data any more.
  auto refuse = [&](uint8_t nak_syndrome, uint32_t qp_syndrome) {
    ++cnt_.rx_drops;
    enter_error(qpn, *q, qp_syndrome);
    send_ack(qpn, *q, nak_syndrome, p.psn);
  };
  if (!rc.check(p)) return refuse(GSIM_RC_NAK_INVALID_REQUEST, GSIM_NIC_ERR_RX_SEQUENCE);
  if (p.has_reth()) {
    if (!accept_first(*q, p)) {
      ++cnt_.rx_access_errors;
      return refuse(GSIM_RC_NAK_REMOTE_ACCESS, GSIM_NIC_ERR_RX_ACCESS);
    }
    rc.begin(p);
  }
  sc_time landed = sc_core::SC_ZERO_TIME;
  // A write only reads the bytes; a frame without any (sim.payload=timing) writes none. The
  // memory may keep a reference to the frame's block instead of a copy (BlockShare).
  auto* bytes = p.data ? const_cast<uint8_t*>(p.data.get() + p.data_offset) : nullptr;
  BlockShare from;
  from.block = p.data;
  if (p.payload_len && bus_payload_access(*card_.noc, tlm::TLM_WRITE_COMMAND, rc.write_va(), bytes, p.payload_len,
                                          landed, &from) != tlm::TLM_OK_RESPONSE) {
    ++cnt_.rx_access_errors;
    return refuse(GSIM_RC_NAK_REMOTE_ACCESS, GSIM_NIC_ERR_RX_ACCESS);
  }
  cnt_.rx_payload_bytes += p.payload_len;
  bool ack_now = false;
  if (rc.commit(p, p_.ack_every, ack_now)) {
    ++cnt_.msgs_received;
    message_landed(qpn, *q, p.has_imm() ? p.imm : 0, landed);
  }
  if (ack_now)
    send_ack(qpn, *q, GSIM_RC_AETH_ACK, rc.ack_psn());
  else
    schedule_delayed_ack(qpn, *q);
}

// RETH of a new message: the rkey must be the context's, and the whole range must be HBM or
// SRAM at or above RX_PROT_END (the driver's own memory is below it).
bool NicPort::accept_first(const Qp& q, const Packet& p) const {
  return p.rkey == q.res.ctx.rkey && p.va >= rx_prot_end() && local_range_ok(p.va, p.dma_len);
}

// The last byte of a message lands at now + landed: only then does the receiving card's
// sync object move (its monitors may release engines that read the data).
void NicPort::message_landed(uint32_t qpn, Qp& q, uint32_t imm, sc_time landed) {
  if (!(imm & GSIM_RC_IMM_SIGNAL_SOB) || !q.res.ctx.sob_allowed) return;
  Due d{};
  d.kind = Due::Kind::message_landed;
  d.qpn = qpn;
  d.sob = imm & GSIM_RC_IMM_SOB_MASK;
  d.msn = q.res.rc.msn();
  d.gen = epoch_;
  at(landed, d);
}

void NicPort::landed_due(uint32_t qpn, uint32_t sob, uint32_t msn, uint64_t epoch) {
  if (epoch != epoch_) return;
  if (sob < GAUDI_SM_NUM_SOBS && sob >= sob_min())
    signal_sob(sob);
  else
    ++cnt_.rx_access_errors;  // a peer may not move this card's driver-owned objects
  write_cqe(qpn, GSIM_NIC_CQE_TYPE_RES, msn);
}

void NicPort::send_ack(uint32_t qpn, Qp& q, uint8_t syndrome, uint32_t psn) {
  ResponderState& r = q.res;
  const ResponderCtx& c = r.ctx;
  auto f = new_frame(c.priority, c.peer_mac, c.peer_ip, c.peer_qp, qpn);
  r.rc.fill_ack(*f, syndrome, psn);
  if (syndrome == GSIM_RC_AETH_ACK) {
    ++cnt_.acks_sent;
    r.rc.acked();  // and no delayed ACK is owed any more
    r.ack_gen = ++gen_;
  } else {
    ++cnt_.naks_sent;
    ++q.stats.naks_sent;
  }
  send_frame(f);
}

void NicPort::schedule_delayed_ack(uint32_t qpn, Qp& q) {
  ResponderState& r = q.res;
  if (r.rc.ack_timer()) return;
  r.rc.set_ack_timer();
  r.ack_gen = ++gen_;
  Due d{};
  d.kind = Due::Kind::delayed_ack;
  d.qpn = qpn;
  d.gen = r.ack_gen;
  at(ns(p_.ack_delay_ns), d);
}

void NicPort::delayed_ack_due(uint32_t qpn, uint64_t gen) {
  Qp* q = find_qp(qpn);
  if (!q || q->res.ack_gen != gen || q->error || !q->res.rc.unacked()) return;
  send_ack(qpn, *q, GSIM_RC_AETH_ACK, q->res.rc.ack_psn());
}

}  // namespace gs
