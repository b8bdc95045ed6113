// LazyWake: a TimedWake made by its first notify, its method by its first zero-delay notify.
#include <gtest/gtest.h>

#include <systemc>
#include <vector>

#include "models/common/lazy_wake.hpp"
#include "models/common/time.hpp"

namespace gs {
namespace {

struct Owner : sc_core::sc_module {
  explicit Owner(sc_core::sc_module_name n) : sc_module(n) {}
  std::vector<sc_core::sc_time> fired;
  LazyWake wake{this, ".wake", "on_wake", [this] { fired.push_back(sc_core::sc_time_stamp()); }};
};

// Nothing SystemC registers exists until the first notify; a timed wake runs the action at
// its instant without any process of the owner's, a zero-delay one through the owner's
// method (made then, once); an earlier pending notification wins and cancel drops one.
TEST(LazyWake, MadeOnFirstNotifyMethodOnFirstZeroDelay) {
  Owner owner("owner");
  EXPECT_TRUE(owner.get_child_events().empty());
  EXPECT_FALSE(owner.wake.made());
  size_t children_after_timed = 99;
  sc_core::sc_spawn(
      [&] {
        owner.wake.notify(ns(30));
        owner.wake.notify(ns(50));  // later: the pending one wins
        sc_core::wait(ns(40));
        children_after_timed = owner.get_child_objects().size();
        owner.wake.notify(sc_core::SC_ZERO_TIME);
        sc_core::wait(ns(10));
        owner.wake.notify(ns(5));
        owner.wake.cancel();
        sc_core::wait(ns(10));
        owner.wake.notify(sc_core::SC_ZERO_TIME);  // the method made before serves it
      },
      "notifier");
  sc_core::sc_start();
  EXPECT_TRUE(owner.wake.made());
  EXPECT_EQ(children_after_timed, 0u);
  EXPECT_EQ(owner.fired, (std::vector<sc_core::sc_time>{ns(30), ns(40), ns(60)}));
  ASSERT_EQ(owner.get_child_objects().size(), 1u);
  EXPECT_EQ(std::string(owner.get_child_objects()[0]->basename()).rfind("on_wake", 0), 0u);
}

}  // namespace
}  // namespace gs
