// The transmit side of an Ethernet port (a NIC MAC or a switch output): per-priority FIFOs,
// serialization at line rate, PFC pause per priority, optional tail drop, and a link behind
// it. No thread per packet: a port's methods run when a frame finishes (made by its first).
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
  uint64_t queued_bytes(unsigned prio) const { return prio_bytes_[prio]; }
  bool idle() const { return !busy_ && queued_bytes_ == 0 && control_.empty(); }
  double gbps() const { return gbps_; }
  sc_core::sc_time frame_time(const Packet& p) const;
  const EgressStats& stats() const { return stats_; }
  Link* link() { return link_; }
  bool link_up() const { return link_ && link_up_; }  // the cable is in and up (Link::up())
  void set_rate(double gbps) {
    gbps_ = gbps;
    memo_bytes_[0] = memo_bytes_[1] = 0;  // the memoised frame times were at the old rate
  }
  // Drop everything queued (link down, reset). Returns the frames dropped.
  size_t flush();
  void count_pause_received() { ++stats_.pause_frames_received; }

  // Called when a frame leaves the queue (switch buffer accounting) and when the port
  // has nothing left to send (a NIC refills).
  std::function<void(const PacketPtr&)> on_dequeue;
  std::function<void()> on_idle;

 private:
  void start_next();
  void tx_done();
  void serializer_free();

  // What every frame touches comes first, together (a 1024-card run keeps ~15,000 ports
  // busy at once: their state does not stay in the caches, so each line a frame reads
  // costs a miss). The per-priority queues are found through two bit masks instead of
  // visiting all eight.
  bool busy_ = false;
  bool link_up_ = false;     // link_->up(), kept in step by the link
  uint8_t nonempty_ = 0;     // bit p: q_[p] holds frames
  uint8_t paused_mask_ = 0;  // bit p: priority p is paused by the peer
  // Frames mostly come in two sizes (MTU data, ACKs): the last two sizes' times save building
  // an sc_time from a double (resolution checks and rounding) per frame. 0 = nothing memoised;
  // a new size replaces the one used less recently.
  mutable uint32_t memo_bytes_[2] = {0, 0};
  mutable uint8_t memo_older_ = 0;
  mutable sc_core::sc_time memo_time_[2];
  uint64_t queued_bytes_ = 0;
  Link* link_ = nullptr;
  sc_core::sc_time extra_;
  sc_core::sc_time free_since_;  // the serializer's last frame ended (or a resume happened)
  sc_core::sc_time lead_;        // lead of the frame being enqueued onto an idle port
  double gbps_;
  uint64_t limit_;
  FifoQueue<PacketPtr> control_;
  EgressStats stats_;
  // The frame's end, in a fixed order among the instant's wakes (ranked by name(), as the
  // port's own), and the serializer's release a delta later. Both are made on first use
  // (lazy_wake.hpp): events and methods made at elaboration are named and registered, and a
  // port that sends nothing (an `info` run's, an unused switch port) needs neither.
  LazyWake done_{this, "", "tx_done", [this] { tx_done(); }};
  std::array<FifoQueue<PacketPtr>, kPriorities> q_;
  std::array<uint64_t, kPriorities> prio_bytes_{};
  LazyWake free_{this, ".free", "serializer_free", [this] { serializer_free(); }};  // only ever notified with zero delay
  sc_core::sc_time pause_start_;
  unsigned paused_count_ = 0;
};

}  // namespace gs
