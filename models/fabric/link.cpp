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
  update_plain();
}

Link::~Link() { order_->forget(this); }

void Link::carry(PacketPtr&& p, sc_core::sc_time tx_done, uint32_t wire_bytes) {
  if (!plain_) return carry_checked(std::move(p), tx_done, wire_bytes);
  bytes_ += wire_bytes;  // the frame count is next_seq_'s
  push(sim_now() + tx_done + prop_, std::move(p));
}

// A link that is down, lossy or corrupting, or whose receiver is in another process.
void Link::carry_checked(PacketPtr&& p, sc_core::sc_time tx_done, uint32_t wire_bytes) {
  if (!up_) {
    ++stats_.dropped_down;
    return;
  }
  bytes_ += wire_bytes;
  // Pause frames are MAC control: assumed never lost (a lost pause would only delay).
  if (!p->is_pause && loss_ > 0 && draws_->next() < loss_) {
    ++stats_.lost;
    ++not_pushed_;
    return;
  }
  if (!p->is_pause && corrupt_ > 0 && draws_->next() < corrupt_) {
    p = make_packet(*p);  // the corruption belongs to this copy only
    p->corrupted = true;
    ++stats_.corrupted;
  }
  sc_core::sc_time at = sim_now() + tx_done + prop_;
  if (outbox_) {
    outbox_->post(id_, at, p);
    ++not_pushed_;
    return;
  }
  push(at, std::move(p));
}

void Link::push(sc_core::sc_time at, PacketPtr p) { order_->schedule(at, this, next_seq_++, std::move(p)); }

void Link::inject(sc_core::sc_time arrival, PacketPtr p) {
  const sc_core::sc_time now = sim_now();
  if (arrival < now) arrival = now;  // never: the lookahead keeps arrivals in the future
  ++injected_;  // counted by the sender's link
  push(arrival, std::move(p));
}


void Link::set_up(bool up) {
  if (!up && up_) {
    const uint64_t in_flight = next_seq_ - stats_.delivered - stats_.cut;  // of the frames pushed here
    stats_.dropped_down += in_flight;
    stats_.cut += in_flight;
    cut_below_ = next_seq_;  // their arrivals deliver nothing
  }
  up_ = up;
  update_plain();
  if (up_mirror_) *up_mirror_ = up;
}

void Link::arrive(uint64_t seq, const PacketPtr& p) {
  if (seq < cut_below_) return;  // cut when the link went down
  ++stats_.delivered;
  if (rx_) rx_->receive(p);
}

}  // namespace gs
