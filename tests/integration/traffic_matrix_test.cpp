// Traffic matrices (plain data): the connection-matrix format, its errors (each names the
// file and line), the permutation and all-to-all generators, and the traffic setup both
// fabric models share (nodes, connection ids, queues).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "testbench/config/config_error.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/workloads/traffic_matrix.hpp"
#include "testbench/workloads/traffic_plan.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& text) {
  try {
    parse_traffic_matrix(text, "m.txt");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TrafficMatrix, ParsesHeaderFlowsCommentsAndFieldsInAnyOrder) {
  TrafficMatrix m = parse_traffic_matrix(
      "# a comment\n\nNodes 4\nConnections 3\n0->1 id 7 start 0 size 100\n"
      "3->2 size 2097152 id 8 start 12.5   # trailing comment\n1->0 id 9 size 8\n",
      "m.txt");
  EXPECT_EQ(m.nodes, 4u);
  ASSERT_EQ(m.flows.size(), 3u);
  EXPECT_EQ(m.flows[0].src, 0u);
  EXPECT_EQ(m.flows[0].dst, 1u);
  EXPECT_EQ(m.flows[0].id, 7u);
  EXPECT_EQ(m.flows[0].bytes, 100u);
  EXPECT_EQ(m.flows[1].src, 3u);
  EXPECT_EQ(m.flows[1].bytes, 2097152u);
  EXPECT_DOUBLE_EQ(m.flows[1].start_us, 12.5);
  EXPECT_DOUBLE_EQ(m.flows[2].start_us, 0);  // start defaults to 0
}

TEST(TrafficMatrix, EveryMistakeNamesTheFileAndTheLine) {
  const std::string head = "Nodes 4\nConnections 1\n";
  struct Case {
    std::string text, line, what;
  };
  const std::vector<Case> cases = {
      {"Connections 1\n", "line 1", "expected 'Nodes <count>'"},
      {"Nodes x\n", "line 1", "node count 'x'"},
      {"Nodes 4 5\n", "line 1", "unexpected '5'"},
      {"Nodes 1\nConnections 0\n", "line 1", "out of range 2.."},
      {"Nodes 4\n0->1 id 1 size 8\n", "line 2", "expected 'Connections <count>'"},
      {head + "0-1 id 1 size 8\n", "line 3", "expected 'src->dst"},
      {head + "0->4 id 1 size 8\n", "line 3", "node 4 out of range 0..3"},
      {head + "2->2 id 1 size 8\n", "line 3", "to itself"},
      {head + "0->1 size 8\n", "line 3", "without 'id'"},
      {head + "0->1 id 1\n", "line 3", "without 'size'"},
      {head + "0->1 id 1 size 0\n", "line 3", "size 0 out of range"},
      {head + "0->1 id 1 size 8589934592\n", "line 3", "out of range"},
      {head + "0->1 id 1 size 8 start -3\n", "line 3", "start '-3'"},
      {head + "0->1 id 1 size 8 prio 3\n", "line 3", "unknown field 'prio'"},
      {head + "0->1 id 1 size 8 id 2\n", "line 3", "'id' given twice"},
      {head + "0->1 id 1 size\n", "line 3", "'size' without a value"},
      {"Nodes 4\nConnections 2\n0->1 id 1 size 8\n1->0 id 1 size 8\n", "line 4", "flow id 1 used twice"},
      {head + "0->1 id 1 size 8\n1->0 id 2 size 8\n", "line 4", "more flows than"},
      {"Nodes 4\nConnections 2\n0->1 id 1 size 8\n", "line 4", "'Connections 2' but 1 flows"},
      {"", "line 1", "no 'Nodes"},
      {"Nodes 4\n", "line 2", "no 'Connections"},
  };
  for (const Case& c : cases) {
    const std::string e = error_of(c.text);
    EXPECT_THAT(e, HasSubstr("traffic file 'm.txt' " + c.line + ":")) << c.text;
    EXPECT_THAT(e, HasSubstr(c.what)) << c.text;
  }
}

