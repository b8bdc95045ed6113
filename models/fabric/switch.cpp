#include "models/fabric/switch.hpp"
#include "models/fabric/packet_pool.hpp"

#include <algorithm>
#include <string>

#include "models/fabric/ecmp.hpp"
#include "models/common/sim_now.hpp"

namespace gs {

namespace {
// A cut-through switch must see the IP and UDP headers (route, ECMP hash) before it forwards.
constexpr uint32_t kRoutingHeaderBytes = wire::kPreambleSfd + wire::kEth + wire::kIpv4 + wire::kUdp + wire::kBth;
}  // namespace

void SwitchPort::receive(const PacketPtr& p) { sw_.on_receive(index_, p); }
void SwitchPort::link_changed(bool up) {
  up_ = up;
  sw_.on_link_changed(index_, up);
}

Switch::Switch(sc_core::sc_module_name name, unsigned ports, double gbps, const SwitchParams& params, uint64_t seed)
    : sc_module(name), params_(params), salt_(mix64(seed)) {
  stats_.resize(ports);
  pfc_.resize(ports);
  held_.resize(ports);
  out_bytes_.resize(ports);
  header_time_.resize(ports);
  for (unsigned i = 0; i < ports; ++i) {
    std::string pname = "p" + std::to_string(i);
    egress_.push_back(std::make_unique<EgressPort>(pname.c_str(), gbps));
    ports_.push_back(std::make_unique<SwitchPort>(*this, i, *egress_.back()));
    egress_.back()->on_dequeue = [this, i](const PacketPtr&, FrameHead h) { on_dequeue(i, h.priority); };
    pfc_[i].configure(params_.pfc, params_.pfc_xoff_bytes, params_.pfc_xon_bytes);
    set_port_rate(i, gbps);
  }
}

void Switch::set_port_rate(unsigned i, double gbps) {
  egress_.at(i)->set_rate(gbps);
  header_time_.at(i) = sc_core::sc_time(kRoutingHeaderBytes * 8.0 / gbps * 1000.0, sc_core::SC_PS);
}

void Switch::set_route(uint32_t dst_ip, std::vector<unsigned> egress_ports) {
  auto [set, fresh] = route_set_index_.try_emplace(std::move(egress_ports), uint32_t(route_sets_.size()));
  if (fresh) route_sets_.push_back(set->first);
  routes_[dst_ip] = set->second;
}

const std::vector<unsigned>* Switch::route(uint32_t dst_ip) const {
  auto it = routes_.find(dst_ip);
  return it == routes_.end() ? nullptr : &route_sets_[it->second];
}

int Switch::pick_egress(const Packet& p) const {
  const std::vector<unsigned>* r = route(p.dst_ip);
  if (!r) return -1;
  unsigned up = 0;
  for (unsigned port : *r) up += ports_[port]->up();
  if (up == 0) return -1;
  unsigned k = r->size() == 1 ? 0 : unsigned(flow_hash(p, salt_) % up);
  for (unsigned port : *r)
    if (ports_[port]->up() && k-- == 0) return int(port);
  return -1;
}

// Delay from the frame's last bit in to its entry in the output queue. Cut-through starts
// the output a routing header plus the latency after the *first* bit; when that is already
// past, the frame enters now with a lead (EgressPort starts it in the past).
sc_core::sc_time Switch::forwarding_delay(unsigned in, const Packet& p, sc_core::sc_time* lead) const {
  const sc_core::sc_time& latency = latency_;
  *lead = sc_core::SC_ZERO_TIME;
  if (!params_.cut_through) return latency;
  const EgressPort& rx = *egress_[in];  // a cable runs at one rate both ways: our tx rate is the rx rate
  const sc_core::sc_time frame = rx.frame_time(p);
  const sc_core::sc_time& header = header_time_[in];
  if (header + latency >= frame) return header + latency - frame;
  *lead = frame - header - latency;
  return sc_core::SC_ZERO_TIME;
}

void Switch::on_receive(unsigned in, const PacketPtr& p) {
  SwitchPortStats& st = stats_[in];
  ++st.rx_frames;
  st.rx_bytes += p->wire_bytes();
  if (handle_pause(*p, *egress_[in])) {
    ++st.pauses_received;
    return;
  }
  // Store-and-forward checks the FCS before forwarding; cut-through has already sent the
  // start of the frame, so a bad one goes on and the endpoint drops it.
  if (p->corrupted && !params_.cut_through) {
    ++st.drops, ++st.corrupt_drops;
    return;
  }
  int out = pick_egress(*p);
  if (out < 0) {
    ++st.drops, ++st.no_route_drops;
    return;
  }
  const uint32_t bytes = p->frame_bytes();
  if (used_ + bytes > params_.buffer_bytes) {
    ++st.drops, ++st.buffer_drops;
    return;
  }
  const unsigned prio = p->priority % EgressPort::kPriorities;
  used_ += bytes;
  if (used_ > peak_) peak_ = used_;
  if (pfc_[in].add(prio, bytes) == PfcIngress::Action::pause) send_pfc(in, prio, true);
  uint64_t& queue = out_bytes_[out][prio];
  queue += bytes;
  SwitchPortStats& ost = stats_[out];
  uint64_t depth = 0;
  for (uint64_t b : out_bytes_[out]) depth += b;
  if (depth > ost.max_queue_bytes) ost.max_queue_bytes = depth;

  PacketPtr fwd = p;
  if (params_.ecn_threshold_bytes && queue > params_.ecn_threshold_bytes && (p->ecn == 1 || p->ecn == 2)) {
    fwd = make_packet(*p);  // header copy: the payload stays shared
    fwd->ecn = 3;
    ++ost.ecn_marked;
  }
  sc_core::sc_time lead;
  sc_core::sc_time delay = forwarding_delay(in, *p, &lead);
  const sc_core::sc_time now = sim_now();
  if (delay == sc_core::SC_ZERO_TIME) {  // a delta later, after this instant's choices
    at_once_.push_back(InFlight{now, seq_++, in, unsigned(out), std::move(fwd), lead});
    at_once_due_.notify(sc_core::SC_ZERO_TIME);
    return;
  }
  pipeline_.push(InFlight{now + delay, seq_++, in, unsigned(out), std::move(fwd), lead});
  pipeline_due_.notify(pipeline_.top().due - now);
}

void Switch::forward_due() {
  const sc_core::sc_time now = sim_now();
  while (!pipeline_.empty() && pipeline_.top().due <= now) {
    InFlight f = pipeline_.top();
    pipeline_.pop();
    forward(f);
  }
  if (!pipeline_.empty()) pipeline_due_.notify(pipeline_.top().due - now);
}

// The frames that arrived at this instant with nothing left to wait, in ingress-port order.
void Switch::forward_at_once() {
  std::sort(at_once_.begin(), at_once_.end(), [](const InFlight& a, const InFlight& b) { return b > a; });
  for (InFlight& f : at_once_) forward(f);
  at_once_.clear();
}

void Switch::forward(const InFlight& f) {
  const unsigned prio = f.p->priority % EgressPort::kPriorities;
  const uint32_t bytes = f.p->frame_bytes();
  if (!ports_[f.out]->up()) {  // the link went down while the frame was in the pipeline
    ++stats_[f.out].down_drops;
    release(f.in, f.out, prio, bytes);
    return;
  }
  held_[f.out][prio].push_back(Held{f.in, bytes});
  egress_[f.out]->enqueue(f.p, f.lead);  // no per-port limit: the shared buffer decides
}

void Switch::on_dequeue(unsigned out, unsigned prio) {
  Held h = held_[out][prio].front();
  held_[out][prio].pop_front();
  release(h.in, out, prio, h.bytes);
}

void Switch::release(unsigned in, unsigned out, unsigned prio, uint32_t bytes) {
  used_ -= bytes;
  out_bytes_[out][prio] -= bytes;
  if (pfc_[in].remove(prio, bytes) == PfcIngress::Action::resume) send_pfc(in, prio, false);
}

void Switch::send_pfc(unsigned port, unsigned prio, bool pause) {
  if (!ports_[port]->up()) return;
  egress_[port]->send_control(make_pause_frame(ports_[port]->mac(), uint8_t(1u << prio), pause));
  ++stats_[port].pauses_sent;
}

void Switch::on_link_changed(unsigned port, bool up) {
  if (up) return;
  // Frames queued for the dead cable are lost; their bytes leave the buffer.
  egress_[port]->flush();
  for (unsigned prio = 0; prio < EgressPort::kPriorities; ++prio) {
    held_[port][prio].for_each([&](const Held& h) {
      ++stats_[port].down_drops;
      release(h.in, port, prio, h.bytes);
    });
    held_[port][prio].clear();
    egress_[port]->set_paused(prio, false);  // a pause from a peer that is gone no longer holds
  }
  pfc_[port].forget_pauses();
}

SwitchPortStats Switch::port_stats(unsigned i) const {
  SwitchPortStats s = stats_.at(i);
  const EgressStats& e = egress_[i]->stats();
  s.tx_frames = e.frames;
  s.tx_bytes = e.bytes;
  return s;
}


uint64_t Switch::total_drops() const {
  uint64_t n = 0;
  for (const SwitchPortStats& s : stats_) n += s.drops + s.down_drops;
  return n;
}

}  // namespace gs
