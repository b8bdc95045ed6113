#include "models/common/timed_wake.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <vector>
#include "models/common/instant_queue.hpp"
#include "models/common/name_rank.hpp"
#include "models/common/sim_now.hpp"
#include "models/common/spawn_method.hpp"

namespace gs {

// The dispatcher of one simulation: the pending wakes by instant (no allocation per wake once
// the instants' vectors have grown) and one method process.
class WakeOrder {
 public:
  static WakeOrder& get() {
    // Never destroyed: wakes held by other statics (ArrivalOrder's) outlive it at exit.
    static auto* per_simulation = new std::map<sc_core::sc_simcontext*, std::unique_ptr<WakeOrder>>;
    std::unique_ptr<WakeOrder>& p = (*per_simulation)[sc_core::sc_get_curr_simcontext()];
    if (!p) p.reset(new WakeOrder());
    return *p;
  }

  void schedule(TimedWake* w, sc_core::sc_time now) {
    if (epoch_ != name_rank::epoch()) reread_ranks();
    w->seq_ = seq_++;
    due_.push({w->at_, *w->rank_, w->seq_, w});
    wake_.notify(due_.next_time() - now);  // an earlier pending one wins
  }

  void forget(const TimedWake* w) {
    due_.remove_if([w](const Entry& e) { return e.who == w; });
  }

 private:
  // The wake's live entry is the one whose seq its wake holds (re-armed or cancelled ones stay
  // queued until they come up).
  using Entry = RankedDue<TimedWake>;

  // Names were renumbered (their order kept): the copies take the new values. A live entry
  // has its wake's owner (set_owner refuses a pending wake); a stale one may have taken a new
  // owner's rank since, hence the re-sort (rare: ranks are renumbered a few times a run).
  void reread_ranks() {
    due_.rerank([](const Entry& e) { return *e.who->rank_; });
    epoch_ = name_rank::epoch();
  }

  WakeOrder() { spawn_method_on(wake_, [this] { fire_due(); }, "wake_order"); }

  void fire_due() {
    const sc_core::sc_time now = sim_now();
    if (epoch_ != name_rank::epoch()) reread_ranks();
    due_.pop_due(now, [](const Entry& e) {
      if (e.seq != e.who->seq_ || !e.who->pending_) return;  // re-armed or cancelled since
      e.who->pending_ = false;
      if (e.who->on_fire_)
        e.who->on_fire_();
      else
        e.who->ev_.notify();  // immediate: woken threads become runnable in this order
    });
    if (!due_.empty()) wake_.notify(due_.next_time() - now);
  }

  InstantQueue<TimedWake> due_;
  uint64_t seq_ = 0;
  uint64_t epoch_ = name_rank::epoch();  // of the ranks copied into due_
  sc_core::sc_event wake_;
};

TimedWake::~TimedWake() {
  if (order_) order_->forget(this);  // stale entries too: the dispatcher reads their wake
}

void TimedWake::notify(sc_core::sc_time delay) {
  if (delay == sc_core::SC_ZERO_TIME) {
    cancel();
    ev_.notify(sc_core::SC_ZERO_TIME);
    return;
  }
  const sc_core::sc_time now = sim_now();
  const sc_core::sc_time at = now + delay;
  if (pending_ && at_ <= at) return;
  at_ = at;
  pending_ = true;
  if (!order_) order_ = &WakeOrder::get();
  if (!rank_) rank_ = name_rank::cell(owner_);  // ranked on first use: most wakes never are
  order_->schedule(this, now);
}

void TimedWake::cancel() {
  if (!pending_) return;
  pending_ = false;  // its entry is stale now: the next notify makes another
}

}  // namespace gs
