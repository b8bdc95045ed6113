// Topology plans (no simulation): the box's 28 cables and their ports, pair, leaf/spine
// scale-out with routes from every GAUDI address to every other, custom link files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "integration_helpers.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/topology/routing.hpp"
#include "testbench/topology/topology_plan.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;

FabricParams kind(const std::string& k) {
  FabricParams fp;
  fp.kind = k;
  return fp;
}

TEST(TopologyPlan, BoxHas28CablesOnePerPairOnTheInternalPorts) {
  TopologyPlan plan = plan_topology(kind("box"), TopologyShape{1, 8, 10});
  ASSERT_EQ(plan.cables.size(), 28u);
  EXPECT_TRUE(plan.switches.empty());
  std::set<std::pair<unsigned, unsigned>> pairs;
  std::map<unsigned, std::set<unsigned>> used;  // card -> ports
  for (const Cable& c : plan.cables) {
    ASSERT_EQ(c.a.kind, NodeKind::card);
    ASSERT_EQ(c.b.kind, NodeKind::card);
    unsigned i = c.a.index, j = c.b.index;
    EXPECT_TRUE(pairs.insert({std::min(i, j), std::max(i, j)}).second);
    EXPECT_EQ(c.a.port, box_port(i, j));
    EXPECT_EQ(c.b.port, box_port(j, i));
    EXPECT_TRUE(used[i].insert(c.a.port).second);
    EXPECT_TRUE(used[j].insert(c.b.port).second);
  }
  for (auto& [card, ports] : used) EXPECT_EQ(ports, (std::set<unsigned>{0, 2, 3, 4, 5, 6, 7})) << card;
  // The rule of the brief, spelled out for two cards: 0-1 uses port 0 on card 1 and port 0 on card 0.
  EXPECT_EQ(box_port(0, 1), 0u);
  EXPECT_EQ(box_port(1, 0), 0u);
  EXPECT_EQ(box_port(0, 7), 7u);
  EXPECT_EQ(box_port(7, 0), 0u);
  EXPECT_EQ(box_port(3, 2), 3u);
  EXPECT_EQ(box_port(2, 3), 3u);
  EXPECT_EQ(box_port(2, 7), 7u);
  EXPECT_EQ(box_port(7, 2), 3u);
}

TEST(TopologyPlan, AddressesCarryTheGaudiOui) {
  EXPECT_EQ(gaudi_mac(1, 2, 9), 0x021DA3010209ull);
  EXPECT_EQ(ip_text(gaudi_ip(1, 2, 9)), "10.1.2.10");
  EXPECT_EQ(mac_text(gaudi_mac(0, 7, 1)), "02:1d:a3:00:07:01");
  EXPECT_TRUE(is_gaudi_mac(gaudi_mac(3, 4, 5)));
  EXPECT_FALSE(is_gaudi_mac(third_party_mac(0)));
  EXPECT_EQ(ip_text(third_party_ip(0)), "172.16.0.1");
}

TEST(TopologyPlan, PairUsesEveryPortAndNeedsTwoCards) {
  TopologyPlan plan = plan_topology(kind("pair"), TopologyShape{2, 1, 10});
  ASSERT_EQ(plan.cables.size(), 10u);
  for (unsigned p = 0; p < 10; ++p) {
    EXPECT_EQ(plan.cables[p].a.text(), "card0.port" + std::to_string(p));
    EXPECT_EQ(plan.cables[p].b.text(), "card1.port" + std::to_string(p));
  }
  EXPECT_THROW(plan_topology(kind("pair"), TopologyShape{1, 3, 10}), ConfigError);
  EXPECT_THROW(plan_topology(kind("box"), TopologyShape{1, 9, 10}), ConfigError);
  EXPECT_TRUE(plan_topology(kind("none"), TopologyShape{1, 8, 10}).cables.empty());
}

