// PFC (802.1Qbb) helpers shared by every port that speaks it: NIC ports, switch ports,
// the third-party NIC and test endpoints. Pause frames are explicit pause/resume events
// per priority (no pause quanta or refresh timers): the model's pause lasts until resumed.
#pragma once
#include <array>
#include <cstdint>
#include <memory>

#include "models/fabric/egress_port.hpp"
#include "models/fabric/packet.hpp"
#include "models/fabric/packet_pool.hpp"

namespace gs {

constexpr uint64_t kPfcDestMac = 0x0180C2000001ull;  // MAC control multicast address

// An ingress calls this first for every frame. A pause frame pauses or resumes the
// priorities in its mask on `egress` (the port's own transmitter, toward the sender of
// the pause) and is consumed: returns true. Any other frame: returns false.
inline bool handle_pause(const Packet& p, EgressPort& egress) {
  if (!p.is_pause) return false;
  egress.count_pause_received();
  for (unsigned prio = 0; prio < EgressPort::kPriorities; ++prio)
    if (p.pause_mask & (1u << prio)) egress.set_paused(prio, p.pause_on);
  return true;
}

inline PacketPtr make_pause_frame(uint64_t src_mac, uint8_t prio_mask, bool pause) {
  auto p = make_packet();
  p->src_mac = src_mac;
  p->dst_mac = kPfcDestMac;
  p->is_pause = true;
  p->pause_mask = prio_mask;
  p->pause_on = pause;
  return p;
}

// Per-priority ingress occupancy with XOFF/XON hysteresis: tells the owner when to send
// a pause (occupancy rose above xoff) or a resume (fell to xon or below).
class PfcIngress {
 public:
  enum class Action { none, pause, resume };

  void configure(bool enabled, uint64_t xoff_bytes, uint64_t xon_bytes) {
    enabled_ = enabled, xoff_ = xoff_bytes, xon_ = xon_bytes;
  }
  Action add(unsigned prio, uint64_t bytes) {
    bytes_[prio] += bytes;
    if (!enabled_ || paused_[prio] || bytes_[prio] <= xoff_) return Action::none;
    paused_[prio] = true;
    return Action::pause;
  }
  Action remove(unsigned prio, uint64_t bytes) {
    bytes_[prio] -= bytes;
    if (!paused_[prio] || bytes_[prio] > xon_) return Action::none;
    paused_[prio] = false;
    return Action::resume;
  }
  // The cable went down: whoever we paused is gone, so forget it.
  void forget_pauses() { paused_.fill(false); }
  uint64_t bytes(unsigned prio) const { return bytes_[prio]; }
  bool pausing(unsigned prio) const { return paused_[prio]; }

 private:
  bool enabled_ = false;
  uint64_t xoff_ = 0, xon_ = 0;
  std::array<uint64_t, EgressPort::kPriorities> bytes_{};
  std::array<bool, EgressPort::kPriorities> paused_{};
};

}  // namespace gs
