#include <deque>
#include <vector>

#include "testbench/checks/config_checks.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/faults/fault_script.hpp"

namespace gs {

TopologyShape shape_of(const SimParams& p) { return TopologyShape{p.topology.hosts, p.topology.cards, p.card.nic_ports}; }

TopologyPlan plan_of(const SimParams& p) { return plan_topology(p.fabric, shape_of(p)); }

bool cards_connected(const TopologyPlan& plan, unsigned a, unsigned b) {
  // Breadth-first over switches; a card is a dead end (it never forwards).
  auto is_card = [](const PortRef& e, unsigned c) { return e.kind == NodeKind::card && e.index == c; };
  std::vector<bool> seen(plan.switches.size(), false);
  std::deque<unsigned> todo;
  for (const Cable& c : plan.cables)
    for (int side = 0; side < 2; ++side) {
      const PortRef& me = side ? c.b : c.a;
      const PortRef& other = side ? c.a : c.b;
      if (!is_card(me, a)) continue;
      if (is_card(other, b)) return true;
      if (other.kind == NodeKind::switch_node && !seen[other.index]) seen[other.index] = true, todo.push_back(other.index);
    }
  while (!todo.empty()) {
    unsigned s = todo.front();
    todo.pop_front();
    for (const Cable& c : plan.cables)
      for (int side = 0; side < 2; ++side) {
        const PortRef& me = side ? c.b : c.a;
        const PortRef& other = side ? c.a : c.b;
        if (me.kind != NodeKind::switch_node || me.index != s) continue;
        if (is_card(other, b)) return true;
        if (other.kind == NodeKind::switch_node && !seen[other.index]) seen[other.index] = true, todo.push_back(other.index);
      }
  }
  return false;
}

void check_topology(const SimParams& p) {
  const FabricParams& fp = p.fabric;
  if (!fp.links_file.empty() && fp.kind != "custom")
    throw ConfigError("config: topology.links_file = '" + fp.links_file + "' is only read with topology.kind = custom (topology.kind = " +
                      fp.kind + "); set topology.kind = custom or remove topology.links_file");
  check_fabric_params(fp, shape_of(p));
}

void check_config(const SimParams& p) {
  check_topology(p);
  const TopologyPlan plan = plan_of(p);  // parses the links file: its errors name file and line
  check_workload(p, plan);
  check_fault_targets(p, plan, load_fault_actions(p));
  check_host_memory(p);
}

}  // namespace gs
