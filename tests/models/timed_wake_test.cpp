// TimedWake: timed notifications of one instant fire in (time, owner name) order whatever
// order they were made in; an earlier notification wins, cancel() and a delta notification
// drop a pending timed one.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/common/time.hpp"
#include "models/common/timed_wake.hpp"

namespace gs {
namespace {

struct Fired {
  std::string who;
  sc_core::sc_time at;
};

// A method per wake that records when it ran, and a thread that drives the test.
void watch(TimedWake& w, const std::string& who, std::vector<Fired>& log) {
  sc_core::sc_spawn_options o;
  o.spawn_method();
  o.set_sensitivity(&w.event());
  o.dont_initialize();
  sc_core::sc_spawn([&w, who, &log] { log.push_back({who, sc_core::sc_time_stamp()}); },
                    sc_core::sc_gen_unique_name("watch"), &o);
}

void drive(std::function<void()> body) {
  sc_core::sc_spawn(std::move(body), "driver");
  sc_core::sc_start();
}

TEST(TimedWake, OneInstantFiresInOwnerOrder) {
  TimedWake p9("card0.port9"), p1("card0.port1"), p8("card0.port8"), later("card0.port0");
  std::vector<Fired> log;
  watch(p9, "9", log), watch(p1, "1", log), watch(p8, "8", log), watch(later, "0", log);
  drive([&] {
    p9.notify(ns(10));
    later.notify(ns(11));
    p1.notify(ns(10));
    sc_core::wait(ns(2));
    p8.notify(ns(8));  // same instant, asked later and from another time
  });
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].who, "1");
  EXPECT_EQ(log[1].who, "8");
  EXPECT_EQ(log[2].who, "9");
  EXPECT_EQ(log[3].who, "0");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(log[i].at, ns(10));
  EXPECT_EQ(log[3].at, ns(11));
}

TEST(TimedWake, EarliestWinsAndCancelDrops) {
  TimedWake a("a"), b("b"), c("c");
  std::vector<Fired> log;
  watch(a, "a", log), watch(b, "b", log), watch(c, "c", log);
  drive([&] {
    a.notify(ns(20));
    a.notify(ns(10));
    a.notify(ns(30));  // later than the pending one: ignored
    b.notify(ns(5));
    b.cancel();
    c.notify(ns(40));
    c.notify(sc_core::SC_ZERO_TIME);  // a delta notification replaces the timed one
    sc_core::wait(ns(50));
    a.notify(ns(1));  // re-armed after it fired
  });
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].who, "c");
  EXPECT_EQ(log[0].at, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(log[1].who, "a");
  EXPECT_EQ(log[1].at, ns(10));
  EXPECT_EQ(log[2].who, "a");
  EXPECT_EQ(log[2].at, ns(51));
}

TEST(TimedWake, AThreadWaitsOnItAndADestroyedWakeNeverFires) {
  std::vector<Fired> log;
  auto gone = std::make_unique<TimedWake>("gone");
  TimedWake mine("mine");
  drive([&] {
    gone->notify(ns(5));
    gone.reset();  // its entry leaves the dispatcher with it
    mine.notify(ns(7));
    sc_core::wait(mine.event());
    log.push_back({"mine", sc_core::sc_time_stamp()});
  });
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].at, ns(7));
}

TEST(TimedWake, AnOnFireActionRunsBeforeAThreadWokenAtThatInstant) {
  std::vector<Fired> log;
  TimedWake effect("effect", [&] { log.push_back({"effect", sc_core::sc_time_stamp()}); });
  drive([&] {
    effect.notify(ns(10));  // a register write's effect, due when it arrives
    sc_core::wait(ns(10));  // a reader arriving then sees it
    log.push_back({"reader", sc_core::sc_time_stamp()});
  });
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].who, "effect");
  EXPECT_EQ(log[1].who, "reader");
  EXPECT_EQ(log[1].at, ns(10));
}

// A wake asked for while its instant's other wakes are still due (here from an action run
// during their hand-out, and from a thread running at that instant) makes the dispatcher
// notify itself for a delta, and the kernel ignores its timed notifications until that delta
// ends: the dispatcher, which skips the notifications the kernel would ignore, must still
// get its wake for the later instants.
TEST(TimedWake, WakesAskedForWhileAnInstantIsHandedOutFireOnTime) {
  std::vector<Fired> log;
  auto note = [&log](const char* who) { log.push_back({who, sc_core::sc_time_stamp()}); };
  TimedWake b("b", [&] { note("b"); });
  TimedWake d("d", [&] { note("d"); });
  TimedWake a("a", [&] {
    note("a");
    b.notify(ns(5));  // "c" is still due now
  });
  TimedWake c("c", [&] { note("c"); });
  drive([&] {
    a.notify(ns(10));
    c.notify(ns(10));
    sc_core::wait(ns(10));
    d.notify(ns(3));  // in the delta the dispatcher's delta notification is pending
  });
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].who, "a");
  EXPECT_EQ(log[1].who, "c");
  EXPECT_EQ(log[0].at, ns(10));
  EXPECT_EQ(log[1].at, ns(10));
  EXPECT_EQ(log[2].who, "d");
  EXPECT_EQ(log[2].at, ns(13));
  EXPECT_EQ(log[3].who, "b");
  EXPECT_EQ(log[3].at, ns(15));
}

}  // namespace
}  // namespace gs