TEST(TrafficMatrix, PermutationIsOneCycleAndSeeded) {
  TrafficMatrix a = permutation_matrix(1000, 4096, 42), b = permutation_matrix(1000, 4096, 42);
  TrafficMatrix c = permutation_matrix(1000, 4096, 43);
  ASSERT_EQ(a.flows.size(), 1000u);
  std::set<unsigned> dsts;
  bool same = true, differs = false;
  for (size_t i = 0; i < a.flows.size(); ++i) {
    EXPECT_EQ(a.flows[i].src, i);
    EXPECT_NE(a.flows[i].src, a.flows[i].dst);
    EXPECT_EQ(a.flows[i].bytes, 4096u);
    dsts.insert(a.flows[i].dst);
    same = same && a.flows[i].dst == b.flows[i].dst;
    differs = differs || a.flows[i].dst != c.flows[i].dst;
  }
  EXPECT_EQ(dsts.size(), 1000u);  // every node receives exactly once
  EXPECT_TRUE(same);
  EXPECT_TRUE(differs);
  unsigned n = 0, len = 0;  // Sattolo: a single cycle through all nodes
  do n = a.flows[n].dst, ++len; while (n != 0);
  EXPECT_EQ(len, 1000u);
}

TEST(TrafficMatrix, AllToAllAndTheFileFormatRoundTrip) {
  TrafficMatrix m = all_to_all_matrix(5, 64, 3.25);
  EXPECT_EQ(m.flows.size(), 20u);
  TrafficMatrix back = parse_traffic_matrix(format_traffic_matrix(m), "x");
  ASSERT_EQ(back.flows.size(), m.flows.size());
  for (size_t i = 0; i < m.flows.size(); ++i) {
    EXPECT_EQ(back.flows[i].src, m.flows[i].src);
    EXPECT_EQ(back.flows[i].dst, m.flows[i].dst);
    EXPECT_EQ(back.flows[i].id, m.flows[i].id);
    EXPECT_DOUBLE_EQ(back.flows[i].start_us, 3.25);
  }
}

TEST(TrafficSetup, ConnectionIdsPerPortFollowPairOrderAndQueuesRotate) {
  SimParams p;
  p.fabric.kind = "fattree";
  p.fabric.fattree.k = 4;
  p.topology.cards = 2;
  p.card.nic_ports = 8;
  p.traffic.pattern = "all-to-all";
  p.traffic.endpoints = 4;
  TrafficSetup t = make_traffic_setup(p, plan_topology(p.fabric, TopologyShape{1, 2, 8}));
  ASSERT_EQ(t.nodes.size(), 4u);
  EXPECT_EQ(t.nodes[3].text(), "card0.port3");
  ASSERT_EQ(t.pairs.size(), 6u);  // one connection per pair of nodes, both directions
  // Node 0 meets 1, 2, 3 in pair order: its ids are 1, 2, 3; node 3 is last for everyone.
  EXPECT_EQ(t.pairs[0].conn_lo, 1u);
  EXPECT_EQ(t.pairs[2].conn_lo, 3u);
  EXPECT_EQ(t.pairs[2].conn_hi, 1u);  // (0,3): node 3's first pair
  EXPECT_EQ(t.pairs[5].conn_hi, 3u);  // (2,3)
  // Node 0 sends three flows: queues 0, 1, 2.
  std::vector<unsigned> lanes;
  for (size_t i = 0; i < t.matrix.flows.size(); ++i)
    if (t.matrix.flows[i].src == 0) lanes.push_back(t.flow_lane[i]);
  EXPECT_EQ(lanes, (std::vector<unsigned>{0, 1, 2}));
}

TEST(TrafficSetup, MoreNodesThanTheTopologyHasIsAConfigError) {
  SimParams p;
  p.fabric.kind = "fattree";
  p.topology.cards = 2;
  p.card.nic_ports = 8;
  p.traffic.endpoints = 17;
  try {
    make_traffic_setup(p, plan_topology(p.fabric, TopologyShape{1, 2, 8}));
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("traffic.endpoints"));
    EXPECT_THAT(e.what(), HasSubstr("16 card ports"));
  }
}

}  // namespace
}  // namespace gs
