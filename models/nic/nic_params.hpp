// NIC port parameters (every port of every card shares them). nic.ports lives in
// CardParams (it sizes the card); these say how one port behaves.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct NicParams {
  double speed_gbps = 100;            // GAUDI: 10 x 100 GbE (2 x 50G PAM4 lanes)
  double phy_latency_ns = 100;        // assumed: PCS/FEC/PMA latency added per frame on transmit
  uint32_t mtu = 4096;                // RDMA payload bytes per packet
  uint32_t ack_every = 8;             // assumed: responder ACKs after this many in-order packets
  double ack_delay_ns = 10000;        // assumed: ...or this long after the first unACKed one
  double retrans_timeout_us = 200;    // assumed: x the QP's timer granularity
  uint32_t retry_count = 7;           // retransmissions after timeouts before the QP errs (IB max)
  uint32_t window_packets = 1u << 20; // what-if: unACKed packets per QP (large = no limit)
  uint32_t priority = 3;              // assumed: PFC class the driver puts RDMA traffic in

  template <class V> void visit(V& v) {
    v.param("nic.speed_gbps", speed_gbps, "Gb/s", "line rate of one NIC port", Range{25, 400});
    v.param("nic.phy_latency_ns", phy_latency_ns, "ns", "PHY/FEC latency added to every frame a port sends", Range{0, 1e5});
    v.param("nic.mtu", mtu, "B", "RDMA payload bytes per packet (path MTU)", Range{256, 8192});
    v.param("nic.ack_every", ack_every, "packets", "responder coalesces ACKs: one per this many in-order packets", Range{1, 1024});
    v.param("nic.ack_delay_ns", ack_delay_ns, "ns", "longest a responder holds back an ACK", Range{0, 1e7});
    v.param("nic.retrans_timeout_us", retrans_timeout_us, "us", "retransmission timeout per unit of the QP's timer granularity", Range{0.1, 1e7});
    v.param("nic.retry_count", retry_count, "", "retransmissions after timeouts without progress before the QP enters error", Range{0, 255});
    v.param("nic.window_packets", window_packets, "packets", "what-if: unacknowledged packets one QP may have in flight", Range{1, 1 << 24});
    v.param("nic.priority", priority, "", "PFC priority (traffic class) the driver gives RDMA connections", Range{0, 3});
  }
};

}  // namespace gs
