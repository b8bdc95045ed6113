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
    due_.push({w->at_, w->rank_.value(), w->seq_, w});
    arm(due_.next_time(), now);
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
    // (An unbound rank belongs to a stale entry whose wake took another owner: never fired.)
    due_.rerank([](const Entry& e) { return e.who->rank_.ready() ? e.who->rank_.value() : e.rank; });
    epoch_ = name_rank::epoch();
  }

  WakeOrder() { spawn_method_on(wake_, [this] { fire_due(); }, "wake_order"); }

  void fire_due() {
    const sc_core::sc_time now = sim_now();
    if (epoch_ != name_rank::epoch()) reread_ranks();
    due_.pop_due(now, [this](const Entry& e) {
      // The wakes of an instant are scattered (a large fabric's ports): the line a wake a
      // few places on reads is asked for while this one fires.
      if (const Entry* next = due_.ahead(kAhead)) __builtin_prefetch(next->who);
      if (e.seq != e.who->seq_ || !e.who->pending_) return;  // re-armed or cancelled since
      e.who->pending_ = false;
      if (e.who->on_fire_)
        e.who->on_fire_();
      else
        e.who->ev_.notify();  // immediate: woken threads become runnable in this order
    });
    if (!due_.empty()) arm(due_.next_time(), now);
  }

  // wake_.notify(at - now), skipping the calls the kernel ignores: most schedules are for an
  // instant at or after the one wake_ is already notified for, and each call reads the event
  // and the kernel's context. Nothing else notifies wake_. A timed notification is triggered
  // before anything runs at its instant, so while armed_ is after now the kernel holds exactly
  // that one, and none once it is not. A delta notification (`at` is now: wakes of this
  // instant not handed out yet) makes the kernel ignore every notification until the delta
  // ends, which it does before the delta count moves on (the phase that made it ran a
  // process). The calls made are the ones made before, in the same order: the kernel's queue
  // of timed notifications, whose order breaks ties between same-time events, is unchanged.
  void arm(sc_core::sc_time at, sc_core::sc_time now) {
    if (delta_) {
      if (sc_core::sc_delta_count() == delta_count_) return;  // still pending
      delta_ = false;
      armed_ = sc_core::SC_ZERO_TIME;  // it cancelled any timed one, then fired
    }
    if (at == now) {
      wake_.notify(sc_core::SC_ZERO_TIME);
      delta_ = true;
      delta_count_ = sc_core::sc_delta_count();
      return;
    }
    if (armed_ > now && armed_ <= at) return;  // the earlier pending one is kept
    wake_.notify(at - now);
    armed_ = at;
  }

  static constexpr size_t kAhead = 4;  // how far ahead fire_due asks for a wake's line
  InstantQueue<TimedWake> due_;
  uint64_t seq_ = 0;
  uint64_t epoch_ = name_rank::epoch();  // of the ranks copied into due_
  sc_core::sc_time armed_;  // the instant wake_ was last notified for (see arm)
  bool delta_ = false;      // a delta notification of wake_ was made in delta delta_count_
  uint64_t delta_count_ = 0;
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
  if (!rank_.ready()) rank_.bind(owner_);  // ranked on first use: most wakes never are
  order_->schedule(this, now);
}

void TimedWake::cancel() {
  if (!pending_) return;
  pending_ = false;  // its entry is stale now: the next notify makes another
}

}  // namespace gs
