// The responder half of a RoCE v2 reliable connection for RDMA WRITE: in-order packets are
// accepted, a PSN gap is NAKed once (go-back-N), duplicates are only re-ACKed (never written
// again, so a message completes exactly once), opcode sequence and lengths are checked, ACKs
// are coalesced. A state machine without a process of its own: the NIC that owns it checks
// rkeys and ranges, writes the bytes, sends the ACK frames and keeps any delayed-ACK timer.
// Shared by the GAUDI NIC (models/nic) and the third-party NIC (models/fabric).
#pragma once
#include <cstdint>

#include "models/fabric/packet.hpp"
#include "models/roce/psn.hpp"
#include "specs/roce/rc.h"

namespace gs {

class RcResponder {
 public:
  explicit RcResponder(uint32_t initial_psn = 0) : expected_psn_(initial_psn & GSIM_RC_PSN_MASK) {}

  // Where an arriving WRITE packet stands against the expected PSN.
  enum class Order {
    duplicate,  // already accepted: re-ACK ack_psn(), write nothing
    gap,        // a packet was lost: drop; NAK (GSIM_RC_NAK_PSN_SEQ_ERR, expected_psn()) if `nak`
    next,       // the expected packet: check() it, then commit() it
  };
  Order order(const Packet& p, bool& nak);

  // The expected packet's opcode sequence and lengths: false (NAK invalid request) for a first
  // packet inside a message, a middle/last one outside any, or a payload that does not fit
  // what the RETH announced.
  bool check(const Packet& p) const;
  // A first packet starts a message at its RETH's va and length (after the owner's access
  // check); the next payload goes to write_va().
  void begin(const Packet& p);
  uint64_t write_va() const { return write_va_; }
  // The expected packet's payload has been written: move on. True if it ended a message.
  // `ack_now`: ACK at once (message end, ACK request, or `ack_every` packets unacknowledged);
  // otherwise the owner may delay it.
  bool commit(const Packet& p, uint32_t ack_every, bool& ack_now);

  // The ACK or NAK of this connection as it stands: BTH opcode, AETH syndrome, PSN, MSN.
  void fill_ack(Packet& f, uint8_t syndrome, uint32_t psn) const;
  void acked() { unacked_ = 0, ack_timer_ = false; }  // an ACK left (coalesced packets covered)
  // The owner's delayed ACK is scheduled (until the next ACK leaves): kept here, in the line
  // every packet reads, not in one of the owner's own.
  bool ack_timer() const { return ack_timer_; }
  void set_ack_timer() { ack_timer_ = true; }

  uint32_t expected_psn() const { return expected_psn_; }
  uint32_t ack_psn() const { return (expected_psn_ - 1) & GSIM_RC_PSN_MASK; }  // last accepted
  uint32_t msn() const { return msn_; }           // messages fully received
  uint32_t unacked() const { return unacked_; }   // accepted since the last ACK
  bool in_message() const { return in_message_; }
  uint64_t message_va() const { return message_va_; }    // the current/last message's RETH va
  uint64_t message_bytes() const { return message_len_; } // and length

 private:
  // What every packet reads, first (32 bytes).
  uint32_t expected_psn_;
  bool nak_sent_ = false;    // one NAK per gap, until the expected PSN arrives
  bool in_message_ = false;  // between a first packet and its last
  bool ack_timer_ = false;
  uint32_t msn_ = 0, unacked_ = 0;
  uint64_t write_va_ = 0, left_ = 0;
  uint64_t message_va_ = 0, message_len_ = 0;
};

}  // namespace gs
