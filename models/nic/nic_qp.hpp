// The state of one QP (connection) of a NIC port: its requester side (sending RDMA WRITEs,
// go-back-N) and its responder side (receiving them), decoded from the context words the
// driver commits through QPC_CMD. PSNs are 24-bit on the wire; the requester counts packets
// with 64-bit sequence numbers and maps them to the wire (no wrap bugs in the bookkeeping).
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <systemc>
#include <vector>

#include "specs/gaudi/nic.h"

namespace gs {

// Signed distance a - b of two 24-bit PSNs.
inline int32_t psn_diff(uint32_t a, uint32_t b) {
  return int32_t(((a - b) & GSIM_NIC_PSN_MASK) << 8) >> 8;
}

struct RequesterCtx {
  bool valid = false, sob_allowed = false;
  unsigned priority = 0;
  uint32_t timer_granularity = 0, burst = 0;
  uint32_t dst_qp = 0, rkey = 0, src_ip = 0, dst_ip = 0, sq_number = 0, initial_psn = 0, last_wqe_index = 0;
  uint64_t dst_mac = 0;

  static RequesterCtx decode(const std::array<uint32_t, GSIM_NIC_QPC_REQ_WORDS>& w);
};

struct ResponderCtx {
  bool valid = false, sob_allowed = false;
  unsigned priority = 0;
  uint32_t peer_qp = 0, rkey = 0, peer_ip = 0, initial_psn = 0;
  uint64_t peer_mac = 0;

  static ResponderCtx decode(const std::array<uint32_t, GSIM_NIC_QPC_RES_WORDS>& w);
};

// One accepted RDMA WRITE on its way: its packets are sequence numbers
// [first_seq, first_seq + packets). The payload is read once into `data`, chunk by chunk
// just ahead of the transmitter; packets reference slices of it.
struct SendMessage {
  gsim_nic_send_wqe wqe{};
  uint32_t wqe_index = 0;
  uint64_t first_seq = 0;
  uint32_t packets = 0;
  // The bytes, one recycled buffer per fetched chunk (NicPort::kFetchChunk): frames refer to
  // them, and a chunk below the acknowledged point goes back to the pool. Null chunks:
  // released, or timing mode (no bytes at all).
  std::vector<std::shared_ptr<std::vector<uint8_t>>> chunks;
  std::vector<sc_core::sc_time> chunk_ready;  // when each fetched chunk's bytes are in
  uint64_t end_seq() const { return first_seq + packets; }
};

struct RequesterState {
  RequesterCtx ctx;
  std::deque<SendMessage> messages;  // accepted, not yet fully acknowledged
  uint64_t una = 0;        // oldest unacknowledged packet
  uint64_t tx = 0;         // next packet to transmit (rewound by go-back-N)
  uint64_t next_seq = 0;   // first packet of the next message posted
  uint64_t sent_hwm = 0;   // one past the highest packet ever transmitted
  uint32_t wqes_posted = 0;
  uint32_t burst_used = 0;
  uint32_t retries = 0;    // timeouts since the last progress
  bool in_ring = false;    // listed in the port's transmit ring
  // Retransmission timer: armed while packets are unacknowledged. `deadline` moves forward
  // on progress without rescheduling; `timer_gen` invalidates scheduled expiries.
  bool timer_armed = false;
  sc_core::sc_time deadline;
  uint64_t timer_gen = 0;
  uint32_t wire_psn(uint64_t seq) const { return uint32_t(ctx.initial_psn + seq) & GSIM_NIC_PSN_MASK; }
};

struct ResponderState {
  ResponderCtx ctx;
  uint32_t expected_psn = 0;
  bool nak_sent = false;        // one NAK per gap, until the expected PSN arrives
  bool in_message = false;      // between a write_first and its write_last
  uint64_t write_va = 0;        // where the next in-order payload goes
  uint64_t left = 0;            // bytes the current message still expects
  uint32_t msn = 0;             // messages fully received
  uint32_t unacked = 0;         // in-order packets since the last ACK
  uint64_t ack_gen = 0;         // invalidates a scheduled delayed ACK
  bool ack_scheduled = false;
  uint32_t last_psn() const { return (expected_psn - 1) & GSIM_NIC_PSN_MASK; }
};

// Per-QP counters for the run's statistics (the port's NicCounters are their sums).
struct QpStats {
  uint64_t payload_bytes_sent = 0, retransmissions = 0, naks_received = 0, timeouts = 0;
  uint64_t naks_sent = 0;
};

struct Qp {
  RequesterState req;
  ResponderState res;
  bool error = false;
  uint32_t syndrome = GSIM_NIC_ERR_NONE;
  QpStats stats;
};

}  // namespace gs
