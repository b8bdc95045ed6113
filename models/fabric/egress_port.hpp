// The transmit side of an Ethernet port (a NIC MAC or a switch output): per-priority FIFOs,
// serialization at line rate, PFC pause per priority, optional tail drop, and a link behind
// it. No thread per packet: a frame's end is a timed wake (made by the first frame) that
// releases the serializer and starts the next frame in one activation.
//
// Same-instant order (what the choice at a frame's end sees). At every instant the TimedWake
// dispatcher (models/common/timed_wake.hpp) runs first the instant's link arrivals
// (ArrivalOrder: by link name, then sending order), then every timed wake due then, by owner
// name, then scheduling order; threads woken at that instant run after it, then the later
// deltas. A port's frame end is its wake, ranked by the port's name(): the next frame is
// chosen right there, strict priority among what is queued and not paused. It sees every
// arrival of the instant (data, pause, resume) and what every wake ranked before it did
// (a switch's pipeline, whose name prefixes its ports'; a NIC port's due actions and timed
// pump, ".due" and ".feed", before its ".mac"; the frame ends of ports ranked before it,
// with the resumes their dequeues sent); what wakes ranked after it, threads and later
// deltas do (zero-delay cut-through forwarding, a NIC's delta pump) waits for its next
// choice, or starts at once if the port went idle. A frame that ends at its own start
// instant (a cut-through lead as long as the frame) ends a delta later. The rule depends on
// names only, so a partitioned run follows it too (tests/models/fabric_same_instant_test.cpp).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <systemc>

#include "models/common/fifo_queue.hpp"
#include "models/common/lazy_wake.hpp"
#include "models/fabric/link.hpp"
#include "models/fabric/packet.hpp"

namespace gs {

// What a queue keeps of a frame beside the pointer, handed to the dequeue hook: the choice of
// the next frame and the hooks read these, so a data frame (out of the caches by the time it
// leaves, at 1024 cards) is first read again by its receiver.
struct FrameHead {
  uint32_t wire_bytes;  // Packet::wire_bytes()
  uint8_t priority;     // its queue: Packet::priority % kPriorities
  RoceOp op;
};

struct EgressStats {
  uint64_t frames = 0, bytes = 0, drops = 0, pause_frames_sent = 0;
  uint64_t pause_frames_received = 0;  // counted by handle_pause() (models/fabric/pfc.hpp)
  uint64_t max_queued_bytes = 0;       // deepest the queues got (wire bytes)
  sc_core::sc_time paused_time;  // time with at least one priority paused
};

class EgressPort : public sc_core::sc_module {
 public:
  static constexpr unsigned kPriorities = 8;

  // queue_limit_bytes: 0 = unlimited (a NIC only queues what its window allows).
  EgressPort(sc_core::sc_module_name name, double gbps, uint64_t queue_limit_bytes = 0,
             sc_core::sc_time extra_latency = sc_core::SC_ZERO_TIME);
  // Plug the cable in. Frames sent while no link is connected are counted as drops.
  void connect(Link& link) {
    link_ = &link;
    link.mirror_up(&link_up_);
  }
  bool connected() const { return link_ != nullptr; }

  // Queue a frame on its priority. False if tail-dropped.
  bool enqueue(const PacketPtr& p);
  // Cut-through: the frame could have started up to `lead` ago. If the port is idle it
  // starts that much in the past (never before the previous frame ended or the port was
  // resumed), so its last bit leaves `lead` sooner. Queued frames ignore the lead.
  bool enqueue(const PacketPtr& p, sc_core::sc_time lead);
  // MAC control (PFC pause frames) jumps every queue.
  void send_control(const PacketPtr& p);
  // The peer paused or resumed priority `prio` (PFC).
  void set_paused(unsigned prio, bool paused);
  bool paused(unsigned prio) const { return paused_mask_ >> prio & 1; }

