// The requester half of a RoCE v2 reliable connection: RDMA WRITEs segmented into MTU packets
// with 24-bit PSNs, go-back-N on a NAK (PSN sequence error) or a timeout, cumulative ACKs
// retiring messages. A state machine without a process of its own: the NIC that owns it
// decides when a packet may leave (its MAC, its turn), reads the payload into the message's
// chunks, keeps the retransmission timer and reacts to completions (docs/nic.md, "Transport").
// Shared by the GAUDI NIC (models/nic) and the third-party NIC (models/fabric).
#pragma once
#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <systemc>
#include <vector>

#include "models/fabric/packet.hpp"
#include "models/nic/payload_pool.hpp"
#include "models/roce/psn.hpp"
#include "specs/roce/rc.h"

namespace gs {

// One RDMA WRITE as its poster hands it to the transport.
struct RcWrite {
  uint64_t length = 0;      // 0: one packet without payload (legal in RC)
  uint64_t local_addr = 0;  // the poster's: the transport never reads memory itself
  uint64_t remote_va = 0;
  uint32_t rkey = 0;
  bool with_imm = false;
  uint32_t imm = 0;
  uint64_t tag = 0;         // the poster's own, handed back when the message completes
};

// An accepted write on its way: packets [first_seq, first_seq + packets). Its bytes live in
// chunks of RcRequester::chunk_bytes() that the owner reads just ahead of the transmitter
// (`chunk_ready`: when each chunk's bytes are in); frames refer to slices of them and a chunk
// wholly acknowledged is released. A null chunk: released; no chunks: no bytes (timing mode).
// What the transmission of every packet reads (the chunks, the length) comes first: the
// rest only at a message's first and last packets.
struct RcMessage {
  std::vector<PayloadPool::Buffer> chunks;
  std::vector<sc_core::sc_time> chunk_ready;
  RcWrite w;
  uint64_t first_seq = 0;
  uint32_t packets = 0;
  size_t chunks_released = 0;  // chunks [0, chunks_released) are wholly acknowledged
  uint64_t end_seq() const { return first_seq + packets; }
};

// What an ACK or NAK did.
enum class RcAckResult {
  progress,  // an ACK (maybe moving nothing: a duplicate)
  go_back,   // PSN sequence error NAK: the next packet sent is the one the peer expects
  stale,     // a NAK outside the window: ignored
  fatal,     // another NAK (invalid request, remote access, remote operation): QP error
};

class RcRequester {
 public:
  explicit RcRequester(uint32_t mtu = 4096, uint32_t chunk_bytes = 64 * 1024, uint32_t initial_psn = 0)
      : mtu_(mtu), initial_psn_(initial_psn & GSIM_RC_PSN_MASK), chunk_(chunk_bytes) {}

  uint32_t mtu() const { return mtu_; }
  uint32_t chunk_bytes() const { return chunk_; }
  uint32_t wire_psn(uint64_t seq) const { return uint32_t(initial_psn_ + seq) & GSIM_RC_PSN_MASK; }

  // Accept a write: ceil(length / MTU) packets (one if empty). The owner then reads its bytes
  // into the returned message's chunks (all at once, or just ahead of the transmitter).
  RcMessage& post(const RcWrite& w);

  // The packet to transmit next (after a go-back: the oldest unacknowledged one).
  bool has_packet() const { return tx_ < next_seq_; }
  uint64_t in_flight() const { return tx_ - una_; }  // packets sent and not acknowledged
  // The message of the next packet. Asked several times per packet: the last answer holds
  // it nearly always, checked against its packet range without reading the message.
  RcMessage& next_message() {
    return tx_ >= hint_.first && tx_ - hint_.first < hint_.packets ? *hint_.msg : find_next_message();
  }
  // Its payload offset in that message, and its payload bytes (from the hint: a middle
  // packet's transmission reads nothing of the message but its chunks).
  uint64_t next_offset() const {
    const_cast<RcRequester*>(this)->next_message();
    return (tx_ - hint_.first) * mtu_;
  }
  uint32_t next_length() const {
    const_cast<RcRequester*>(this)->next_message();
    return tx_ - hint_.first + 1 == hint_.packets ? hint_.last_length : mtu_;
  }
  // Fill the BTH, RETH, immediate and payload slice of the next packet into `f` (addresses
  // and priority are the owner's) and move on. True for a first transmission, false for a
  // retransmission. A packet across two chunks gets a buffer of its own from `pool`.
  bool emit(Packet& f, PayloadPool& pool);

