#include "models/fabric/link.hpp"
#include "models/fabric/arrival_order.hpp"
#include "models/fabric/packet_pool.hpp"
#include "models/common/sim_now.hpp"

namespace gs {

Link::Link(sc_core::sc_module_name name, sc_core::sc_time propagation, double loss_rate, double corrupt_rate,
           uint64_t seed)
    : sc_module(name), prop_(propagation), loss_(loss_rate), corrupt_(corrupt_rate) {
  if (loss_rate > 0 || corrupt_rate > 0) draws_ = std::make_unique<Draws>(seed);
  order_ = &ArrivalOrder::get();  // created during elaboration
}

Link::~Link() { order_->forget(this); }

void Link::carry(const PacketPtr& p, sc_core::sc_time tx_done) {
  if (!up_) {
    ++stats_.dropped_down;
    return;
  }
  ++stats_.frames;
  stats_.bytes += p->wire_bytes();
  // Pause frames are MAC control: assumed never lost (a lost pause would only delay).
  if (!p->is_pause && loss_ > 0 && draws_->next() < loss_) {
    ++stats_.lost;
    return;
  }
  PacketPtr out = p;
  if (!p->is_pause && corrupt_ > 0 && draws_->next() < corrupt_) {
    out = make_packet(*p);  // the corruption belongs to this copy only
    out->corrupted = true;
    ++stats_.corrupted;
  }
  sc_core::sc_time at = sim_now() + tx_done + prop_;
  if (outbox_) {
    outbox_->post(id_, at, out);
    return;
  }
  push(at, std::move(out));
}

void Link::push(sc_core::sc_time at, PacketPtr p) {
  flight_.emplace_back(next_seq_, std::move(p));
  order_->schedule(at, this, next_seq_++);
}

void Link::inject(sc_core::sc_time arrival, PacketPtr p) {
  const sc_core::sc_time now = sim_now();
  if (arrival < now) arrival = now;  // never: the lookahead keeps arrivals in the future
  push(arrival, std::move(p));
}


void Link::set_up(bool up) {
  if (!up && up_) {
    stats_.dropped_down += flight_.size();
    stats_.cut += flight_.size();
    flight_.clear();  // their arrivals find nothing
  }
  up_ = up;
  if (up_mirror_) *up_mirror_ = up;
}

void Link::arrive(uint64_t seq) {
  if (flight_.empty() || flight_.front().first != seq) return;  // cut when the link went down
  PacketPtr p = std::move(flight_.front().second);
  flight_.pop_front();
  ++stats_.delivered;
  if (rx_) rx_->receive(p);
}

}  // namespace gs