  uint64_t queued_bytes() const { return queued_bytes_; }
  uint64_t queued_bytes(unsigned prio) const { return q_[prio].bytes; }
  bool idle() const { return !busy_ && queued_bytes_ == 0 && !control_waiting_; }
  double gbps() const { return gbps_; }
  sc_core::sc_time frame_time(const Packet& p) const { return frame_time(p.wire_bytes()); }
  sc_core::sc_time frame_time(uint32_t wire_bytes) const;
  EgressStats stats() const {
    EgressStats s = stats_;
    s.frames = frames_, s.bytes = bytes_, s.max_queued_bytes = max_queued_bytes_;
    return s;
  }
  Link* link() { return link_; }
  bool link_up() const { return link_ && link_up_; }  // the cable is in and up (Link::up())
  void set_rate(double gbps) {
    gbps_ = gbps;
    memo_bytes_[0] = memo_bytes_[1] = 0;  // the memoised frame times were at the old rate
  }
  // Drop everything queued (link down, reset). Returns the frames dropped.
  size_t flush();
  void count_pause_received() { ++stats_.pause_frames_received; }

 private:
  // With a cut-through `lead`, see enqueue().
  void start_next(sc_core::sc_time lead = sc_core::SC_ZERO_TIME);
  void tx_done();

  // What every frame touches comes first, in three cache lines: the port's scalars, the
  // dequeue hook with the frame times and counters, and the first line of the frame-end wake
  // (a 1024-card run keeps ~15,000 ports busy at once: their state does not stay in the
  // caches, so each line a frame reads costs a miss). The per-priority queues are found
  // through two bit masks instead of visiting all eight; the one a frame leaves from is half
  // a line with its byte count.
  alignas(64) bool busy_ = false;
  bool link_up_ = false;          // link_->up(), kept in step by the link
  bool control_waiting_ = false;  // control_ holds frames
  uint8_t nonempty_ = 0;          // bit p: q_[p] holds frames
  uint8_t paused_mask_ = 0;       // bit p: priority p is paused by the peer
  // Frames mostly come in two sizes (MTU data, ACKs): the last two sizes' times save building
  // an sc_time from a double (resolution checks and rounding) per frame. 0 = nothing memoised;
  // a new size replaces the one used less recently.
  mutable uint8_t memo_older_ = 0;
  mutable uint32_t memo_bytes_[2] = {0, 0};
  uint64_t queued_bytes_ = 0;
  uint64_t limit_;
  Link* link_ = nullptr;
  sc_core::sc_time extra_;
  sc_core::sc_time free_since_;  // the serializer's last frame ended (or a resume happened)
  uint64_t max_queued_bytes_ = 0;  // deepest the queues got (wire bytes)

 public:
  // Called when a frame leaves the queue (switch buffer accounting, a NIC refills), the port
  // already busy with it: whatever the hook sends on this port queues behind it. `head` says
  // what the hook needs of the frame without reading it.
  alignas(64) std::function<void(const PacketPtr&, FrameHead head)> on_dequeue;

 private:
  mutable sc_core::sc_time memo_time_[2];
  uint64_t frames_ = 0, bytes_ = 0;  // sent (EgressStats)
  // The frame's end, in a fixed order among the instant's wakes (ranked by name(), as the
  // port's own). Made on first use (lazy_wake.hpp): events and methods made at elaboration
  // are named and registered, and a port that sends nothing (an `info` run's, an unused
  // switch port) needs none.
  alignas(64) LazyWake done_{this, "", "tx_done", [this] { tx_done(); }};
  struct Queued {
    PacketPtr p;
    uint32_t wire_bytes = 0;
    RoceOp op = RoceOp::none;
  };
  struct PrioQueue {
    FifoQueue<Queued> q;
    uint64_t bytes = 0;
  };
  alignas(64) std::array<PrioQueue, kPriorities> q_;

 public:
  std::function<void()> on_idle;  // the port has nothing it may send (not busy: a send starts)

 private:
  double gbps_;
  FifoQueue<PacketPtr> control_;
  EgressStats stats_;  // frames, bytes and max_queued_bytes are kept above
  sc_core::sc_time pause_start_;
  unsigned paused_count_ = 0;
};

}  // namespace gs
