// The state of one QP (connection) of a NIC port: its requester side (sending RDMA WRITEs,
// go-back-N) and its responder side (receiving them), decoded from the context words the
// driver commits through QPC_CMD. The transport itself is models/roce's RcRequester and
// RcResponder; this adds the driver's context and the port's bookkeeping.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <systemc>
#include <vector>

#include "models/roce/rc_requester.hpp"
#include "models/roce/rc_responder.hpp"
#include "specs/gaudi/nic.h"

namespace gs {

// What every frame reads (its headers' fields, the burst) first: 48 bytes, with the port's
// per-frame fields of RequesterState one cache line in a Qp.
struct RequesterCtx {
  bool valid = false, sob_allowed = false;
  uint8_t priority = 0;
  uint32_t burst = 0, dst_qp = 0, src_ip = 0, dst_ip = 0, timer_granularity = 0;
  uint64_t dst_mac = 0;
  uint32_t rkey = 0, sq_number = 0, initial_psn = 0, last_wqe_index = 0;

  static RequesterCtx decode(const std::array<uint32_t, GSIM_NIC_QPC_REQ_WORDS>& w);
};

struct ResponderCtx {
  bool valid = false, sob_allowed = false;
  uint8_t priority = 0;
  uint32_t peer_qp = 0, rkey = 0, peer_ip = 0, initial_psn = 0;
  uint64_t peer_mac = 0;

  static ResponderCtx decode(const std::array<uint32_t, GSIM_NIC_QPC_RES_WORDS>& w);
};

// The requester side: the driver's context, the RC transport (models/roce) and what the
// port adds around it (WQE numbering, its turn on the MAC, the retransmission timer). In a
// Qp, the context and the per-frame fields below it fill the Qp's first cache line, the
// transport's per-packet fields its second.
struct RequesterState {
  RequesterCtx ctx;
  uint32_t burst_used = 0;
  bool in_ring = false;    // listed in the port's transmit ring
  // Retransmission timer: armed while packets are unacknowledged. `deadline` moves forward
  // on progress without rescheduling; `timer_gen` invalidates scheduled expiries.
  bool timer_armed = false;
  RcRequester rc;
  uint32_t wqes_posted = 0;
  sc_core::sc_time deadline;
  uint64_t timer_gen = 0;
};

// Its context and the transport's per-packet fields share a cache line (its first).
struct alignas(64) ResponderState {
  ResponderCtx ctx;
  RcResponder rc;
  uint64_t ack_gen = 0;         // invalidates a scheduled delayed ACK
};

// What a GAUDI WQE needs back when its message completes, carried as the RcWrite's tag.
struct WqeTag {
  uint32_t wqe_index = 0;
  bool signal_local = false;
  uint32_t local_sob = 0;
  uint64_t pack() const { return uint64_t(wqe_index) | uint64_t(signal_local) << 32 | uint64_t(local_sob) << 33; }
  static WqeTag unpack(uint64_t t) { return {uint32_t(t), bool(t >> 32 & 1), uint32_t(t >> 33)}; }
};

// Per-QP counters for the run's statistics (the port's NicCounters are their sums).
struct QpStats {
  uint64_t payload_bytes_sent = 0, retransmissions = 0, naks_received = 0, timeouts = 0;
  uint64_t naks_sent = 0;
};

// Laid out for the frames (at 1024 cards a port's QPs are out of the caches by its next
// frame, so every line a frame reads is a miss): line 0 holds the error flag and the
// requester's context and port fields, line 1 the requester transport's per-packet fields,
// line 4 the responder's context and per-packet fields (its delayed ACK's flag included),
// line 5 the delayed ACK's generation.
struct alignas(64) Qp {
  bool error = false;
  uint32_t syndrome = GSIM_NIC_ERR_NONE;
  RequesterState req;
  ResponderState res;
  QpStats stats;
};

}  // namespace gs