  // An ACK or NAK for this connection. Messages it completes go to `retired(RcMessage&)`,
  // oldest first. A template, not a std::function: the owner's callback captures more than a
  // std::function holds inline, and a heap allocation per ACK was most of a frame's mallocs.
  template <class Retired>
  RcAckResult on_ack(const Packet& ack, Retired&& retired);
  // The retransmission timer expired without progress: go back to the oldest unacknowledged
  // packet. Returns the number of timeouts since the last progress.
  uint32_t timeout();
  // Everything queued is dropped (QP error, re-commit): the messages, oldest first.
  std::deque<RcMessage> flush();

  bool unacknowledged() const { return una_ < sent_hwm_; }  // sent and waiting for an ACK
  bool pending() const { return una_ < next_seq_; }         // anything not yet acknowledged
  size_t messages() const { return msgs_.size(); }
  uint32_t retries() const { return retries_; }
  uint64_t una() const { return una_; }  // moves only on progress (the owner restarts its timer)

 private:
  RcMessage& find_next_message();
  template <class Retired>
  void advance(uint64_t new_una, Retired& retired);
  void attach_payload(Packet& f, const RcMessage& m, uint64_t off, uint32_t plen, PayloadPool& pool) const;
  void release_acked_chunks(RcMessage& m) const;

  // What every packet reads, first: 64 bytes (one cache line when the owner aligns them).
  uint64_t una_ = 0;            // oldest unacknowledged packet
  uint64_t tx_ = 0;             // next packet to transmit (rewound by go-back-N)
  uint64_t next_seq_ = 0;       // first packet of the next message posted
  uint64_t sent_hwm_ = 0;       // one past the highest packet ever transmitted
  // next_message()'s last answer, its packets [first, first + packets) and the last one's
  // payload bytes (the others carry an MTU). A copy of the requester starts without one (it
  // would point into the other's queue). A message leaves the queue once una_ passed its end,
  // and tx_ >= una_: a range left behind never holds tx_.
  struct Hint {
    RcMessage* msg = nullptr;
    uint64_t first = 0;
    uint32_t packets = 0, last_length = 0;
    Hint() = default;
    Hint(const Hint&) {}
    Hint& operator=(const Hint&) {
      msg = nullptr;
      first = 0;
      packets = last_length = 0;
      return *this;
    }
  } hint_;
  uint32_t mtu_, initial_psn_;
  uint32_t chunk_;
  uint32_t retries_ = 0;        // timeouts since the last progress
  size_t cur_ = 0;              // msgs_ index of the hint's message
  std::deque<RcMessage> msgs_;  // accepted, not yet fully acknowledged
};

template <class Retired>
RcAckResult RcRequester::on_ack(const Packet& p, Retired&& retired) {
  // The PSN as a sequence number: relative to the oldest unacknowledged packet.
  const int64_t seq = int64_t(una_) + psn_diff(p.psn, wire_psn(una_));
  const unsigned kind = p.syndrome >> GSIM_RC_AETH_KIND_SHIFT;
  if (kind == GSIM_RC_AETH_KIND_ACK) {  // everything up to and including `seq` arrived
    if (seq >= int64_t(una_) && uint64_t(seq) < sent_hwm_) advance(uint64_t(seq) + 1, retired);
    return RcAckResult::progress;
  }
  if (p.syndrome != GSIM_RC_NAK_PSN_SEQ_ERR) return RcAckResult::fatal;
  // The peer expects `seq`: everything before it arrived; go back there.
  if (seq < int64_t(una_) || uint64_t(seq) > sent_hwm_) return RcAckResult::stale;
  advance(uint64_t(seq), retired);
  tx_ = uint64_t(seq);
  return RcAckResult::go_back;
}

template <class Retired>
void RcRequester::advance(uint64_t new_una, Retired& retired) {
  if (new_una <= una_) return;
  una_ = new_una;
  retries_ = 0;
  if (tx_ < una_) tx_ = una_;
  while (!msgs_.empty() && msgs_.front().end_seq() <= una_) {
    RcMessage m = std::move(msgs_.front());
    if (hint_.msg == &msgs_.front()) hint_ = Hint();
    msgs_.pop_front();
    if (cur_) --cur_;
    retired(m);
  }
  if (!msgs_.empty()) release_acked_chunks(msgs_.front());
}

}  // namespace gs
