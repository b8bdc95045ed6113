#include "models/fabric/third_party_nic.hpp"
#include "models/fabric/packet_pool.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/fabric/pfc.hpp"
#include "models/common/sim_now.hpp"

namespace gs {

namespace {
bool is_write(RoceOp op) { return op >= RoceOp::write_first && op <= RoceOp::write_only_imm; }
constexpr uint32_t kChunk = 64 * 1024;  // payload read granule (the whole message at post)
}  // namespace

ThirdPartyNic::ThirdPartyNic(sc_core::sc_module_name name, const ThirdPartyNicConfig& cfg, uint64_t mac, uint32_t ip)
    : sc_module(name), cfg_(cfg), egress_("tx", cfg.gbps), mem_(cfg.memory_bytes), mac_(mac), ip_(ip) {
  egress_.on_idle = [this] { pump(); };
}

void ThirdPartyNic::connect(uint32_t qp, uint32_t peer_ip, uint64_t peer_mac, uint32_t peer_qp, uint32_t start_psn,
                            uint8_t priority) {
  Qp q{qp, peer_qp, peer_ip, peer_mac, priority, RcRequester(cfg_.mtu, kChunk, start_psn), RcResponder(start_psn), {}, {}};
  qps_.erase(qp);
  qps_.emplace(qp, std::move(q));
  next_auto_qp_ = std::max(next_auto_qp_, qp + 1);
}

void ThirdPartyNic::write(uint32_t qp, uint64_t remote_va, uint32_t rkey, uint64_t local_addr, uint64_t bytes,
                          std::function<void(bool)> done) {
  auto it = qps_.find(qp);
  if (it == qps_.end()) throw std::invalid_argument(std::string(name()) + ": write on unconnected QP " + std::to_string(qp));
  Qp& q = it->second;
  RcWrite w;
  w.local_addr = local_addr;
  w.remote_va = remote_va;
  w.length = bytes;
  w.rkey = rkey;
  RcMessage& m = q.req.post(w);
  for (uint64_t off = 0; off < bytes; off += kChunk) {  // read once, now: packets slice it
    const uint64_t n = std::min<uint64_t>(kChunk, bytes - off);
    // A chunk that starts a page held in memory is that page's block (copy on write), as on
    // the GAUDI NIC: the frames and the peer's memory then refer to it instead of copies.
    SharedBlock page = (local_addr + off) % mem_.page_bytes() ? nullptr : mem_.share(local_addr + off, n);
    const bool lent = page != nullptr;
    m.chunks.push_back(lent ? std::move(page) : pool_->get(size_t(n)));
    if (!lent) mem_.read(local_addr + off, m.chunks.back().get(), n);
    m.chunk_ready.push_back(sim_now());
  }
  q.done.push_back(std::move(done));
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
  RcResponder& r = q.res;
  bool nak = false;
  switch (r.order(p, nak)) {
    case RcResponder::Order::duplicate:  // a retransmission of something we have: tell the sender again
      ++stats_.duplicates;
      send_aeth(q, r.ack_psn(), GSIM_RC_AETH_ACK);
      return;
    case RcResponder::Order::gap:  // one NAK per gap, the rest are dropped until the resend
      if (nak) send_aeth(q, r.expected_psn(), GSIM_RC_NAK_PSN_SEQ_ERR);
      return;
    case RcResponder::Order::next:
      break;
  }
  if (!r.check(p)) {
    ++stats_.refused;
    send_aeth(q, p.psn, GSIM_RC_NAK_INVALID_REQUEST);
    return;
  }
  if (p.has_reth()) {
    if (p.dma_len && !mem_.contains(p.va, p.dma_len)) {
      ++stats_.refused;
      send_aeth(q, p.psn, GSIM_RC_NAK_REMOTE_ACCESS);
      return;
    }
    r.begin(p);
  }
  if (p.payload_len && p.data) mem_.write_from(r.write_va(), p.data, p.data.get() + p.data_offset, p.payload_len);
  stats_.bytes_received += p.payload_len;
  bool ack_now = false;
  if (r.commit(p, cfg_.ack_every, ack_now)) {
    ++stats_.writes_received;
    if (on_write_received) on_write_received(q.qp, r.message_va(), r.message_bytes());
  }
  if (ack_now) send_aeth(q, r.ack_psn(), GSIM_RC_AETH_ACK);
}

PacketPtr ThirdPartyNic::frame_to(const Qp& q) const {
  auto f = make_packet();
  f->src_mac = mac_, f->dst_mac = q.peer_mac;
  f->src_ip = ip_, f->dst_ip = q.peer_ip;
  f->udp_sport = uint16_t(0xC000 | (q.qp & 0x3FFF));
  f->priority = q.priority;
  f->dest_qp = q.peer_qp;
  return f;
}

void ThirdPartyNic::send_aeth(Qp& q, uint64_t psn, uint8_t syndrome) {
  auto a = frame_to(q);
  q.res.fill_ack(*a, syndrome, uint32_t(psn));
  if (aeth_is_nak(syndrome)) {
    ++stats_.naks_sent;
  } else {
    ++stats_.acks_sent;
    q.res.acked();
  }
  if (up_) egress_.enqueue(a);
}

void ThirdPartyNic::on_ack(Qp& q, const Packet& p) {
  if (aeth_is_nak(p.syndrome))
    ++stats_.naks_received;
  else
    ++stats_.acks_received;
  const uint64_t una = q.req.una();
  const RcAckResult res = q.req.on_ack(p, [&](RcMessage&) {
    ++stats_.writes_completed;
    auto done = std::move(q.done.front());
    q.done.pop_front();
    if (done) done(true);
  });
  if (res == RcAckResult::fatal) {  // fatal for the connection: fail what is queued
    q.req.flush();
    auto failed = std::move(q.done);
    q.done.clear();
    for (auto& done : failed) {
      ++stats_.writes_failed;
      if (done) done(false);
    }
    return;
  }
  if (q.req.una() != una) q.progress = sim_now();
  if (egress_.idle()) pump();
}

// Next packet to send, round-robin over the QPs that have one.
PacketPtr ThirdPartyNic::next_data_packet() {
  if (qps_.empty()) return nullptr;
  auto start = qps_.lower_bound(rr_next_);
  for (size_t n = 0; n < qps_.size(); ++n, ++start) {
    if (start == qps_.end()) start = qps_.begin();
    Qp& q = start->second;
    if (!q.req.has_packet()) continue;
    auto p = frame_to(q);
    if (!q.req.unacknowledged()) q.progress = sim_now();  // the timer starts
    if (!q.req.emit(*p, *pool_)) ++stats_.retransmits;
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
  const sc_core::sc_time now = sim_now();
  bool any = false;
  sc_core::sc_time first;
  for (auto& [id, q] : qps_) {
    if (!q.req.unacknowledged()) continue;
    const sc_core::sc_time due = q.progress + rto;
    if (!any || due < first) first = due;
    any = true;
  }
  if (any) timer_.notify(first > now ? first - now : sc_core::SC_ZERO_TIME);  // an earlier pending one stays
}

void ThirdPartyNic::check_timeouts() {
  const sc_core::sc_time rto(cfg_.retransmit_us, sc_core::SC_US);
  const sc_core::sc_time now = sim_now();
  for (auto& [id, q] : qps_) {
    if (!q.req.unacknowledged() || now - q.progress < rto) continue;
    ++stats_.timeouts;
    q.req.timeout();  // go back N (no retry limit)
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
