#include "models/fabric/arrival_order.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "models/common/name_rank.hpp"
#include "models/common/sim_now.hpp"
#include "models/common/spawn_method.hpp"
#include "models/fabric/link.hpp"

namespace gs {

ArrivalOrder& ArrivalOrder::get() {
  static std::map<sc_core::sc_simcontext*, std::unique_ptr<ArrivalOrder>> per_simulation;
  std::unique_ptr<ArrivalOrder>& p = per_simulation[sc_core::sc_get_curr_simcontext()];
  if (!p) p.reset(new ArrivalOrder());
  return *p;
}

ArrivalOrder::ArrivalOrder() : epoch_(name_rank::epoch()) {
  // Sensitive to the wake's own event: zero-latency arrivals come as a delta notification.
  spawn_method_on(wake_.event(), [this] { deliver_due(); }, "arrival_order");
}

void ArrivalOrder::schedule(sc_core::sc_time at, Link* link, uint64_t seq, PacketPtr frame) {
  const sc_core::sc_time now = sim_now();
  if (!link->rank_.ready()) link->rank_.bind(link->name());  // ranked on its first frame
  if (epoch_ != name_rank::epoch()) reread_ranks();
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = uint32_t(frames_.size());
    frames_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  frames_[slot] = std::move(frame);
  due_.push({at, link->rank_.value(), seq, link, slot});
  wake_.notify(due_.next_time() - now);  // an earlier pending notification wins
}

// Names were renumbered (their order kept): the entries take the new values.
void ArrivalOrder::reread_ranks() {
  due_.rerank([](const Entry& e) { return e.who->rank_.value(); });
  epoch_ = name_rank::epoch();
}

void ArrivalOrder::forget(const Link* link) {
  due_.remove_if([this, link](const Entry& e) {
    if (e.who != link) return false;
    frames_[e.slot].reset();
    free_slots_.push_back(e.slot);
    return true;
  });
}

void ArrivalOrder::deliver_due() {
  const sc_core::sc_time now = sim_now();
  if (epoch_ != name_rank::epoch()) reread_ranks();
  due_.pop_due(now, [this](const Entry& e) {
    // An instant's arrivals are on scattered links: the lines an arrival a few places on
    // reads (its link's first, its frame's first) are asked for while this one is delivered.
    if (const Entry* next = due_.ahead(kAhead)) {
      __builtin_prefetch(&next->who->rx_);
      __builtin_prefetch(frames_[next->slot].get());
    }
    const PacketPtr frame = std::move(frames_[e.slot]);  // arrive() may schedule more frames
    free_slots_.push_back(e.slot);
    e.who->arrive(e.seq, frame);
  });
  if (!due_.empty()) wake_.notify(due_.next_time() - now);
}

}  // namespace gs
