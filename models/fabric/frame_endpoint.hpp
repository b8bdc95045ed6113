// A minimal traffic endpoint (htsim's "source" and "sink" in one): sends N frames to a
// destination as fast as its port allows (honouring PFC pause), counts what it receives.
// For tests and benchmarks of the fabric without GAUDI NICs behind it.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <systemc>

#include "models/fabric/net_port.hpp"

namespace gs {

struct FrameEndpointStats {
  uint64_t tx_frames = 0;
  uint64_t rx_frames = 0, rx_bytes = 0, rx_payload_bytes = 0, rx_corrupted = 0, rx_ce_marked = 0;
  uint64_t pauses_received = 0;
  sc_core::sc_time first_rx = sc_core::SC_ZERO_TIME, last_rx = sc_core::SC_ZERO_TIME;
};

class FrameEndpoint : public sc_core::sc_module, public NetPort, public NetReceiver {
 public:
  FrameEndpoint(sc_core::sc_module_name name, double gbps, uint64_t mac = 0, uint32_t ip = 0);

  // Queue a burst: `frames` RDMA WRITE middle frames of `payload` bytes each. Bursts go out
  // one after the other; a frame is handed to the port only when the previous one left.
  void send(uint32_t dst_ip, uint64_t dst_mac, uint64_t frames, uint32_t payload = 4096, uint16_t udp_sport = 49152,
            uint8_t priority = 0);
  bool done_sending() const { return bursts_.empty() && egress_.idle(); }
  const FrameEndpointStats& stats() const { return stats_; }
  std::function<void(const PacketPtr&)> on_frame;  // every data frame received, in order

  EgressPort& egress() override { return egress_; }
  NetReceiver& ingress() override { return *this; }
  uint64_t mac() const override { return mac_; }
  uint32_t ip() const override { return ip_; }
  void set_address(uint64_t mac, uint32_t ip) override { mac_ = mac, ip_ = ip; }
  void link_changed(bool up) override;
  std::string port_name() const override { return name(); }
  void receive(const PacketPtr& p) override;

 private:
  struct Burst {
    uint32_t dst_ip;
    uint64_t dst_mac;
    uint64_t left;
    uint32_t payload;
    uint16_t sport;
    uint8_t priority;
  };
  void refill();

  EgressPort egress_;
  uint64_t mac_;
  uint32_t ip_;
  bool up_ = true;
  std::deque<Burst> bursts_;
  uint64_t next_psn_ = 0;
  FrameEndpointStats stats_;
};

}  // namespace gs
