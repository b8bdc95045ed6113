#include "testbench/topology/topology_plan.hpp"

#include <algorithm>

#include "testbench/config/config_error.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/topology/fattree.hpp"

namespace gs {

std::string PortRef::text() const {
  switch (kind) {
    case NodeKind::card: return "card" + std::to_string(index) + ".port" + std::to_string(port);
    case NodeKind::switch_node: return "switch" + std::to_string(index) + ".port" + std::to_string(port);
    case NodeKind::third_party: return "thirdparty" + std::to_string(index);
  }
  return "?";
}

namespace {

PortRef card_port(unsigned card, unsigned port) { return PortRef{NodeKind::card, card, port}; }

void add_card_cable(TopologyPlan& plan, const TopologyShape& s, PortRef a, PortRef b) {
  if (a.port >= s.ports_per_card || b.port >= s.ports_per_card) {
    ++plan.skipped_cables;
    return;
  }
  plan.cables.push_back(Cable{a, b});
}

void plan_pair(TopologyPlan& plan, const TopologyShape& s) {
  if (s.cards() != 2)
    throw ConfigError("config: topology.kind = pair needs exactly 2 cards (topology.hosts x topology.cards = " +
                      std::to_string(s.cards()) + ")");
  for (unsigned p = 0; p < s.ports_per_card; ++p) plan.cables.push_back(Cable{card_port(0, p), card_port(1, p)});
}

void plan_boxes(TopologyPlan& plan, const TopologyShape& s) {
  if (s.cards_per_host > kBoxCards)
    throw ConfigError("config: topology.kind = box/boxes wires at most 8 cards per host all-to-all (topology.cards = " +
                      std::to_string(s.cards_per_host) + "); use topology.kind = custom or none");
  for (unsigned h = 0; h < s.hosts; ++h) {
    const unsigned base = h * s.cards_per_host;
    for (unsigned i = 0; i < s.cards_per_host; ++i)
      for (unsigned j = i + 1; j < s.cards_per_host; ++j)
        add_card_cable(plan, s, card_port(base + i, box_port(i, j)), card_port(base + j, box_port(j, i)));
  }
}

}  // namespace

void add_leaf_spine(TopologyPlan& plan, const std::vector<PortRef>& endpoints, unsigned leaves, unsigned spines) {
  const unsigned first = unsigned(plan.switches.size());
  const unsigned n = unsigned(endpoints.size());
  if (leaves == 0) leaves = std::max(1u, (n + kLeafDownPorts - 1) / kLeafDownPorts);
  // Endpoint slot k goes to leaf k % leaves: with 3 leaves, port 1 of every card shares a
  // leaf, port 8 the next, port 9 the third (one leaf per rail).
  std::vector<unsigned> down(leaves, 0);
  std::vector<PortRef> at(n);
  for (unsigned k = 0; k < n; ++k) {
    unsigned leaf = k % leaves;
    at[k] = PortRef{NodeKind::switch_node, first + leaf, down[leaf]++};
  }
  const unsigned max_down = *std::max_element(down.begin(), down.end());
  if (spines == 0) spines = leaves > 1 ? std::max(1u, max_down) : 0;
  for (unsigned l = 0; l < leaves; ++l) plan.switches.push_back(SwitchSpec{"leaf" + std::to_string(l), down[l] + spines});
  for (unsigned sp = 0; sp < spines; ++sp) plan.switches.push_back(SwitchSpec{"spine" + std::to_string(sp), leaves});
  for (unsigned k = 0; k < n; ++k) plan.cables.push_back(Cable{endpoints[k], at[k]});
  for (unsigned l = 0; l < leaves; ++l)
    for (unsigned sp = 0; sp < spines; ++sp)
      plan.cables.push_back(Cable{PortRef{NodeKind::switch_node, first + l, down[l] + sp},
                                  PortRef{NodeKind::switch_node, first + leaves + sp, l}});
}

void check_fabric_params(const FabricParams& fp, const TopologyShape& shape) {
  if (fp.sw.pfc_xon_bytes >= fp.sw.pfc_xoff_bytes)
    throw ConfigError("config: fabric.pfc_xon_bytes (" + std::to_string(fp.sw.pfc_xon_bytes) +
                      ") must be below fabric.pfc_xoff_bytes (" + std::to_string(fp.sw.pfc_xoff_bytes) + ")");
  if (fp.kind != "none" && shape.hosts > kMaxAddressableHosts)
    throw ConfigError("config: topology.hosts = " + std::to_string(shape.hosts) +
                      ": the fabric's addresses (IP 10.<host>.<card>.<port+1>) allow at most " +
                      std::to_string(kMaxAddressableHosts) + " hosts");
}

TopologyPlan plan_topology(const FabricParams& fp, const TopologyShape& s) {
  TopologyPlan plan;
  if (fp.kind == "custom") {
    if (fp.links_file.empty()) throw ConfigError("config: topology.kind = custom needs topology.links_file");
    return parse_links_file(fp.links_file, s, fp.third_party_nics);
  }
  if (fp.kind == "none") {
    if (fp.third_party_nics)
      throw ConfigError("config: fabric.third_party_nics needs a network: topology.kind = none has none");
    return plan;
  }
  if (fp.kind == "pair") {
    if (fp.third_party_nics)
      throw ConfigError("config: fabric.third_party_nics needs a switch: topology.kind = pair uses every port "
                        "card to card; use box, boxes or custom");
    plan_pair(plan, s);
    return plan;
  }
  if (fp.kind == "fattree") {
    if (fp.third_party_nics)
      throw ConfigError("config: fabric.third_party_nics: topology.kind = fattree has host ports for cards only");
    std::vector<PortRef> endpoints;
    if (fp.fattree.hosts == "box") {
      plan_boxes(plan, s);
      for (unsigned c = 0; c < s.cards(); ++c)
        for (unsigned p : kBoxExternalPorts)
          if (p < s.ports_per_card) endpoints.push_back(card_port(c, p));
    } else {
      endpoints = fattree_port_endpoints(s);
    }
    add_fattree(plan, fp.fattree, fp.link_gbps, endpoints);
    return plan;
  }
  plan_boxes(plan, s);  // box and boxes
  const bool scale_out = fp.kind == "boxes" || s.hosts > 1 || fp.leaf_switches > 0 || fp.third_party_nics > 0;
  if (!scale_out) return plan;
  std::vector<PortRef> endpoints;
  for (unsigned c = 0; c < s.cards(); ++c)
    for (unsigned p : kBoxExternalPorts)
      if (p < s.ports_per_card) endpoints.push_back(card_port(c, p));
  for (unsigned k = 0; k < fp.third_party_nics; ++k) endpoints.push_back(PortRef{NodeKind::third_party, k, 0});
  plan.third_party = fp.third_party_nics;
  if (!endpoints.empty()) {
    unsigned leaves = fp.leaf_switches;
    if (leaves == 0) {  // a multiple of the 3 rails, each leaf at most kLeafDownPorts endpoints
      leaves = (unsigned(endpoints.size()) + kLeafDownPorts - 1) / kLeafDownPorts;
      leaves = (leaves + 2) / 3 * 3;
    }
    add_leaf_spine(plan, endpoints, leaves, fp.spine_switches);
  }
  return plan;
}

}  // namespace gs
