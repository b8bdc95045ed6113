// A TimedWake (timed_wake.hpp) whose action runs in its owner's name, made on first use. A
// TimedWake holds an sc_event, and its owner a method for zero-delay wakes: made at
// elaboration, SystemC names and registers both (a card's 28 QMANs and 4 sync managers made
// 32 of each, most of them before a single effect was due). Here the TimedWake is made by the
// first notify and the method by the first zero-delay notify, as the owner's child: the
// action runs at the same instants, in the same order among the instant's wakes (by name).
#pragma once
#include <functional>
#include <string>
#include <systemc>

#include "models/common/timed_wake.hpp"

namespace gs {

class LazyWake {
 public:
  // The wake's name (its tie-break among an instant's wakes) is owner's name + `suffix`;
  // `method_stem` names the method. Both strings must outlive this object (literals).
  LazyWake(sc_core::sc_module* owner, const char* suffix, const char* method_stem, std::function<void()> action)
      : owner_(owner), suffix_(suffix), stem_(method_stem), action_(std::move(action)) {}
  ~LazyWake() {
    if (made_) wake_.~TimedWake();
  }
  LazyWake(const LazyWake&) = delete;
  LazyWake& operator=(const LazyWake&) = delete;

  void notify(sc_core::sc_time delay);  // as TimedWake::notify
  void cancel() {
    if (made_) wake_.cancel();
  }
  bool made() const { return made_; }

 private:
  void make();

  // In place, not on the heap: hot wakes (a port's frame end, a NIC's pump) are notified per
  // frame, and a separate object cost a cache miss each at 1024 cards (8-20 % of the run).
  // The flags come first, then the wake's own hot fields (timed_wake.hpp): one cache line
  // when this object starts one (EgressPort aligns its wakes).
  bool made_ = false;
  bool method_ = false;  // the method running the action on zero-delay notifications exists
  union {
    TimedWake wake_;  // constructed by make()
  };
  sc_core::sc_module* owner_;
  const char* suffix_;
  const char* stem_;
  std::function<void()> action_;
  std::string name_;  // the wake's owner string (set by make())
};

}  // namespace gs
