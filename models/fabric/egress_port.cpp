#include "models/fabric/egress_port.hpp"

#include "models/common/trace.hpp"
#include "models/common/sim_now.hpp"

namespace gs {

EgressPort::EgressPort(sc_core::sc_module_name name, double gbps, uint64_t queue_limit_bytes,
                       sc_core::sc_time extra_latency)
    : sc_module(name), limit_(queue_limit_bytes), extra_(extra_latency), gbps_(gbps) {}

sc_core::sc_time EgressPort::frame_time(uint32_t n) const {
  for (unsigned i = 0; i < 2; ++i)
    if (memo_bytes_[i] == n) {
      memo_older_ = uint8_t(i ^ 1);
      return memo_time_[i];
    }
  const unsigned i = memo_older_;
  memo_time_[i] = sc_core::sc_time(n * 8.0 / gbps_ * 1000.0, sc_core::SC_PS);
  memo_bytes_[i] = n;
  memo_older_ = uint8_t(i ^ 1);
  return memo_time_[i];
}

bool EgressPort::enqueue(const PacketPtr& p) { return enqueue(p, sc_core::SC_ZERO_TIME); }

bool EgressPort::enqueue(const PacketPtr& p, sc_core::sc_time lead) {
  unsigned prio = p->priority % kPriorities;
  uint32_t n = p->wire_bytes();
  if (limit_ && queued_bytes_ + n > limit_) {
    ++stats_.drops;
    return false;
  }
  PrioQueue& pq = q_[prio];
  pq.q.push_back(Queued{p, n, p->op});
  nonempty_ |= uint8_t(1u << prio);
  pq.bytes += n;
  queued_bytes_ += n;
  if (queued_bytes_ > max_queued_bytes_) max_queued_bytes_ = queued_bytes_;
  trace::counter(*this, "queue bytes", sim_now(), double(queued_bytes_));
  if (!busy_) start_next(lead);
  return true;
}

void EgressPort::send_control(const PacketPtr& p) {
  control_.push_back(p);
  control_waiting_ = true;
  ++stats_.pause_frames_sent;
  if (!busy_) start_next();
}

void EgressPort::set_paused(unsigned prio, bool paused) {
  prio %= kPriorities;
  const uint8_t bit = uint8_t(1u << prio);
  if (bool(paused_mask_ & bit) == paused) return;
  paused_mask_ = paused ? uint8_t(paused_mask_ | bit) : uint8_t(paused_mask_ & ~bit);
  if (paused) {
    if (paused_count_++ == 0) pause_start_ = sim_now();
  } else {
    if (--paused_count_ == 0) {
      stats_.paused_time += sim_now() - pause_start_;
      trace::span(*this, "pause", "PFC paused", pause_start_, sim_now());
    }
    if (!busy_) {
      free_since_ = sim_now();  // a cut-through lead cannot reach back past a resume
      start_next();
    }
  }
}

size_t EgressPort::flush() {
  size_t n = 0;
  for (PrioQueue& pq : q_) {
    n += pq.q.size();
    pq.q.clear();
    pq.bytes = 0;
  }
  nonempty_ = 0;
  queued_bytes_ = 0;
  stats_.drops += n;
  return n;
}

// Strict priority: control frames, then the highest priority that is not paused. The port is
// busy from the choice on: a dequeue hook that sends on this port only queues behind p.
void EgressPort::start_next(sc_core::sc_time lead) {
  PacketPtr p;
  uint32_t bytes;
  if (control_waiting_) {
    p = std::move(control_.front());
    control_.pop_front();
    control_waiting_ = !control_.empty();
    bytes = p->wire_bytes();
    busy_ = true;
  } else if (const unsigned ready = nonempty_ & ~paused_mask_ & 0xFFu) {
    const unsigned prio = 31u - unsigned(__builtin_clz(ready));  // the highest ready priority
    PrioQueue& pq = q_[prio];
    Queued& head = pq.q.front();
    p = std::move(head.p);
    bytes = head.wire_bytes;
    const RoceOp op = head.op;
    pq.q.pop_front();
    if (pq.q.empty()) nonempty_ = uint8_t(nonempty_ & ~(1u << prio));
    pq.bytes -= bytes;
    queued_bytes_ -= bytes;
    trace::counter(*this, "queue bytes", sim_now(), double(queued_bytes_));
    busy_ = true;
    if (on_dequeue) on_dequeue(p, FrameHead{bytes, uint8_t(prio), op});
  } else {
    if (on_idle) on_idle();
    return;
  }
  // With a cut-through lead the frame started in the past, bounded by when the serializer
  // became free; it still cannot end before now.
  const sc_core::sc_time now = sim_now();
  sc_core::sc_time start = now;
  if (lead > sc_core::SC_ZERO_TIME) start = lead < now - free_since_ ? now - lead : free_since_;
  sc_core::sc_time end = start + frame_time(bytes);
  trace::span(*this, "", "sending", start, end);  // back-to-back frames merge: busy periods
  sc_core::sc_time t = end > now ? end - now : sc_core::SC_ZERO_TIME;
  ++frames_;
  bytes_ += bytes;
  if (link_)
    link_->carry(std::move(p), t + extra_, bytes);
  else
    ++stats_.drops;
  done_.notify(t);
}

// The frame's end releases the serializer and starts the next frame in this activation, in
// the dispatcher's order of the instant (see "Same-instant order" in egress_port.hpp): the
// choice sees the instant's arrivals and what every wake ranked before this port did.
void EgressPort::tx_done() {
  busy_ = false;
  free_since_ = sim_now();
  start_next();
}

}  // namespace gs
