// The requester: send WQEs become RDMA WRITE packets (MTU segmentation, 24-bit PSNs),
// transmitted by a pump that keeps the MAC fed; cumulative ACKs retire messages, a NAK
// (PSN sequence error) or a timeout goes back to the oldest unacknowledged packet.
#include <algorithm>
#include <cstring>

#include "models/common/time.hpp"
#include "models/nic/nic_port.hpp"

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
  SendMessage m;
  m.wqe = w;
  m.wqe_index = r.ctx.last_wqe_index ? r.wqes_posted % (r.ctx.last_wqe_index + 1) : r.wqes_posted;
  ++r.wqes_posted;
  m.first_seq = r.next_seq;
  m.packets = uint32_t((uint64_t(w.length) + p_.mtu - 1) / p_.mtu);
  r.next_seq += m.packets;
  r.messages.push_back(std::move(m));
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
// one to leave, which wakes the pump again.
void NicPort::pump() {
  if (!link_up() || hung_) return;
  const sc_time now = sc_core::sc_time_stamp();
  sc_time wake = sc_core::SC_ZERO_TIME;
  bool have_wake = false;
  for (size_t i = 0; i < ring_.size();) {
    uint32_t qpn = ring_[i];
    Qp* q = find_qp(qpn);
    if (!q || q->error || q->req.tx >= q->req.next_seq) {  // nothing to send (any more)
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
  if (have_wake) pump_ev_.notify(wake - now);
}

NicPort::TxResult NicPort::try_send(uint32_t qpn, Qp& q, sc_time& ready) {
  RequesterState& r = q.req;
  const unsigned prio = r.ctx.priority;
  if (data_queued_[prio] >= kTxDepth) return TxResult::blocked;
  if (r.tx - r.una >= p_.window_packets) return TxResult::blocked;
  auto it = std::upper_bound(r.messages.begin(), r.messages.end(), r.tx,
                             [](uint64_t seq, const SendMessage& m) { return seq < m.first_seq; });
  SendMessage& m = *std::prev(it);
  const uint32_t idx = uint32_t(r.tx - m.first_seq);
  const uint64_t off = uint64_t(idx) * p_.mtu;
  const uint32_t plen = uint32_t(std::min<uint64_t>(p_.mtu, m.wqe.length - off));
  if (!fetch_for(q, qpn, m, off + plen, ready)) return TxResult::blocked;
  if (ready > sc_core::sc_time_stamp()) return TxResult::later;

  auto f = new_frame(prio, r.ctx.dst_mac, r.ctx.dst_ip, r.ctx.dst_qp, qpn);
  if (r.ctx.src_ip) f->src_ip = r.ctx.src_ip;
  const bool first = idx == 0, last = idx + 1 == m.packets;
  const bool imm = m.wqe.ctl & GSIM_NIC_WQE_SIGNAL_REMOTE;
  if (first && last)
    f->op = imm ? RoceOp::write_only_imm : RoceOp::write_only;
  else if (first)
    f->op = RoceOp::write_first;
  else if (last)
    f->op = imm ? RoceOp::write_last_imm : RoceOp::write_last;
  else
    f->op = RoceOp::write_middle;
  f->psn = r.wire_psn(r.tx);
  f->ack_req = last;  // the responder ACKs every message end at once
  if (first) {
    f->va = m.wqe.remote_addr;
    f->rkey = r.ctx.rkey;
    f->dma_len = m.wqe.length;
  }
  if (f->has_imm()) f->imm = 0x80000000u | (m.wqe.conn >> GSIM_NIC_WQE_REMOTE_SOB_SHIFT);
  attach_payload(*f, m, off, plen);

  if (r.tx < r.sent_hwm) {
    ++cnt_.retransmissions;
    ++q.stats.retransmissions;
  } else {
    cnt_.tx_payload_bytes += plen;
    q.stats.payload_bytes_sent += plen;
  }
  ++r.tx;
  r.sent_hwm = std::max(r.sent_hwm, r.tx);
  send_frame(f);
  update_timer(qpn, q, false);
  return TxResult::sent;
}

// The message's bytes are read once, through the card's router (charged on HBM/SRAM), in
// chunks issued just ahead of the packets that need them. `ready`: when the bytes up to
// end_offset are in. False if the read failed (the QP is then in error).
bool NicPort::fetch_for(Qp& q, uint32_t qpn, SendMessage& m, uint64_t end_offset, sc_time& ready) {
  const uint64_t len = m.wqe.length;
  const size_t need = size_t((end_offset - 1) / kFetchChunk);
  const size_t chunks = size_t((len + kFetchChunk - 1) / kFetchChunk);
  const size_t want = std::min(chunks, need + 2);  // one chunk of read-ahead
  const sc_time now = sc_core::sc_time_stamp();
  while (m.chunk_ready.size() < want) {
    const uint64_t off = uint64_t(m.chunk_ready.size()) * kFetchChunk;
    const uint64_t n = std::min<uint64_t>(kFetchChunk, len - off);
    sc_time d = SC_ZERO_TIME;
    std::shared_ptr<std::vector<uint8_t>> buf;
    if (!card_.timing_payload) buf = payload_pool_->get(size_t(n));
    uint8_t* into = buf ? buf->data() : nullptr;  // none: timing only
    if (bus_payload_access(*card_.noc, tlm::TLM_READ_COMMAND, m.wqe.local_addr + off, into, n, d) !=
        tlm::TLM_OK_RESPONSE) {
      enter_error(qpn, q, GSIM_NIC_ERR_LOCAL_READ);
      return false;
    }
    m.chunk_ready.push_back(now + d);
    m.chunks.push_back(std::move(buf));
  }
  ready = m.chunk_ready[need];
  return true;
}

// The frame refers to its bytes in the chunk that holds them; a packet across two chunks
// (an MTU that does not divide the chunk size) gets a buffer of its own.
void NicPort::attach_payload(Packet& f, const SendMessage& m, uint64_t off, uint32_t plen) {
  f.payload_len = plen;
  const size_t k = size_t(off / kFetchChunk);
  const uint64_t in = off % kFetchChunk;
  if (card_.timing_payload) return;  // no bytes: the frame carries only its size
  if (in + plen <= kFetchChunk) {
    f.data = m.chunks[k];
    f.data_offset = in;
    return;
  }
  auto own = payload_pool_->get(plen);
  const uint64_t first = kFetchChunk - in;
  std::memcpy(own->data(), m.chunks[k]->data() + in, first);
  std::memcpy(own->data() + first, m.chunks[k + 1]->data(), plen - first);
  f.data = std::move(own);
  f.data_offset = 0;
}

// Chunks wholly below the acknowledged point are never sent again: back to the pool.
void NicPort::release_acked_chunks(SendMessage& m, uint64_t una) const {
  if (una <= m.first_seq) return;
  const uint64_t acked = std::min<uint64_t>((una - m.first_seq) * p_.mtu, m.wqe.length);
  for (size_t k = 0; k < m.chunks.size() && (k + 1) * uint64_t(kFetchChunk) <= acked; ++k) m.chunks[k].reset();
}

// ACK (cumulative up to its PSN) or NAK for one of our requester QPs.
void NicPort::on_ack(const Packet& p) {
  Qp* q = find_qp(p.dest_qp);
  if (!q || !q->req.ctx.valid || q->error) {
    ++cnt_.rx_bad_qp;
    ++cnt_.rx_drops;
    return;
  }
  RequesterState& r = q->req;
  // The PSN as a sequence number: relative to the oldest unacknowledged packet.
  const int64_t seq = int64_t(r.una) + psn_diff(p.psn, r.wire_psn(r.una));
  const unsigned kind = p.syndrome >> 5, code = p.syndrome & 0x1F;
  if (kind == 0) {
    ++cnt_.acks_received;
    if (seq >= int64_t(r.una) && uint64_t(seq) < r.sent_hwm) advance(p.dest_qp, *q, uint64_t(seq) + 1);
    return;
  }
  ++cnt_.naks_received;
  ++q->stats.naks_received;
  if (kind == 3 && code == 0) {  // PSN sequence error: the peer expects `seq`; go back there
    if (seq < int64_t(r.una) || uint64_t(seq) > r.sent_hwm) return;  // stale
    advance(p.dest_qp, *q, uint64_t(seq));
    r.tx = uint64_t(seq);
    add_to_ring(p.dest_qp, *q);
    pump_ev_.notify(SC_ZERO_TIME);
    return;
  }
  enter_error(p.dest_qp, *q, code == 2 ? GSIM_NIC_ERR_REMOTE_ACCESS : GSIM_NIC_ERR_REMOTE_INVALID);
}

// Packets before new_una are acknowledged: retire the messages they complete (local sync
// object, requester CQ entry) and restart the retransmission timer.
void NicPort::advance(uint32_t qpn, Qp& q, uint64_t new_una) {
  RequesterState& r = q.req;
  if (new_una <= r.una) return;
  r.una = new_una;
  r.retries = 0;
  if (r.tx < r.una) r.tx = r.una;
  while (!r.messages.empty() && r.messages.front().end_seq() <= r.una) {
    SendMessage m = std::move(r.messages.front());
    r.messages.pop_front();
    ++cnt_.msgs_sent;
    if ((m.wqe.ctl & GSIM_NIC_WQE_SIGNAL_LOCAL) && r.ctx.sob_allowed)
      signal_sob(m.wqe.local_sob & GSIM_NIC_WQE_LOCAL_SOB_MASK);
    write_cqe(qpn, GSIM_NIC_CQE_TYPE_REQ, m.wqe_index);
    wqe_done(1);
  }
  if (!r.messages.empty()) release_acked_chunks(r.messages.front(), r.una);
  update_timer(qpn, q, true);
  pump_ev_.notify(SC_ZERO_TIME);  // the window may have opened
}

sc_time NicPort::retrans_timeout(const Qp& q) const {
  return us(p_.retrans_timeout_us * std::max<uint32_t>(1, q.req.ctx.timer_granularity));
}

// The timer runs while packets are unacknowledged, or while work waits on a dead link (so
// that a transfer a link failure cut off ends in an error, never a hang). A QP that merely
// waits for its turn on the MAC has no timer.
void NicPort::update_timer(uint32_t qpn, Qp& q, bool progress) {
  RequesterState& r = q.req;
  const bool want = !q.error && (r.una < r.sent_hwm || (r.una < r.next_seq && !link_up()));
  if (!want) {
    if (r.timer_armed) r.timer_gen = ++gen_;
    r.timer_armed = false;
    return;
  }
  const sc_time timeout = retrans_timeout(q);
  if (r.timer_armed) {
    if (progress) r.deadline = sc_core::sc_time_stamp() + timeout;  // expiry re-checks it
    return;
  }
  r.timer_armed = true;
  r.timer_gen = ++gen_;
  r.deadline = sc_core::sc_time_stamp() + timeout;
  const uint64_t gen = r.timer_gen;
  at(timeout, [this, qpn, gen] { timer_expired(qpn, gen); });
}

void NicPort::timer_expired(uint32_t qpn, uint64_t gen) {
  if (hung_) return;  // a stopped engine keeps no time
  Qp* q = find_qp(qpn);
  if (!q || !q->req.timer_armed || q->req.timer_gen != gen) return;
  RequesterState& r = q->req;
  const sc_time now = sc_core::sc_time_stamp();
  if (now < r.deadline) {  // progress moved the deadline since this expiry was scheduled
    at(r.deadline - now, [this, qpn, gen] { timer_expired(qpn, gen); });
    return;
  }
  r.timer_armed = false;
  r.timer_gen = ++gen_;
  if (!(r.una < r.sent_hwm || (r.una < r.next_seq && !link_up()))) return;
  ++cnt_.timeouts;
  ++q->stats.timeouts;
  if (++r.retries > p_.retry_count) {
    enter_error(qpn, *q, GSIM_NIC_ERR_RETRY_EXCEEDED);
    return;
  }
  r.tx = r.una;  // go back to the oldest unacknowledged packet
  update_timer(qpn, *q, true);
  add_to_ring(qpn, *q);
  pump_ev_.notify(SC_ZERO_TIME);
}

}  // namespace gs
