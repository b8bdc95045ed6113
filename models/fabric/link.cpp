#include "models/fabric/link.hpp"
#include "models/fabric/packet_pool.hpp"

namespace gs {

Link::Link(sc_core::sc_module_name name, sc_core::sc_time propagation, double loss_rate, double corrupt_rate,
           uint64_t seed)
    : sc_module(name), prop_(propagation), loss_(loss_rate), corrupt_(corrupt_rate), rng_(seed) {
  SC_HAS_PROCESS(Link);
  SC_METHOD(deliver);
  sensitive << arrive_;
  dont_initialize();
}

void Link::carry(const PacketPtr& p, sc_core::sc_time tx_done) {
  if (!up_) {
    ++stats_.dropped_down;
    return;
  }
  ++stats_.frames;
  stats_.bytes += p->wire_bytes();
  // Pause frames are MAC control: assumed never lost (a lost pause would only delay).
  if (!p->is_pause && loss_ > 0 && uni_(rng_) < loss_) {
    ++stats_.lost;
    return;
  }
  PacketPtr out = p;
  if (!p->is_pause && corrupt_ > 0 && uni_(rng_) < corrupt_) {
    out = make_packet(*p);  // the corruption belongs to this copy only
    out->corrupted = true;
    ++stats_.corrupted;
  }
  sc_core::sc_time at = sc_core::sc_time_stamp() + tx_done + prop_;
  if (outbox_) {
    outbox_->post(id_, at, out);
    return;
  }
  bool was_empty = flight_.empty();
  flight_.emplace_back(at, std::move(out));
  if (was_empty) arrive_.notify(at - sc_core::sc_time_stamp());
}

void Link::inject(sc_core::sc_time arrival, PacketPtr p) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (arrival < now) arrival = now;  // never: the lookahead keeps arrivals in the future
  bool was_empty = flight_.empty();
  flight_.emplace_back(arrival, std::move(p));
  if (was_empty) arrive_.notify(arrival - now);
}

void Link::archive_sender_stats(StatsArchive& a) {
  a.u64(stats_.frames), a.u64(stats_.bytes), a.u64(stats_.lost), a.u64(stats_.corrupted);
  a.u64(stats_.dropped_down), a.u64(stats_.cut);
}

void Link::set_up(bool up) {
  if (!up && up_) {
    stats_.dropped_down += flight_.size();
    stats_.cut += flight_.size();
    flight_.clear();
    arrive_.cancel();
  }
  up_ = up;
}

void Link::deliver() {
  sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!flight_.empty() && flight_.front().first <= now) {
    PacketPtr p = std::move(flight_.front().second);
    flight_.pop_front();
    ++stats_.delivered;
    if (rx_) rx_->receive(p);
  }
  if (!flight_.empty()) arrive_.notify(flight_.front().first - now);
}

}  // namespace gs
