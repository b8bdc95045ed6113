#include "models/fabric/frame_endpoint.hpp"
#include "models/fabric/packet_pool.hpp"

#include "models/fabric/pfc.hpp"
#include "models/common/sim_now.hpp"

namespace gs {

FrameEndpoint::FrameEndpoint(sc_core::sc_module_name name, double gbps, uint64_t mac, uint32_t ip)
    : sc_module(name), egress_("tx", gbps), mac_(mac), ip_(ip) {
  egress_.on_idle = [this] { refill(); };
}

void FrameEndpoint::send(uint32_t dst_ip, uint64_t dst_mac, uint64_t frames, uint32_t payload, uint16_t udp_sport,
                         uint8_t priority) {
  if (frames == 0) return;
  bursts_.push_back(Burst{dst_ip, dst_mac, frames, payload, udp_sport, priority});
  if (egress_.idle()) refill();
}

// One frame in the queue at a time: a paused priority holds it there and the burst waits.
void FrameEndpoint::refill() {
  if (!up_ || bursts_.empty() || egress_.queued_bytes() > 0) return;
  Burst& b = bursts_.front();
  auto p = make_packet();
  p->uid = (uint64_t(ip_) << 32) | stats_.tx_frames;
  p->src_mac = mac_, p->dst_mac = b.dst_mac;
  p->src_ip = ip_, p->dst_ip = b.dst_ip;
  p->udp_sport = b.sport;
  p->priority = b.priority;
  p->op = RoceOp::write_middle;
  p->psn = uint32_t(next_psn_++ & 0xFFFFFF);
  p->payload_len = b.payload;
  ++stats_.tx_frames;
  if (--b.left == 0) bursts_.pop_front();
  egress_.enqueue(p);
}

void FrameEndpoint::receive(const PacketPtr& p) {
  if (handle_pause(*p, egress_)) {
    ++stats_.pauses_received;
    return;
  }
  if (p->corrupted) {
    ++stats_.rx_corrupted;
    return;
  }
  const sc_core::sc_time now = sim_now();
  if (stats_.rx_frames++ == 0) stats_.first_rx = now;
  stats_.last_rx = now;
  stats_.rx_bytes += p->wire_bytes();
  stats_.rx_payload_bytes += p->payload_len;
  if (p->ecn == 3) ++stats_.rx_ce_marked;
  if (on_frame) on_frame(p);
}

void FrameEndpoint::link_changed(bool up) {
  up_ = up;
  if (!up) {
    egress_.flush();
    for (unsigned prio = 0; prio < EgressPort::kPriorities; ++prio) egress_.set_paused(prio, false);
  } else {
    refill();
  }
}

}  // namespace gs
