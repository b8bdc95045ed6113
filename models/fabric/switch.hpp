// An Ethernet switch (htsim style: it routes; queues serialize; links delay). N ports, each
// an ingress plus an EgressPort with per-priority output queues, all over one shared
// buffer. Routing: a table from destination IP to the egress ports of equal-cost paths,
// one picked per flow by a 5-tuple hash (ECMP). Forwarding latency is cut-through or
// store-and-forward. PFC pauses an upstream sender when too many of its bytes sit in the
// buffer; with PFC off a full buffer drops (tail drop). Queues past the ECN threshold mark
// frames CE. Event driven: one timed wake for the forwarding pipeline, one per egress port.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <queue>
#include <unordered_map>
#include <vector>
#include <systemc>

#include "models/common/fifo_queue.hpp"
#include "models/common/lazy_wake.hpp"
#include "models/fabric/pfc.hpp"
#include "models/fabric/switch_params.hpp"
#include "models/fabric/switch_port.hpp"

namespace gs {

struct SwitchPortStats {
  uint64_t rx_frames = 0, rx_bytes = 0;   // arrived on this port (wire bytes)
  uint64_t tx_frames = 0, tx_bytes = 0;   // left through this port, pause frames included
  uint64_t drops = 0;                     // arrived here and dropped: buffer full, no route, FCS error
  uint64_t buffer_drops = 0, no_route_drops = 0, corrupt_drops = 0;
  uint64_t down_drops = 0;                // queued for this port when its link went down
  uint64_t pauses_sent = 0, pauses_received = 0;
  uint64_t ecn_marked = 0;                // frames marked CE in this port's queues
  uint64_t max_queue_bytes = 0;           // deepest output queue (frame bytes, all priorities)
};

class Switch : public sc_core::sc_module {
 public:
  // gbps: rate of every port (set_port_rate changes one). seed salts the ECMP hash.
  Switch(sc_core::sc_module_name name, unsigned ports, double gbps, const SwitchParams& params, uint64_t seed);

  unsigned port_count() const { return unsigned(ports_.size()); }
  NetPort& port(unsigned i) { return *ports_.at(i); }
  SwitchPort& switch_port(unsigned i) { return *ports_.at(i); }
  // A port runs at the rate of what is plugged in (both ends of a cable agree on a speed).
  void set_port_rate(unsigned i, double gbps);

  // Frames to `dst_ip` leave through one of `egress_ports` (ECMP among those whose link is up).
  void set_route(uint32_t dst_ip, std::vector<unsigned> egress_ports);
  const std::vector<unsigned>* route(uint32_t dst_ip) const;
  size_t route_count() const { return routes_.size(); }
  // The port a frame would take now, or -1 without a usable route.
  int pick_egress(const Packet& p) const;

  SwitchPortStats port_stats(unsigned i) const;
  uint64_t buffer_used() const { return used_; }
  uint64_t buffer_peak() const { return peak_; }
  uint64_t total_drops() const;
  const SwitchParams& params() const { return params_; }

 private:
  friend class SwitchPort;
  struct InFlight {  // a frame between ingress and its output queue (forwarding latency)
    sc_core::sc_time due;
    uint64_t seq;
    unsigned in, out;
    PacketPtr p;
    sc_core::sc_time lead;
    // Same-time frames leave in ingress-port order, not in the order the kernel happened to
    // deliver them: the result must not depend on event ordering (a partitioned run
    // delivers cut links' frames in another order than one process does).
    bool operator>(const InFlight& o) const {
      if (due != o.due) return due > o.due;
      return in != o.in ? in > o.in : seq > o.seq;
    }
  };
  struct Held {  // what the buffer holds for a frame in an output queue
    unsigned in;
    uint32_t bytes;
  };

  void on_receive(unsigned in, const PacketPtr& p);
  void on_link_changed(unsigned port, bool up);
  void forward_due();
  void forward_at_once();
  void forward(const InFlight& f);
  void on_dequeue(unsigned out, unsigned prio);
  void release(unsigned in, unsigned out, unsigned prio, uint32_t bytes);
  void send_pfc(unsigned port, unsigned prio, bool pause);
  sc_core::sc_time forwarding_delay(unsigned in, const Packet& p, sc_core::sc_time* lead) const;

  SwitchParams params_;
  uint64_t salt_;
  std::vector<std::unique_ptr<EgressPort>> egress_;
  std::vector<std::unique_ptr<SwitchPort>> ports_;
  std::vector<SwitchPortStats> stats_;
  std::vector<PfcIngress> pfc_;                                   // per ingress port
  std::vector<std::array<FifoQueue<Held>, EgressPort::kPriorities>> held_;  // per output, FIFO like the queues
  std::vector<std::array<uint64_t, EgressPort::kPriorities>> out_bytes_;     // per output and priority
  // Per frame these were built from doubles (resolution checks, rounding): kept instead.
  const sc_core::sc_time latency_{params_.latency_ns * 1000.0, sc_core::SC_PS};
  std::vector<sc_core::sc_time> header_time_;  // per port: the routing header at its rate
  // Destination IP -> its set of equal-cost egress ports, kept once per switch: the
  // destinations behind one next hop share a set (10,240 destinations of a 1024-card fat
  // tree use a few dozen), and a vector per destination was most of the routes' memory.
  std::unordered_map<uint32_t, uint32_t> routes_;
  std::vector<std::vector<unsigned>> route_sets_;
  std::map<std::vector<unsigned>, uint32_t> route_set_index_;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<InFlight>> pipeline_;
  // Frames due out of the pipeline: a timed wake ranked by the switch's name, which prefixes
  // its ports' (egress_port.hpp, "Same-instant order"): at an instant, the frames due enter
  // their output queues, in (ingress port, arrival) order, after the instant's arrivals and
  // before those ports' frame ends choose. A frame with nothing left to wait (a cut-through
  // lead at least the pipeline's delay) enters a delta later, after the instant's choices
  // (at_once_, in ingress-port order). Both made on first use (lazy_wake.hpp).
  LazyWake pipeline_due_{this, "", "forward_due", [this] { forward_due(); }};
  std::vector<InFlight> at_once_;
  LazyWake at_once_due_{this, ".at_once", "forward_at_once", [this] { forward_at_once(); }};  // zero delay only
  uint64_t seq_ = 0;
  uint64_t used_ = 0, peak_ = 0;
};

}  // namespace gs