TEST(TopologyPlan, BoxesOfTwoFormALeafSpineWithRoutesFromEveryGaudiToEveryOther) {
  const TopologyShape shape{2, 8, 10};
  TopologyPlan plan = plan_topology(kind("boxes"), shape);
  // 2 x 28 in-box cables, 48 external ports to 3 leaves (one per rail), 16 spines.
  unsigned leaves = 0, spines = 0;
  for (const SwitchSpec& s : plan.switches) (s.name.rfind("leaf", 0) == 0 ? leaves : spines)++;
  EXPECT_EQ(leaves, 3u);
  EXPECT_EQ(spines, 16u);
  EXPECT_EQ(plan.cables.size(), 56u + 48u + 3u * 16u);
  auto ip_of = [&](const PortRef& e) {
    return e.kind == NodeKind::card ? gaudi_ip(e.index / 8, e.index % 8, e.port) : 0u;
  };
  std::vector<RouteTable> routes = compute_routes(plan, ip_of);
  // Where each port is cabled.
  std::map<std::tuple<int, unsigned, unsigned>, PortRef> peer;
  for (const Cable& c : plan.cables) {
    peer[{int(c.a.kind), c.a.index, c.a.port}] = c.b;
    peer[{int(c.b.kind), c.b.index, c.b.port}] = c.a;
  }
  std::vector<PortRef> ext;
  for (unsigned c = 0; c < 16; ++c)
    for (unsigned p : kBoxExternalPorts) ext.push_back(PortRef{NodeKind::card, c, p});
  for (const PortRef& src : ext) {
    const PortRef first = peer.at({int(src.kind), src.index, src.port});
    ASSERT_EQ(first.kind, NodeKind::switch_node);
    EXPECT_EQ(first.index, src.port == 1 ? 0u : src.port == 8 ? 1u : 2u);  // rails
    for (const PortRef& dst : ext) {
      if (dst == src) continue;
      const uint32_t ip = ip_of(dst);
      // Follow every ECMP choice: each must reach dst, within leaf-spine-leaf.
      std::vector<std::pair<unsigned, unsigned>> frontier{{first.index, 1}};
      while (!frontier.empty()) {
        auto [sw, hops] = frontier.back();
        frontier.pop_back();
        ASSERT_LE(hops, 3u);
        auto r = routes[sw].find(ip);
        ASSERT_NE(r, routes[sw].end()) << "no route at " << plan.switches[sw].name << " to " << dst.text();
        for (unsigned port : r->second) {
          PortRef next = peer.at({int(NodeKind::switch_node), sw, port});
          if (next.kind == NodeKind::switch_node)
            frontier.push_back({next.index, hops + 1});
          else
            ASSERT_EQ(next, dst);
        }
      }
    }
  }
  // From leaf 0 to a port on leaf 1, all 16 spines are equal-cost next hops.
  EXPECT_EQ(routes[0].at(gaudi_ip(1, 3, 8)).size(), 16u);
  EXPECT_EQ(routes[0].at(gaudi_ip(1, 3, 1)).size(), 1u);  // same leaf: straight down
}

// The fabric takes its routes from visit_routes: the same entries as the tables, and the
// ports toward endpoints behind one switch are one shared list, not a copy per endpoint.
TEST(TopologyPlan, VisitedRoutesAreTheTablesWithPortsSharedPerDestinationSwitch) {
  TopologyPlan plan = plan_topology(kind("boxes"), TopologyShape{4, 8, 10});
  auto ip_of = [](const PortRef& e) { return e.kind == NodeKind::card ? gaudi_ip(e.index / 8, e.index % 8, e.port) : 0u; };
  const std::vector<RouteTable> tables = compute_routes(plan, ip_of);
  std::vector<RouteTable> visited(plan.switches.size());
  std::map<std::pair<unsigned, unsigned>, std::set<const std::vector<unsigned>*>> lists;  // (switch, dst switch)
  std::map<uint32_t, unsigned> switch_of;  // an address's own switch
  for (const Cable& c : plan.cables)
    if (c.a.kind == NodeKind::card && c.b.kind == NodeKind::switch_node) switch_of[ip_of(c.a)] = c.b.index;
  size_t visits = 0;
  visit_routes(plan, ip_of, [&](unsigned s, uint32_t ip, const std::vector<unsigned>& ports) {
    ++visits;
    visited[s][ip] = ports;
    if (switch_of.at(ip) != s) lists[{s, switch_of.at(ip)}].insert(&ports);
  });
  EXPECT_EQ(visited, tables);
  ASSERT_FALSE(lists.empty());
  for (const auto& [at, shared] : lists) EXPECT_EQ(shared.size(), 1u) << at.first << " " << at.second;
  size_t entries = 0;
  for (const RouteTable& t : tables) entries += t.size();
  EXPECT_EQ(visits, entries);
}

