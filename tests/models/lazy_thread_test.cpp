// LazyThread: a SystemC thread made by its first kick, parked between runs.
#include <gtest/gtest.h>

#include <memory>
#include <systemc>
#include <vector>

#include "models/common/lazy_thread.hpp"
#include "models/common/time.hpp"

namespace gs {
namespace {

struct Owner : sc_core::sc_module {
  explicit Owner(sc_core::sc_module_name n) : sc_module(n) {}
};

// A LazyThread made while the simulation runs (a QMAN makes a stream's when the stream first
// has work) gives its owner, not the process that made and kicked it, the thread; the body
// runs one delta after each kick and the thread is made once.
TEST(LazyThread, MadeLaterItsThreadIsTheOwnersChildAndRunsOnEachKick) {
  Owner owner("owner");
  std::unique_ptr<LazyThread> lazy;
  std::vector<uint64_t> runs_at;  // delta counts of the body's runs
  uint64_t kicked_at = 0;
  sc_core::sc_spawn(
      [&] {
        sc_core::wait(ns(10));
        lazy = std::make_unique<LazyThread>(&owner, "worker", 64 * 1024,
                                            [&] { runs_at.push_back(sc_core::sc_delta_count()); });
        EXPECT_TRUE(owner.get_child_objects().empty());  // nothing until the first kick
        kicked_at = sc_core::sc_delta_count();
        lazy->kick();
        lazy->kick();  // about to run: no second run
        sc_core::wait(ns(10));
        lazy->kick();
      },
      "maker");
  sc_core::sc_start();
  ASSERT_EQ(runs_at.size(), 2u);
  EXPECT_EQ(runs_at[0], kicked_at + 1);
  EXPECT_EQ(lazy->starts(), 2u);
  EXPECT_FALSE(lazy->running());
  ASSERT_EQ(owner.get_child_objects().size(), 1u);
  EXPECT_EQ(std::string(owner.get_child_objects()[0]->basename()).rfind("worker", 0), 0u);
}

}  // namespace
}  // namespace gs
