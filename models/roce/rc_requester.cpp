// RcRequester: segmentation, go-back-N and cumulative ACKs of one RC connection.
#include "models/roce/rc_requester.hpp"

#include <algorithm>
#include <cstring>

namespace gs {

RcMessage& RcRequester::post(const RcWrite& w) {
  RcMessage m;
  m.w = w;
  m.first_seq = next_seq_;
  m.packets = w.length ? uint32_t((w.length + mtu_ - 1) / mtu_) : 1;
  next_seq_ += m.packets;
  msgs_.push_back(std::move(m));
  return msgs_.back();
}

// The next packet is not in the last answer's message: the one after it nearly always holds it.
RcMessage& RcRequester::find_next_message() {
  auto holds = [this](size_t i) { return i < msgs_.size() && tx_ >= msgs_[i].first_seq && tx_ < msgs_[i].end_seq(); };
  if (holds(cur_ + 1)) {
    ++cur_;
  } else {
    auto it = std::upper_bound(msgs_.begin(), msgs_.end(), tx_,
                               [](uint64_t seq, const RcMessage& m) { return seq < m.first_seq; });
    cur_ = size_t(std::prev(it) - msgs_.begin());
  }
  RcMessage& m = msgs_[cur_];
  hint_.msg = &m;
  hint_.first = m.first_seq;
  hint_.packets = m.packets;
  hint_.last_length = uint32_t(m.w.length - uint64_t(m.packets - 1) * mtu_);  // 0 for an empty write
  return m;
}

bool RcRequester::emit(Packet& f, PayloadPool& pool) {
  const RcMessage& m = next_message();
  const uint32_t idx = uint32_t(tx_ - hint_.first);
  const uint64_t off = uint64_t(idx) * mtu_;
  const uint32_t plen = next_length();
  const bool first = idx == 0, last = idx + 1 == hint_.packets;
  if (first && last)
    f.op = m.w.with_imm ? RoceOp::write_only_imm : RoceOp::write_only;
  else if (first)
    f.op = RoceOp::write_first;
  else if (last)
    f.op = m.w.with_imm ? RoceOp::write_last_imm : RoceOp::write_last;
  else
    f.op = RoceOp::write_middle;
  f.psn = wire_psn(tx_);
  f.ack_req = last;  // the responder ACKs every message end at once
  if (first) {
    f.va = m.w.remote_va;
    f.rkey = m.w.rkey;
    f.dma_len = uint32_t(m.w.length);
  }
  if (f.has_imm()) f.imm = m.w.imm;
  attach_payload(f, m, off, plen, pool);
  const bool fresh = tx_ >= sent_hwm_;
  ++tx_;
  sent_hwm_ = std::max(sent_hwm_, tx_);
  return fresh;
}

// The frame refers to its bytes in the chunk that holds them; a packet across two chunks
// (an MTU that does not divide the chunk size) gets a buffer of its own.
void RcRequester::attach_payload(Packet& f, const RcMessage& m, uint64_t off, uint32_t plen,
                                 PayloadPool& pool) const {
  f.payload_len = plen;
  if (!plen || m.chunks.empty()) return;  // no bytes: the frame carries only its size
  const size_t k = size_t(off / chunk_);
  const uint64_t in = off % chunk_;
  if (k >= m.chunks.size() || !m.chunks[k]) return;  // released, or not read
  if (in + plen <= chunk_) {
    f.data = m.chunks[k];
    f.data_offset = in;
    return;
  }
  auto own = pool.get(plen);
  const uint64_t head = chunk_ - in;
  std::memcpy(own.get(), m.chunks[k].get() + in, head);
  std::memcpy(own.get() + head, m.chunks[k + 1].get(), plen - head);
  f.data = std::move(own);
  f.data_offset = 0;
}

// Chunks wholly below the acknowledged point are never sent again: back to the pool.
void RcRequester::release_acked_chunks(RcMessage& m) const {
  if (una_ <= m.first_seq) return;
  const uint64_t acked = std::min<uint64_t>((una_ - m.first_seq) * mtu_, m.w.length);
  size_t k = m.chunks_released;  // the ones before were released by earlier ACKs
  for (; k < m.chunks.size() && (k + 1) * uint64_t(chunk_) <= acked; ++k) m.chunks[k].reset();
  m.chunks_released = k;
}

uint32_t RcRequester::timeout() {
  tx_ = una_;
  return ++retries_;
}

std::deque<RcMessage> RcRequester::flush() {
  std::deque<RcMessage> gone;
  gone.swap(msgs_);
  hint_ = Hint();
  una_ = tx_ = sent_hwm_ = next_seq_;  // nothing left to send or to wait for
  return gone;
}

}  // namespace gs
