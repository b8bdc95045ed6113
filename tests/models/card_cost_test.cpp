// What one card costs SystemC at elaboration: its modules, processes and registered events
// (every sc_event created before the simulation runs is named and registered in the object
// manager; a card builds 128 or 1024 times in the large runs, docs/performance.md). The
// ceilings catch a change that brings back per-instance events or processes.
#include <gtest/gtest.h>

#include <cstdio>

#include "pcie_world.hpp"

namespace gs::test {
namespace {

struct Counts {
  unsigned modules = 0, processes = 0, events = 0;
};

void count(const sc_core::sc_object& o, Counts& c) {
  if (dynamic_cast<const sc_core::sc_module*>(&o)) ++c.modules;
  if (dynamic_cast<const sc_core::sc_process_b*>(&o)) ++c.processes;
  c.events += unsigned(o.get_child_events().size());
  for (const sc_core::sc_object* child : o.get_child_objects()) count(*child, c);
}

TEST(CardCost, RegisteredObjectsPerCard) {
  PcieWorld w;
  w.build();
  Counts c;
  count(*w.card, c);
  std::printf("card: %u modules, %u processes, %u registered events\n", c.modules, c.processes, c.events);
  // Main before issue 14's sixth pass: 73 modules, 103 processes, 550 events.
  // Before issue 14's ninth pass: 106 events, 75 processes; after it 74 and 43; with the
  // NIC ports' EgressPorts' wakes made on first use 54 and 23; with the NicPorts' too 34 and 3.
  EXPECT_LE(c.events, 38u);
  EXPECT_LE(c.processes, 6u);
}

}  // namespace
}  // namespace gs::test
