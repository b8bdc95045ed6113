// NicPort: construction, link state, frames in and out, the queue of due actions.
#include "models/nic/nic_port.hpp"

#include <algorithm>
#include "models/fabric/packet_pool.hpp"
#include "models/fabric/ecmp.hpp"

#include "models/common/time.hpp"
#include "models/fabric/pfc.hpp"
#include "models/common/sim_now.hpp"

namespace gs {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

NicPort::NicPort(sc_core::sc_module_name name, const NicParams& p, NicCardSide card, unsigned port,
                 sc_time reg_latency)
    : sc_module(name),
      p_(p),
      card_(std::move(card)),
      port_(port),
      qpc_(std::string(this->name()) + ".qpc", qpc_layout(), this, reg_latency),
      wqe_(std::string(this->name()) + ".wqe", wqe_layout(), this, reg_latency),
      port_cfg_(qpc_.value_ptr(GSIM_NIC_PORT_CFG)),
      egress_("mac", p.speed_gbps, 0, ns(p.phy_latency_ns)) {
  enabled_ = *port_cfg_ & GSIM_NIC_PORT_CFG_ENABLE;
  next_uid_ = uint64_t(card_.card_index) << 44 | uint64_t(port_) << 40;
  egress_.on_dequeue = [this](const PacketPtr&, FrameHead h) { on_dequeue(h); };
  egress_.on_idle = [this] { pump(); };
}

void NicPort::hang() { hung_ = true; }

void NicPort::reset() {
  ++epoch_;
  hung_ = false;
  due_.clear();
  qps_.clear();
  last_qp_ = nullptr;
  ring_.clear();
  egress_.flush();
  data_queued_.fill(0);
  for (unsigned prio = 0; prio < EgressPort::kPriorities; ++prio) egress_.set_paused(prio, false);
  qpc_.reset_all();
  enabled_ = *port_cfg_ & GSIM_NIC_PORT_CFG_ENABLE;
  wqe_.reset_all();
  set_address(mac_, ip_);  // the address is the card's (fuses/topology), not a register's state
  outstanding_ = wqe_posted_ = wqe_err_ = 0;
  cq_pi_ = last_err_qp_ = last_err_synd_ = 0;
  reported_up_ = false;  // the port is disabled again: no event, firmware is rebooting
  cnt_ = NicCounters{};
  idle_ev_.notify(SC_ZERO_TIME);
}

void NicPort::set_address(uint64_t mac, uint32_t ip) {
  mac_ = mac & 0xFFFFFFFFFFFFull;
  ip_ = ip;
  qpc_.set(GSIM_NIC_MAC_LO, uint32_t(mac_));
  qpc_.set(GSIM_NIC_MAC_HI, uint32_t(mac_ >> 32));
  qpc_.set(GSIM_NIC_IP, ip_);
}

void NicPort::link_changed(bool up) {
  cable_down_ = !up;
  update_link_state();
}

// LINK_STATUS changed: tell the driver; a dead link drops what waits in the MAC. Requesters
// keep their state: their timers end the transfers in error unless the link returns in time.
void NicPort::update_link_state() {
  enabled_ = *port_cfg_ & GSIM_NIC_PORT_CFG_ENABLE;  // PORT_CFG was written (or the cable moved)
  bool up = link_up();
  if (up == reported_up_) return;
  reported_up_ = up;
  post_event(uint16_t(up ? GSIM_EVENT_NIC_LINK_UP(port_) : GSIM_EVENT_NIC_LINK_DOWN(port_)));
  if (up) {
    pump_ev_.notify(SC_ZERO_TIME);
    return;
  }
  egress_.flush();
  data_queued_.fill(0);
  for (unsigned prio = 0; prio < EgressPort::kPriorities; ++prio)
    egress_.set_paused(prio, false);  // a pause from a peer that is gone no longer holds
  for (auto& [qpn, q] : qps_) update_timer(qpn, q, false);  // queued work must not wait forever
}

PacketPtr NicPort::new_frame(unsigned priority, uint64_t dst_mac, uint32_t dst_ip, uint32_t dst_qp,
                             uint32_t src_qp) {
  auto f = make_packet();
  constexpr uint64_t kCount = 0xFFFFFFFFFFull;
  f->uid = next_uid_;
  next_uid_ = (next_uid_ & ~kCount) | ((next_uid_ + 1) & kCount);
  f->src_mac = mac_;
  f->dst_mac = dst_mac;
  f->src_ip = ip_;
  f->dst_ip = dst_ip;
  f->udp_sport = roce_udp_sport(src_qp, dst_qp);  // ECMP entropy
  f->priority = uint8_t(priority);
  f->dest_qp = dst_qp;
  return f;
}

void NicPort::send_frame(const PacketPtr& f) {
  if (!link_up() || hung_) return;  // no carrier, or a stopped engine: nothing leaves
  if (f->op != RoceOp::ack) ++data_queued_[f->priority % EgressPort::kPriorities];
  egress_.enqueue(f);
}

// A frame starts on the wire: count it, and refill at once (the MAC is busy with the frame:
// what the pump sends queues behind it). The frame itself is not read.
void NicPort::on_dequeue(FrameHead f) {
  ++cnt_.tx_frames;
  cnt_.tx_bytes += f.wire_bytes - (wire::kPreambleSfd + wire::kIfg);  // its frame_bytes()
  if (f.op != RoceOp::ack && data_queued_[f.priority]) --data_queued_[f.priority];
  pump();
}

void NicPort::receive(const PacketPtr& p) {
  ++cnt_.rx_frames;
  cnt_.rx_bytes += p->frame_bytes();
  if (handle_pause(*p, egress_)) {  // PFC: the peer paused or resumed some of our priorities
    ++cnt_.pause_received;
    return;
  }
  if (!link_up() || hung_) {
    ++cnt_.rx_drops;
    return;
  }
  if (p->corrupted) {  // FCS/ICRC check fails
    ++cnt_.rx_corrupt;
    ++cnt_.rx_drops;
    return;
  }
  if (p->dst_mac != mac_ || p->dst_ip != ip_ || p->udp_dport != wire::kRoceUdpPort) {
    ++cnt_.rx_bad_qp;
    ++cnt_.rx_drops;
    return;
  }
  if (p->op == RoceOp::ack)
    on_ack(*p);
  else
    on_data(p);
}

Qp* NicPort::find_qp(uint32_t qpn) {
  if (last_qp_ && last_qpn_ == qpn) return last_qp_;
  auto it = qps_.find(qpn);
  if (it == qps_.end()) return nullptr;
  last_qpn_ = qpn;
  last_qp_ = &it->second;
  return last_qp_;
}

void NicPort::erase_qp(uint32_t qpn) {
  if (last_qpn_ == qpn) last_qp_ = nullptr;
  qps_.erase(qpn);
}

bool NicPort::qp_in_error(uint32_t qpn) const {
  auto it = qps_.find(qpn);
  return it != qps_.end() && it->second.error;
}

uint32_t NicPort::qp_syndrome(uint32_t qpn) const {
  auto it = qps_.find(qpn);
  return it == qps_.end() ? 0 : it->second.syndrome;
}

bool NicPort::local_range_ok(uint64_t addr, uint64_t len) const {
  auto inside = [&](uint64_t base, uint64_t size) {
    return addr >= base && addr - base <= size && len <= size - (addr - base);
  };
  return len > 0 && (inside(GAUDI_DRAM_PHYS_BASE, card_.hbm_bytes) || inside(GAUDI_SRAM_BASE_ADDR, card_.sram_bytes));
}

// Due actions run in time order (equal times in the order scheduled); a reset drops them.
void NicPort::at(sc_time delay, Due d) {
  const sc_time now = sim_now();
  d.when = now + delay;
  d.seq = due_seq_++;
  due_.push_back(d);
  std::push_heap(due_.begin(), due_.end(), DueLater());
  due_ev_.notify(due_.front().when - now);
}

void NicPort::run_due() {
  const sc_time now = sim_now();
  const uint64_t epoch = epoch_;
  while (!due_.empty() && due_.front().when <= now && epoch == epoch_) {
    std::pop_heap(due_.begin(), due_.end(), DueLater());
    const Due d = due_.back();
    due_.pop_back();
    run(d);
  }
  if (!due_.empty()) due_ev_.notify(due_.front().when - now);
}

void NicPort::run(const Due& d) {
  switch (d.kind) {
    case Due::Kind::post_wqe: post_wqe(d.wqe); break;
    case Due::Kind::retrans_timer: timer_expired(d.qpn, d.gen); break;
    case Due::Kind::delayed_ack: delayed_ack_due(d.qpn, d.gen); break;
    case Due::Kind::message_landed: landed_due(d.qpn, d.sob, d.msn, d.gen); break;
  }
}

}  // namespace gs
