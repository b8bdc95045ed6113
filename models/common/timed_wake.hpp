// A timed notification whose firing order among others of the same instant is fixed: by
// time, then the owner's name. Plain sc_event timed notifications of one instant fire in
// the order of the kernel's event queue, which depends on everything else the kernel holds
// and so differs between a single-process and a partitioned run; engines of one card woken
// at one instant (NIC ports of a ring step, TPCs, DMA channels) then reach the card's
// shared PCIe and HBM bandwidth servers in another order and finish at other times. One
// dispatcher method per simulation fires every TimedWake due at an instant, in (time, name,
// scheduling order). A wake with an `on_fire` action (the body of the owner's method
// process) runs it right there, in the instant's first delta, as a method woken by the
// kernel would run (before any thread: a register effect due at an instant is seen by a
// reader arriving then). A wake without one notifies its event immediately: the waiting
// threads run in that order, after the threads the kernel woke itself at that instant.
#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <systemc>

#include "models/common/name_rank.hpp"

namespace gs {

class WakeOrder;

class TimedWake {
 public:
  // `owner` names the waker (a module's name(), or a string that outlives this object): the
  // tie-break of one instant, so it must be the same in every run of the world.
  explicit TimedWake(const char* owner = "", std::function<void()> on_fire = {})
      : on_fire_(std::move(on_fire)), owner_(owner) {}
  // Not while a notification is pending: its entry keeps the owner it was made with.
  void set_owner(const char* owner) {
    if (pending_) throw std::logic_error("TimedWake::set_owner while a notification is pending");
    owner_ = owner;
    rank_.unbind();
  }
  ~TimedWake();
  TimedWake(const TimedWake&) = delete;
  TimedWake& operator=(const TimedWake&) = delete;

  // What processes wait on or are sensitive to.
  const sc_core::sc_event& event() const { return ev_; }
  // Like sc_event::notify(delay): an earlier pending notification wins. A zero delay is a
  // plain delta notification of event() (its order follows from what caused it), so a
  // method with an on_fire action is also made sensitive to event().
  void notify(sc_core::sc_time delay);
  void cancel();  // drop a pending timed notification

 private:
  friend class WakeOrder;
  // What the dispatcher reads when the wake fires (and notify() reads first) comes first, in
  // 49 bytes: a LazyWake puts its flags before them in one cache line. Then what scheduling
  // reads too; the event (about 170 bytes) only matters to zero-delay notifications and to
  // waiting threads.
  std::function<void()> on_fire_;
  sc_core::sc_time at_;
  uint64_t seq_ = 0;  // the dispatcher's number of the live entry: others are stale
  bool pending_ = false;
  WakeOrder* order_ = nullptr;  // the dispatcher holding our entries (set on first use)
  name_rank::RankCopy rank_;    // owner_'s rank, bound on first use
  const char* owner_;
  sc_core::sc_event ev_;
};

}  // namespace gs
