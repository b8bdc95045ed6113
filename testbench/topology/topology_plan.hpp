// What is cabled to what, before anything is built: the topology builders (pair, box,
// boxes, custom file) produce a TopologyPlan; Fabric turns it into switches and links and
// routing fills the switches' tables from it. Plain data: testable without SystemC.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "testbench/topology/fabric_params.hpp"

namespace gs {

enum class NodeKind : uint8_t { card, switch_node, third_party };

// One port of one node: card `index` (global) port `port`, switch `index` port `port`, or
// third-party NIC `index` (port 0).
struct PortRef {
  NodeKind kind = NodeKind::card;
  unsigned index = 0, port = 0;
  bool operator==(const PortRef& o) const { return kind == o.kind && index == o.index && port == o.port; }
  bool operator!=(const PortRef& o) const { return !(*this == o); }
  std::string text() const;  // "card3.port1", "switch0.port5", "thirdparty0"
};

struct Cable {
  PortRef a, b;
  double gbps = 0;  // line rate of a switch-to-switch cable; 0 = fabric.link_gbps
};

struct SwitchSpec {
  std::string name;
  unsigned ports = 0;
};

struct TopologyShape {
  unsigned hosts = 1, cards_per_host = 8, ports_per_card = 10;
  unsigned cards() const { return hosts * cards_per_host; }
};

struct TopologyPlan {
  std::vector<SwitchSpec> switches;
  unsigned third_party = 0;
  std::vector<Cable> cables;
  unsigned skipped_cables = 0;  // built-in cables to ports the cards do not have (nic.ports < 10)
};

// HLS-1 port roles (gaudi-facts.md, Systems): 7 internal ports, one per peer in the box, and
// 3 external ports (driver mask 0x302) for scale-out.
constexpr unsigned kBoxInternalPorts[7] = {0, 2, 3, 4, 5, 6, 7};
constexpr unsigned kBoxExternalPorts[3] = {1, 8, 9};
constexpr unsigned kBoxCards = 8;
constexpr unsigned kLeafDownPorts = 32;  // automatic leaf count: at most this many endpoints per leaf

// The port card `i` of a box uses for its cable to card `j` (i != j, both < 8).
inline unsigned box_port(unsigned i, unsigned j) { return kBoxInternalPorts[j < i ? j : j - 1]; }

// Keys of the fabric that must agree with each other (PFC thresholds, hosts the addresses
// can number); throws ConfigError naming them.
void check_fabric_params(const FabricParams& fp, const TopologyShape& shape);
// Builds the plan for fp.kind; bad combinations throw ConfigError naming the keys.
TopologyPlan plan_topology(const FabricParams& fp, const TopologyShape& shape);
// topology.kind = custom: parses the links file (errors name the file and line).
TopologyPlan parse_links_file(const std::string& path, const TopologyShape& shape, unsigned third_party_nics);
// Leaf/spine network for `endpoints` (spread over the leaves in order); appended to plan.
void add_leaf_spine(TopologyPlan& plan, const std::vector<PortRef>& endpoints, unsigned leaves, unsigned spines);

}  // namespace gs
