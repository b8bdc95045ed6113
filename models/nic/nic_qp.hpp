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

// The requester side: the driver's context, the RC transport (models/roce) and what the
// port adds around it (WQE numbering, its turn on the MAC, the retransmission timer).
struct RequesterState {
  RequesterCtx ctx;
  RcRequester rc;
  uint32_t wqes_posted = 0;
  uint32_t burst_used = 0;
  bool in_ring = false;    // listed in the port's transmit ring
  // Retransmission timer: armed while packets are unacknowledged. `deadline` moves forward
  // on progress without rescheduling; `timer_gen` invalidates scheduled expiries.
  bool timer_armed = false;
  sc_core::sc_time deadline;
  uint64_t timer_gen = 0;
};

struct ResponderState {
  ResponderCtx ctx;
  RcResponder rc;
  uint64_t ack_gen = 0;         // invalidates a scheduled delayed ACK
  bool ack_scheduled = false;
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

struct Qp {
  RequesterState req;
  ResponderState res;
  bool error = false;
  uint32_t syndrome = GSIM_NIC_ERR_NONE;
  QpStats stats;
};

}  // namespace gs
