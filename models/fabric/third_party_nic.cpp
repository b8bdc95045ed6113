#include "models/fabric/third_party_nic.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/fabric/pfc.hpp"

namespace gs {

namespace {
bool is_last(RoceOp op) {
  return op == RoceOp::write_last || op == RoceOp::write_last_imm || op == RoceOp::write_only ||
         op == RoceOp::write_only_imm;
}
bool is_write(RoceOp op) { return op >= RoceOp::write_first && op <= RoceOp::write_only_imm; }
}  // namespace

ThirdPartyNic::ThirdPartyNic(sc_core::sc_module_name name, const ThirdPartyNicConfig& cfg, uint64_t mac, uint32_t ip)
    : sc_module(name), cfg_(cfg), egress_("tx", cfg.gbps), mem_(cfg.memory_bytes), mac_(mac), ip_(ip) {
  SC_HAS_PROCESS(ThirdPartyNic);
  SC_METHOD(check_timeouts);
  sensitive << timer_;
  dont_initialize();
  egress_.on_idle = [this] { pump(); };
}

// The 64-bit PSN whose low 24 bits are `psn24`, closest to `near`.
uint64_t ThirdPartyNic::unwrap(uint32_t psn24, uint64_t near) {
  int32_t d = int32_t(uint32_t(psn24 - uint32_t(near)) << 8) >> 8;
  return uint64_t(int64_t(near) + d);
}

void ThirdPartyNic::connect(uint32_t qp, uint32_t peer_ip, uint64_t peer_mac, uint32_t peer_qp, uint32_t start_psn,
                            uint8_t priority) {
  Qp q{};
  q.qp = qp, q.peer_qp = peer_qp, q.peer_ip = peer_ip, q.peer_mac = peer_mac, q.priority = priority;
  q.next_psn = q.una_psn = q.tail_psn = q.epsn = start_psn & 0xFFFFFF;
  qps_[qp] = std::move(q);
  next_auto_qp_ = std::max(next_auto_qp_, qp + 1);
}

void ThirdPartyNic::write(uint32_t qp, uint64_t remote_va, uint32_t rkey, uint64_t local_addr, uint64_t bytes,
                          std::function<void(bool)> done) {
  auto it = qps_.find(qp);
  if (it == qps_.end()) throw std::invalid_argument(std::string(name()) + ": write on unconnected QP " + std::to_string(qp));
  Qp& q = it->second;
  auto data = std::make_shared<std::vector<uint8_t>>(bytes);
  if (bytes) mem_.read(local_addr, data->data(), bytes);
  uint32_t packets = bytes == 0 ? 1 : uint32_t((bytes + cfg_.mtu - 1) / cfg_.mtu);
  q.msgs.push_back(Message{remote_va, rkey, std::move(data), q.tail_psn, packets, std::move(done)});
  q.tail_psn += packets;
  ++stats_.writes_sent;
  if (egress_.idle()) pump();
}

uint32_t ThirdPartyNic::write_to(uint32_t peer_ip, uint64_t peer_mac, uint32_t peer_qp, uint64_t remote_va,
                                 uint64_t bytes, std::function<void(bool)> done) {
  uint32_t qp = next_auto_qp_;
  connect(qp, peer_ip, peer_mac, peer_qp);
  write(qp, remote_va, 0, 0, bytes, std::move(done));
  return qp;
}

void ThirdPartyNic::receive(const PacketPtr& p) {
  if (handle_pause(*p, egress_)) {
    ++stats_.pauses_received;
    return;
  }
  if (p->corrupted) {  // FCS / ICRC check fails
    ++stats_.corrupted_dropped;
    return;
  }
  if (p->dst_mac != mac_ || p->dst_ip != ip_) {
    ++stats_.foreign_dropped;
    return;
  }
  auto it = qps_.find(p->dest_qp);
  if (it == qps_.end()) {
    ++stats_.unknown_qp_dropped;
    return;
  }
  if (p->op == RoceOp::ack)
    on_ack(it->second, *p);
  else if (is_write(p->op))
    on_write_packet(it->second, *p);
  else
    ++stats_.foreign_dropped;  // SEND, READ, CNP: not supported by this model
}

void ThirdPartyNic::on_write_packet(Qp& q, const Packet& p) {
  const uint64_t psn = unwrap(p.psn, q.epsn);
  if (psn < q.epsn) {  // a retransmission of something we have: tell the sender again
    ++stats_.duplicates;
    send_aeth(q, q.epsn - 1, kAethAck);
    return;
  }
  if (psn > q.epsn) {  // a gap: one NAK per gap, the rest are dropped until the resend
    if (!q.nak_sent) send_aeth(q, q.epsn, kAethNakPsnSeqErr);
    q.nak_sent = true;
    return;
  }
  q.nak_sent = false;
  if (p.has_reth()) q.cur_first_va = q.cur_va = p.va, q.cur_len = p.dma_len, q.cur_off = 0;
  const uint64_t addr = q.cur_va + q.cur_off;
  if (p.payload_len && !mem_.contains(addr, p.payload_len)) {
    send_aeth(q, q.epsn, kAethNakRemoteAccess);
    return;
  }
  if (p.payload_len && p.data) mem_.write(addr, p.data->data() + p.data_offset, p.payload_len);
  q.cur_off += p.payload_len;
  stats_.bytes_received += p.payload_len;
  ++q.epsn;
  ++q.unacked;
  const bool last = is_last(p.op);
  if (last) {
    ++q.msn;
    ++stats_.writes_received;
    if (on_write_received) on_write_received(q.qp, q.cur_first_va, q.cur_off);
  }
  if (last || p.ack_req || q.unacked >= cfg_.ack_every) send_aeth(q, q.epsn - 1, kAethAck);
}

void ThirdPartyNic::send_aeth(Qp& q, uint64_t psn, uint8_t syndrome) {
  auto a = std::make_shared<Packet>();
  a->src_mac = mac_, a->dst_mac = q.peer_mac;
  a->src_ip = ip_, a->dst_ip = q.peer_ip;
  a->udp_sport = uint16_t(0xC000 | (q.qp & 0x3FFF));
  a->priority = q.priority;
  a->op = RoceOp::ack;
  a->dest_qp = q.peer_qp;
  a->psn = uint32_t(psn & 0xFFFFFF);
  a->syndrome = syndrome;
  a->msn = q.msn & 0xFFFFFF;
  if (aeth_is_nak(syndrome)) {
    ++stats_.naks_sent;
  } else {
    ++stats_.acks_sent;
    q.unacked = 0;
  }
  if (up_) egress_.enqueue(a);
}

void ThirdPartyNic::on_ack(Qp& q, const Packet& p) {
  const uint64_t psn = unwrap(p.psn, q.una_psn);
  uint64_t acked_to = psn + 1;  // ACK: everything up to psn arrived
  if (aeth_is_nak(p.syndrome)) {
    ++stats_.naks_received;
    if (p.syndrome != kAethNakPsnSeqErr) {  // fatal for the connection: fail what is queued
      for (Message& m : q.msgs) {
        ++stats_.writes_failed;
        if (m.done) m.done(false);
      }
      q.msgs.clear();
      q.next_psn = q.una_psn = q.tail_psn;
      return;
    }
    acked_to = psn;  // NAK: everything before psn arrived; go back to psn
    if (psn >= q.una_psn && psn < q.next_psn) {
      stats_.retransmits += q.next_psn - psn;
      q.next_psn = psn;
    }
  } else {
    ++stats_.acks_received;
  }
  if (acked_to > q.una_psn && acked_to <= q.tail_psn) {
    q.una_psn = acked_to;
    q.next_psn = std::max(q.next_psn, q.una_psn);
    q.progress = sc_core::sc_time_stamp();
    while (!q.msgs.empty() && q.msgs.front().first_psn + q.msgs.front().packets <= q.una_psn) {
      Message m = std::move(q.msgs.front());
      q.msgs.pop_front();
      ++stats_.writes_completed;
      if (m.done) m.done(true);
    }
  }
  if (egress_.idle()) pump();
}

// Next packet to send, round-robin over the QPs that have one.
PacketPtr ThirdPartyNic::next_data_packet() {
  if (qps_.empty()) return nullptr;
  auto start = qps_.lower_bound(rr_next_);
  for (size_t n = 0; n < qps_.size(); ++n, ++start) {
    if (start == qps_.end()) start = qps_.begin();
    Qp& q = start->second;
    if (q.next_psn >= q.tail_psn) continue;
    const uint64_t psn = q.next_psn;
    auto m = std::find_if(q.msgs.begin(), q.msgs.end(), [&](const Message& x) { return psn < x.first_psn + x.packets; });
    const uint32_t k = uint32_t(psn - m->first_psn);
    const uint64_t size = m->data->size();
    auto p = std::make_shared<Packet>();
    p->src_mac = mac_, p->dst_mac = q.peer_mac;
    p->src_ip = ip_, p->dst_ip = q.peer_ip;
    p->udp_sport = uint16_t(0xC000 | (q.qp & 0x3FFF));
    p->priority = q.priority;
    p->dest_qp = q.peer_qp;
    p->psn = uint32_t(psn & 0xFFFFFF);
    p->op = m->packets == 1 ? RoceOp::write_only
            : k == 0        ? RoceOp::write_first
            : k + 1 == m->packets ? RoceOp::write_last
                                  : RoceOp::write_middle;
    if (p->has_reth()) p->va = m->remote_va, p->rkey = m->rkey, p->dma_len = uint32_t(size);
    p->ack_req = k + 1 == m->packets;
    p->data = m->data;
    p->data_offset = uint64_t(k) * cfg_.mtu;
    p->payload_len = uint32_t(std::min<uint64_t>(cfg_.mtu, size - p->data_offset));
    if (q.next_psn++ == q.una_psn) q.progress = sc_core::sc_time_stamp();
    ++stats_.packets_sent;
    rr_next_ = start->first + 1;
    return p;
  }
  return nullptr;
}

// Keep one frame queued: PFC can hold it, and ACKs never wait behind a long backlog.
void ThirdPartyNic::pump() {
  if (!up_ || egress_.queued_bytes() > 0) return;
  if (PacketPtr p = next_data_packet()) {
    egress_.enqueue(p);
    arm_timer();
  }
}

void ThirdPartyNic::arm_timer() {
  const sc_core::sc_time rto(cfg_.retransmit_us, sc_core::SC_US);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  for (auto& [id, q] : qps_) {
    if (q.una_psn >= q.next_psn) continue;
    sc_core::sc_time due = q.progress + rto;
    timer_.notify(due > now ? due - now : sc_core::SC_ZERO_TIME);  // keeps the earliest
  }
}

void ThirdPartyNic::check_timeouts() {
  const sc_core::sc_time rto(cfg_.retransmit_us, sc_core::SC_US);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  for (auto& [id, q] : qps_) {
    if (q.una_psn >= q.next_psn || now - q.progress < rto) continue;
    ++stats_.timeouts;
    stats_.retransmits += q.next_psn - q.una_psn;
    q.next_psn = q.una_psn;  // go back N
    q.progress = now;
  }
  if (egress_.idle()) pump();
  arm_timer();
}

void ThirdPartyNic::link_changed(bool up) {
  up_ = up;
  if (!up) {
    egress_.flush();
    for (unsigned prio = 0; prio < EgressPort::kPriorities; ++prio) egress_.set_paused(prio, false);
  } else if (egress_.idle()) {
    pump();
  }
}

}  // namespace gs