TEST(TopologyPlan, BoxOnOneHostHasNoScaleOutUnlessAsked) {
  EXPECT_TRUE(plan_topology(kind("box"), TopologyShape{1, 8, 10}).switches.empty());
  FabricParams fp = kind("box");
  fp.leaf_switches = 1;
  fp.third_party_nics = 1;
  TopologyPlan plan = plan_topology(fp, TopologyShape{1, 8, 10});
  ASSERT_EQ(plan.switches.size(), 1u);  // one leaf, no spines needed
  EXPECT_EQ(plan.switches[0].ports, 25u);
  EXPECT_EQ(plan.third_party, 1u);
  EXPECT_EQ(plan.cables.size(), 28u + 25u);
}

TEST(TopologyPlan, CustomFileParses) {
  test::TempDir dir;
  std::string f = dir.write("links.txt",
                            "# two cards and a switch\n"
                            "card0.port1 card1.port1\n"
                            "\n"
                            "card0.port8   switch0.port0   # to the switch\n"
                            "card1.port8 switch0.port3\n"
                            "thirdparty0 switch0.port1\n");
  FabricParams fp = kind("custom");
  fp.links_file = f;
  TopologyPlan plan = plan_topology(fp, TopologyShape{1, 2, 10});
  ASSERT_EQ(plan.cables.size(), 4u);
  ASSERT_EQ(plan.switches.size(), 1u);
  EXPECT_EQ(plan.switches[0].ports, 4u);
  EXPECT_EQ(plan.third_party, 1u);
  EXPECT_EQ(plan.cables[1].b.text(), "switch0.port0");
}

TEST(TopologyPlan, CustomFileErrorsNameTheFileAndLine) {
  test::TempDir dir;
  const TopologyShape shape{1, 2, 10};
  auto error_of = [&](const std::string& text) {
    FabricParams fp = kind("custom");
    fp.links_file = dir.write("bad.txt", text);
    try {
      plan_topology(fp, shape);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string e = error_of("card0.port1 card1.port1\ncard0.port2\n");
  EXPECT_THAT(e, HasSubstr("bad.txt' line 2"));
  EXPECT_THAT(e, HasSubstr("expected two ports"));
  EXPECT_THAT(error_of("# c\ncard0.port1 cord1.port1\n"), HasSubstr("line 2: 'cord1.port1' is not a port"));
  EXPECT_THAT(error_of("card0.port1 card5.port1\n"), HasSubstr("line 1: card 5 does not exist"));
  EXPECT_THAT(error_of("card0.port10 card1.port1\n"), HasSubstr("card 0 has no port 10"));
  EXPECT_THAT(error_of("card0.port1 card1.port1\n\ncard1.port1 switch0.port0\n"),
              HasSubstr("line 3: card1.port1 is already cabled (line 1)"));
  EXPECT_THAT(error_of("card0.port1 card1.port1 card1.port2\n"), HasSubstr("line 1"));
  FabricParams fp = kind("custom");
  EXPECT_THROW(plan_topology(fp, shape), ConfigError);  // no file given
  fp.links_file = dir.file("missing.txt");
  try {
    plan_topology(fp, shape);
    FAIL();
  } catch (const ConfigError& err) {
    EXPECT_THAT(err.what(), HasSubstr("missing.txt"));
  }
}

}  // namespace
}  // namespace gs
