// A plain RoCE v2 RDMA NIC that is not a GAUDI: a MAC from a non-Habana OUI (0C:42:A1), one
// port, a sparse memory. Its transport is the same RC requester and responder as the GAUDI
// NIC's (models/roce): as responder it accepts RDMA WRITEs into its memory, ACKs them
// (coalesced: at the end of each message, when asked, or every `ack_every` packets), NAKs
// a PSN gap once per gap, and drops corrupted frames. As requester it sends RDMA WRITEs,
// split into MTU packets, with go-back-N on NAK and a retransmission timeout (no retry
// limit). Enough to be a peer on the fabric that a GAUDI driver must refuse, and for tests.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <systemc>

#include "models/common/lazy_wake.hpp"
#include "models/common/sparse_memory.hpp"
#include "models/fabric/net_port.hpp"
#include "models/roce/rc_requester.hpp"
#include "models/roce/rc_responder.hpp"

namespace gs {

constexpr uint64_t kThirdPartyOui = 0x0C42A1;  // a non-Habana vendor OUI

struct ThirdPartyNicConfig {
  double gbps = 100;
  uint32_t mtu = 4096;                  // payload bytes per packet
  uint64_t memory_bytes = 1ull << 32;   // sparse: costs nothing until written
  double retransmit_us = 100;           // requester timeout without progress
  uint32_t ack_every = 16;              // responder: ACK at least every N packets
};

struct ThirdPartyNicStats {
  uint64_t writes_received = 0, bytes_received = 0, acks_sent = 0, naks_sent = 0;
  uint64_t corrupted_dropped = 0, foreign_dropped = 0, unknown_qp_dropped = 0, duplicates = 0, refused = 0;
  uint64_t writes_sent = 0, writes_completed = 0, writes_failed = 0, packets_sent = 0;
  uint64_t acks_received = 0, naks_received = 0, retransmits = 0, timeouts = 0, pauses_received = 0;
};

class ThirdPartyNic : public sc_core::sc_module, public NetPort, public NetReceiver {
 public:
  ThirdPartyNic(sc_core::sc_module_name name, const ThirdPartyNicConfig& cfg, uint64_t mac = 0, uint32_t ip = 0);

  // Reliable connection: local `qp` talks to (peer_ip, peer_mac, peer_qp). Both directions
  // start at `start_psn`. Frames for a QP that was never connected are dropped.
  void connect(uint32_t qp, uint32_t peer_ip, uint64_t peer_mac, uint32_t peer_qp, uint32_t start_psn = 0,
               uint8_t priority = 0);
  bool connected(uint32_t qp) const { return qps_.count(qp) > 0; }
  // RDMA WRITE of `bytes` from local memory at `local_addr` to the peer's `remote_va`.
  // `done(true)` once acknowledged, `done(false)` on a NAK other than a PSN gap.
  void write(uint32_t qp, uint64_t remote_va, uint32_t rkey, uint64_t local_addr, uint64_t bytes,
             std::function<void(bool ok)> done = {});
  // Shortcut: connect a fresh local QP to (peer_ip, peer_mac, peer_qp) and write. Returns the QP.
  uint32_t write_to(uint32_t peer_ip, uint64_t peer_mac, uint32_t peer_qp, uint64_t remote_va, uint64_t bytes,
                    std::function<void(bool ok)> done = {});

  SparseMemory& memory() { return mem_; }
  const ThirdPartyNicStats& stats() const { return stats_; }
  // A whole WRITE message landed: (qp, first va, length).
  std::function<void(uint32_t, uint64_t, uint64_t)> on_write_received;

  EgressPort& egress() override { return egress_; }
  NetReceiver& ingress() override { return *this; }
  uint64_t mac() const override { return mac_; }
  uint32_t ip() const override { return ip_; }
  void set_address(uint64_t mac, uint32_t ip) override { mac_ = mac, ip_ = ip; }
  void link_changed(bool up) override;
  std::string port_name() const override { return name(); }
  void receive(const PacketPtr& p) override;

 private:
  struct Qp {
    uint32_t qp, peer_qp, peer_ip;
    uint64_t peer_mac;
    uint8_t priority;
    RcRequester req;
    RcResponder res;
    std::deque<std::function<void(bool)>> done;  // per message posted, oldest first
    sc_core::sc_time progress;  // last time the window moved (timeout reference)
  };

  void on_write_packet(Qp& q, const Packet& p);
  void on_ack(Qp& q, const Packet& p);
  void send_aeth(Qp& q, uint64_t psn, uint8_t syndrome);
  PacketPtr next_data_packet();
  void pump();
  void check_timeouts();
  void arm_timer();
  PacketPtr frame_to(const Qp& q) const;

  ThirdPartyNicConfig cfg_;
  EgressPort egress_;
  SparseMemory mem_;
  uint64_t mac_;
  uint32_t ip_;
  bool up_ = true;
  std::map<uint32_t, Qp> qps_;  // ordered: round-robin over QPs is deterministic
  uint32_t rr_next_ = 0;        // QP to consider first for the next data packet
  uint32_t next_auto_qp_ = 1;
  std::shared_ptr<PayloadPool> pool_ = PayloadPool::shared();
  // The retransmission check: a timed wake ranked by name(), before its port's frame end
  // (egress_port.hpp, "Same-instant order"); made on first use (lazy_wake.hpp).
  LazyWake timer_{this, "", "check_timeouts", [this] { check_timeouts(); }};
  ThirdPartyNicStats stats_;
};

}  // namespace gs
