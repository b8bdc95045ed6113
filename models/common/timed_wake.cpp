#include "models/common/timed_wake.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <vector>
#include "models/common/name_rank.hpp"
#include "models/common/ranked_due.hpp"
#include "models/common/spawn_method.hpp"

namespace gs {

// The dispatcher of one simulation: a binary heap of pending wakes (no allocation per
// wake once the vector has grown) and one method process.
class WakeOrder {
 public:
  static WakeOrder& get() {
    // Never destroyed: wakes held by other statics (ArrivalOrder's) outlive it at exit.
    static auto* per_simulation = new std::map<sc_core::sc_simcontext*, std::unique_ptr<WakeOrder>>;
    std::unique_ptr<WakeOrder>& p = (*per_simulation)[sc_core::sc_get_curr_simcontext()];
    if (!p) p.reset(new WakeOrder());
    return *p;
  }

  void schedule(TimedWake* w) {
    if (epoch_ != name_rank::epoch()) reread_ranks();
    w->seq_ = seq_++;
    heap_.push_back({w->at_, *w->rank_, w->seq_, w});
    std::push_heap(heap_.begin(), heap_.end(), Later());
    wake_.notify(heap_.front().at - sc_core::sc_time_stamp());  // an earlier pending one wins
  }

  void forget(const TimedWake* w) {
    heap_.erase(std::remove_if(heap_.begin(), heap_.end(), [w](const Entry& e) { return e.who == w; }), heap_.end());
    std::make_heap(heap_.begin(), heap_.end(), Later());
  }

 private:
  // The wake's live entry is the one whose seq its wake holds (re-armed or cancelled ones stay
  // in the heap until they come up).
  using Entry = RankedDue<TimedWake>;
  using Later = Entry::Later;

  // Names were renumbered (their order kept): the copies take the new values. A live entry
  // has its wake's owner (set_owner refuses a pending wake); a stale one may have taken a new
  // owner's rank since, hence the rebuild (rare: ranks are renumbered a few times a run).
  void reread_ranks() {
    for (Entry& e : heap_) e.rank = *e.who->rank_;
    std::make_heap(heap_.begin(), heap_.end(), Later());
    epoch_ = name_rank::epoch();
  }

  WakeOrder() { spawn_method_on(wake_, [this] { fire_due(); }, "wake_order"); }

  void fire_due() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (epoch_ != name_rank::epoch()) reread_ranks();
    Entry::pop_due(heap_, now, [](const Entry& e) {
      if (e.seq != e.who->seq_ || !e.who->pending_) return;  // re-armed or cancelled since
      e.who->pending_ = false;
      if (e.who->on_fire_)
        e.who->on_fire_();
      else
        e.who->ev_.notify();  // immediate: woken threads become runnable in this order
    });
    if (!heap_.empty()) wake_.notify(heap_.front().at - now);
  }

  std::vector<Entry> heap_;
  uint64_t seq_ = 0;
  uint64_t epoch_ = name_rank::epoch();  // of the ranks copied into heap_
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
  const sc_core::sc_time at = sc_core::sc_time_stamp() + delay;
  if (pending_ && at_ <= at) return;
  at_ = at;
  pending_ = true;
  if (!order_) order_ = &WakeOrder::get();
  if (!rank_) rank_ = name_rank::cell(owner_);  // ranked on first use: most wakes never are
  order_->schedule(this);
}

void TimedWake::cancel() {
  if (!pending_) return;
  pending_ = false;  // its entry is stale now: the next notify makes another
}

}  // namespace gs
