// topology.kind = fattree: switch and cable counts, ports, per-tier rates, oversubscription,
// routes in closed form equal to the breadth-first tables, and the errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "testbench/config/config_error.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/topology/fattree.hpp"
#include "testbench/topology/routing.hpp"

namespace gs {
namespace {

using ::testing::HasSubstr;

FabricParams fattree(unsigned k, unsigned oversub = 1, const std::string& hosts = "port") {
  FabricParams fp;
  fp.kind = "fattree";
  fp.fattree.k = k;
  fp.fattree.oversub = oversub;
  fp.fattree.hosts = hosts;
  return fp;
}

TEST(FatTree, CountsOfSwitchesCablesAndPorts) {
  // k = 8: 32 edge, 32 aggregation, 16 core switches; 128 host ports (16 cards x 8 ports).
  TopologyPlan plan = plan_topology(fattree(8), TopologyShape{1, 16, 8});
  ASSERT_EQ(plan.switches.size(), 80u);
  EXPECT_EQ(plan.cables.size(), 128u + 128u + 128u);  // hosts, edge-agg, agg-core
  EXPECT_EQ(plan.switches[0].name, "edge0_0");
  EXPECT_EQ(plan.switches[32].name, "agg0_0");
  EXPECT_EQ(plan.switches[79].name, "core15");
  for (unsigned s = 0; s < 80; ++s) EXPECT_EQ(plan.switches[s].ports, 8u) << s;
  std::map<std::pair<unsigned, unsigned>, int> used;  // every switch port cabled once
  for (const Cable& c : plan.cables)
    for (const PortRef& e : {c.a, c.b})
      if (e.kind == NodeKind::switch_node) ++used[{e.index, e.port}];
  EXPECT_EQ(used.size(), 80u * 8u);
  for (auto& [port, n] : used) EXPECT_EQ(n, 1);
  EXPECT_EQ(plan.cables[0].a.text(), "card0.port0");
  EXPECT_EQ(plan.cables[0].b.text(), "switch0.port0");
  EXPECT_EQ(plan.cables[5].b.text(), "switch1.port1");  // 4 hosts per edge switch
}

TEST(FatTree, OversubscriptionAndTierRates) {
  FabricParams fp = fattree(4, 3);
  fp.fattree.edge_agg_gbps = 400;
  fp.fattree.agg_core_gbps = 200;
  TopologyPlan plan = plan_topology(fp, TopologyShape{1, 6, 8});
  FatTreeShape t{4, 3};
  EXPECT_EQ(t.host_ports(), 48u);
  EXPECT_EQ(plan.switches[0].ports, 6u + 2u);  // 6 hosts over 2 uplinks
  unsigned ea = 0, ac = 0, hosts = 0;
  for (const Cable& c : plan.cables) {
    if (c.a.kind == NodeKind::card) {
      ++hosts;
      EXPECT_EQ(c.gbps, 0);  // follows the NIC
    } else if (c.a.index < t.first_agg()) {
      ++ea;
      EXPECT_EQ(c.gbps, 400);
    } else {
      ++ac;
      EXPECT_EQ(c.gbps, 200);
    }
  }
  EXPECT_EQ(hosts, 48u);
  EXPECT_EQ(ea, 16u);
  EXPECT_EQ(ac, 16u);
}

TEST(FatTree, BoxesAsLeavesPutPorts189OnTheTreeAndKeepTheBoxCables) {
  TopologyPlan plan = plan_topology(fattree(6, 1, "box"), TopologyShape{2, 8, 10});
  unsigned box = 0, host = 0;
  for (const Cable& c : plan.cables) {
    if (c.a.kind == NodeKind::card && c.b.kind == NodeKind::card) ++box;
    if (c.a.kind == NodeKind::card && c.b.kind == NodeKind::switch_node) {
      ++host;
      EXPECT_TRUE(c.a.port == 1 || c.a.port == 8 || c.a.port == 9) << c.a.text();
    }
  }
  EXPECT_EQ(box, 2u * 28u);
  EXPECT_EQ(host, 16u * 3u);
}

TEST(FatTree, ClosedFormRoutesEqualTheBreadthFirstTables) {
  for (unsigned oversub : {1u, 2u}) {
    const TopologyShape shape{1, 2 * oversub, 8};  // every host port used
    TopologyPlan plan = plan_topology(fattree(4, oversub), shape);
    auto ip = [](const PortRef& e) { return e.kind == NodeKind::card ? gaudi_ip(0, e.index, e.port) : 0u; };
    std::vector<RouteTable> tables = compute_routes(plan, ip);
    const FatTreeShape t{4, oversub};
    for (unsigned s = 0; s < plan.switches.size(); ++s)
      for (unsigned dst = 0; dst < t.host_ports(); ++dst) {
        const uint32_t a = gaudi_ip(0, dst / 8, dst % 8);
        ASSERT_TRUE(tables[s].count(a)) << s << " " << dst;
        EXPECT_EQ(fattree_route(t, s, dst), tables[s].at(a)) << "switch " << plan.switches[s].name << " dst " << dst;
      }
  }
}

TEST(FatTree, MistakesAreConfigErrorsNamingTheKeys) {
  auto error = [](const FabricParams& fp, TopologyShape s) -> std::string {
    try {
      plan_topology(fp, s);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_THAT(error(fattree(5), TopologyShape{1, 1, 8}), HasSubstr("fabric.fattree_k = 5"));
  const std::string full = error(fattree(4), TopologyShape{1, 3, 8});  // 24 ports, 16 host ports
  EXPECT_THAT(full, HasSubstr("16 host ports"));
  EXPECT_THAT(full, HasSubstr("the cards bring 24"));
  FabricParams tp = fattree(4);
  tp.third_party_nics = 1;
  EXPECT_THAT(error(tp, TopologyShape{1, 2, 8}), HasSubstr("fabric.third_party_nics"));
}

}  // namespace
}  // namespace gs
