// The requester side of a port: send WQEs become RDMA WRITEs of the QP's RC transport
// (models/roce/rc_requester: segmentation, PSNs, go-back-N), transmitted by a pump that keeps
// the MAC fed; completed messages signal sync objects and write CQ entries; the port keeps the
// retransmission timer.
#include <algorithm>
#include <cstring>

#include "models/common/time.hpp"
#include "models/nic/nic_port.hpp"
#include "models/common/sim_now.hpp"

namespace gs {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

uint32_t NicPort::check_wqe(const gsim_nic_send_wqe& w) const {
  if ((w.ctl & GSIM_NIC_WQE_OPCODE_MASK) != GSIM_NIC_WQE_OP_RDMA_WRITE) return GSIM_NIC_ERR_BAD_OPCODE;
  uint32_t qpn = w.conn & GSIM_NIC_WQE_QP_MASK;
  auto it = qps_.find(qpn);
  if (it == qps_.end() || !it->second.req.ctx.valid) return GSIM_NIC_ERR_BAD_QP;
  if (it->second.error) return GSIM_NIC_ERR_QP_IN_ERROR;
  if (!link_up()) return GSIM_NIC_ERR_PORT_DOWN;
  if (w.length == 0) return GSIM_NIC_ERR_BAD_LENGTH;
  if (!local_range_ok(w.local_addr, w.length)) return GSIM_NIC_ERR_BAD_LOCAL_ADDR;
  uint32_t remote_sob = (w.conn & GSIM_NIC_WQE_REMOTE_SOB_MASK) >> GSIM_NIC_WQE_REMOTE_SOB_SHIFT;
  if ((w.ctl & GSIM_NIC_WQE_SIGNAL_REMOTE) && remote_sob >= GAUDI_SM_NUM_SOBS) return GSIM_NIC_ERR_BAD_SOB;
  const uint32_t local_sob = w.local_sob & GSIM_NIC_WQE_LOCAL_SOB_MASK;
  if ((w.ctl & GSIM_NIC_WQE_SIGNAL_LOCAL) && (local_sob >= GAUDI_SM_NUM_SOBS || local_sob < sob_min()))
    return GSIM_NIC_ERR_BAD_SOB;
  return GSIM_NIC_ERR_NONE;
}

// A WQE write has landed: accept it as a message of ceil(length / MTU) packets, or refuse it.
void NicPort::post_wqe(const gsim_nic_send_wqe& w) {
  if (uint32_t cause = check_wqe(w)) {
    refuse_wqe(w, cause);
    return;
  }
  uint32_t qpn = w.conn & GSIM_NIC_WQE_QP_MASK;
  Qp& q = qps_[qpn];
  RequesterState& r = q.req;
  WqeTag tag;
  tag.wqe_index = r.ctx.last_wqe_index ? r.wqes_posted % (r.ctx.last_wqe_index + 1) : r.wqes_posted;
  tag.signal_local = w.ctl & GSIM_NIC_WQE_SIGNAL_LOCAL;
  tag.local_sob = w.local_sob & GSIM_NIC_WQE_LOCAL_SOB_MASK;
  ++r.wqes_posted;
  RcWrite m;
  m.local_addr = w.local_addr;
  m.remote_va = w.remote_addr;
  m.length = w.length;
  m.rkey = r.ctx.rkey;
  m.with_imm = w.ctl & GSIM_NIC_WQE_SIGNAL_REMOTE;
  m.imm = GSIM_RC_IMM_SIGNAL_SOB | (w.conn >> GSIM_NIC_WQE_REMOTE_SOB_SHIFT);
  m.tag = tag.pack();
  r.rc.post(m);
  add_to_ring(qpn, q);
  pump_ev_.notify(SC_ZERO_TIME);
}

void NicPort::add_to_ring(uint32_t qpn, Qp& q) {
  if (q.req.in_ring) return;
  q.req.in_ring = true;
  ring_.push_back(qpn);
}

void NicPort::remove_from_ring(uint32_t qpn) {
  ring_.erase(std::remove(ring_.begin(), ring_.end(), qpn), ring_.end());
  if (Qp* q = find_qp(qpn)) q->req.in_ring = false;
}

// Keep the MAC fed: QPs take turns (a QP keeps its turn for `burst` packets, 0 = until it
// has nothing to send); a QP whose priority already has kTxDepth frames queued waits for
// one to leave, which calls the pump again. A call from inside the pump (its own frame
// started on an idle MAC, or queued on a paused one) is another pass once this one ends.
void NicPort::pump() {
  if (in_pump_) {
    pump_again_ = true;
    return;
  }
  if (!link_up() || hung_) return;
  in_pump_ = true;
  sc_time wake = sc_core::SC_ZERO_TIME;
  bool have_wake = false;
  do {
    pump_again_ = false;
    pump_pass(wake, have_wake);
  } while (pump_again_ && link_up() && !hung_);
  in_pump_ = false;
  if (have_wake) pump_ev_.notify(wake - sim_now());
}

void NicPort::pump_pass(sc_time& wake, bool& have_wake) {
  for (size_t i = 0; i < ring_.size();) {
    uint32_t qpn = ring_[i];
    Qp* q = find_qp(qpn);
    if (!q || q->error || !q->req.rc.has_packet()) {  // nothing to send (any more)
      if (q) q->req.in_ring = false;
      ring_.erase(ring_.begin() + long(i));
      continue;
    }
    sc_time ready;
    TxResult res = try_send(qpn, *q, ready);
    if (res == TxResult::later) {
      if (!have_wake || ready < wake) wake = ready;
      have_wake = true;
    }
    if (res != TxResult::sent) {
      ++i;
      continue;
    }
    RequesterState& r = q->req;
    if (r.ctx.burst && ++r.burst_used >= r.ctx.burst) {  // turn over: to the back of the ring
      r.burst_used = 0;
      ring_.erase(ring_.begin() + long(i));
      ring_.push_back(qpn);
    }
  }
}

NicPort::TxResult NicPort::try_send(uint32_t qpn, Qp& q, sc_time& ready) {
  RequesterState& r = q.req;
  RcRequester& rc = r.rc;
  const unsigned prio = r.ctx.priority;
  if (data_queued_[prio] >= kTxDepth) return TxResult::blocked;
  if (rc.in_flight() >= p_.window_packets) return TxResult::blocked;
  RcMessage& m = rc.next_message();
  const uint32_t plen = rc.next_length();
  if (!fetch_for(q, qpn, m, rc.next_offset() + plen, ready)) return TxResult::blocked;
  if (ready > sim_now()) return TxResult::later;

  auto f = new_frame(prio, r.ctx.dst_mac, r.ctx.dst_ip, r.ctx.dst_qp, qpn);
  if (r.ctx.src_ip) f->src_ip = r.ctx.src_ip;
  if (rc.emit(*f, *payload_pool_)) {
    cnt_.tx_payload_bytes += plen;
    q.stats.payload_bytes_sent += plen;
  } else {
    ++cnt_.retransmissions;
    ++q.stats.retransmissions;
  }
  send_frame(f);
  update_timer(qpn, q, false);
  return TxResult::sent;
}

// The message's bytes are read once, through the card's router (charged on HBM/SRAM), in
// chunks issued just ahead of the packets that need them. `ready`: when the bytes up to
// end_offset are in. False if the read failed (the QP is then in error).
bool NicPort::fetch_for(Qp& q, uint32_t qpn, RcMessage& m, uint64_t end_offset, sc_time& ready) {
  const uint64_t len = m.w.length;
  const size_t need = size_t((end_offset - 1) / kFetchChunk);
  const size_t chunks = size_t((len + kFetchChunk - 1) / kFetchChunk);
  const size_t want = std::min(chunks, need + 2);  // one chunk of read-ahead
  const sc_time now = sim_now();
  if (m.chunk_ready.empty()) m.chunk_ready.reserve(chunks);  // one allocation per message
  while (m.chunk_ready.size() < want) {
    const uint64_t off = uint64_t(m.chunk_ready.size()) * kFetchChunk;
    const uint64_t n = std::min<uint64_t>(kFetchChunk, len - off);
    sc_time d = SC_ZERO_TIME;
    PayloadPool::Buffer buf;
    if (!card_.timing_payload) buf = payload_pool_->get(size_t(n));
    uint8_t* into = buf.get();  // none: timing only
    BlockShare lent;  // a whole memory page may come as its block: then `buf` goes back unused
    if (bus_payload_access(*card_.noc, tlm::TLM_READ_COMMAND, m.w.local_addr + off, into, n, d, &lent) !=
        tlm::TLM_OK_RESPONSE) {
      enter_error(qpn, q, GSIM_NIC_ERR_LOCAL_READ);
      return false;
    }
    // Frames only read a chunk; the page that lent it copies its block before writing again,
    // so the chunk keeps the bytes read now, as a copy would (retransmissions included).
    if (lent.block) buf = std::const_pointer_cast<uint8_t>(lent.block);
    m.chunk_ready.push_back(now + d);
    if (card_.timing_payload) continue;  // no bytes: frames carry only their sizes
    if (m.chunks.empty()) m.chunks.reserve(chunks);
    m.chunks.push_back(std::move(buf));
  }
  ready = m.chunk_ready[need];
  return true;
}

// ACK (cumulative up to its PSN) or NAK for one of our requester QPs. Messages it completes
// signal their local sync object and write their requester CQ entry; progress restarts the
// retransmission timer; a NAK other than a PSN gap puts the QP in error.
void NicPort::on_ack(const Packet& p) {
  const uint32_t qpn = p.dest_qp;
  Qp* q = find_qp(qpn);
  if (!q || !q->req.ctx.valid || q->error) {
    ++cnt_.rx_bad_qp;
    ++cnt_.rx_drops;
    return;
  }
  RequesterState& r = q->req;
  if (p.syndrome >> GSIM_RC_AETH_KIND_SHIFT == GSIM_RC_AETH_KIND_ACK) {
    ++cnt_.acks_received;
  } else {
    ++cnt_.naks_received;
    ++q->stats.naks_received;
  }
  const uint64_t una = r.rc.una();
  const RcAckResult res = r.rc.on_ack(p, [&](RcMessage& m) {
    ++cnt_.msgs_sent;
    const WqeTag tag = WqeTag::unpack(m.w.tag);
    if (tag.signal_local && r.ctx.sob_allowed) signal_sob(tag.local_sob);
    write_cqe(qpn, GSIM_NIC_CQE_TYPE_REQ, tag.wqe_index);
    wqe_done(1);
  });
  if (res == RcAckResult::fatal) {
    const unsigned code = p.syndrome & GSIM_RC_AETH_CODE_MASK;
    enter_error(qpn, *q, code == (GSIM_RC_NAK_REMOTE_ACCESS & GSIM_RC_AETH_CODE_MASK) ? GSIM_NIC_ERR_REMOTE_ACCESS
                                                                                      : GSIM_NIC_ERR_REMOTE_INVALID);
    return;
  }
  if (r.rc.una() != una) {
    update_timer(qpn, *q, true);
    pump_ev_.notify(SC_ZERO_TIME);  // the window may have opened
  }
  if (res == RcAckResult::go_back) {
    add_to_ring(qpn, *q);
    pump_ev_.notify(SC_ZERO_TIME);
  }
}

sc_time NicPort::retrans_timeout(const Qp& q) const {
  return us(p_.retrans_timeout_us * std::max<uint32_t>(1, q.req.ctx.timer_granularity));
}

// The timer runs while packets are unacknowledged, or while work waits on a dead link (so
// that a transfer a link failure cut off ends in an error, never a hang). A QP that merely
// waits for its turn on the MAC has no timer.
void NicPort::update_timer(uint32_t qpn, Qp& q, bool progress) {
  RequesterState& r = q.req;
  const bool want = !q.error && (r.rc.unacknowledged() || (r.rc.pending() && !link_up()));
  if (!want) {
    if (r.timer_armed) r.timer_gen = ++gen_;
    r.timer_armed = false;
    return;
  }
  if (r.timer_armed) {  // the common case per frame: no timeout to build
    if (progress) r.deadline = sim_now() + retrans_timeout(q);  // expiry re-checks it
    return;
  }
  const sc_time timeout = retrans_timeout(q);
  r.timer_armed = true;
  r.timer_gen = ++gen_;
  r.deadline = sim_now() + timeout;
  Due d{};
  d.kind = Due::Kind::retrans_timer;
  d.qpn = qpn;
  d.gen = r.timer_gen;
  at(timeout, d);
}

void NicPort::timer_expired(uint32_t qpn, uint64_t gen) {
  if (hung_) return;  // a stopped engine keeps no time
  Qp* q = find_qp(qpn);
  if (!q || !q->req.timer_armed || q->req.timer_gen != gen) return;
  RequesterState& r = q->req;
  const sc_time now = sim_now();
  if (now < r.deadline) {  // progress moved the deadline since this expiry was scheduled
    Due d{};
    d.kind = Due::Kind::retrans_timer;
    d.qpn = qpn;
    d.gen = gen;
    at(r.deadline - now, d);
    return;
  }
  r.timer_armed = false;
  r.timer_gen = ++gen_;
  if (!(r.rc.unacknowledged() || (r.rc.pending() && !link_up()))) return;
  ++cnt_.timeouts;
  ++q->stats.timeouts;
  if (r.rc.timeout() > p_.retry_count) {  // goes back to the oldest unacknowledged packet
    enter_error(qpn, *q, GSIM_NIC_ERR_RETRY_EXCEEDED);
    return;
  }
  update_timer(qpn, *q, true);
  add_to_ring(qpn, *q);
  pump_ev_.notify(SC_ZERO_TIME);
}

}  // namespace gs
