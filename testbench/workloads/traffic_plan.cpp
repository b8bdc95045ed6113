#include "testbench/workloads/traffic_plan.hpp"

#include <algorithm>
#include <map>

#include "testbench/config/config_error.hpp"
#include "testbench/sim_params.hpp"

namespace gs {

std::vector<PortRef> switch_endpoints(const TopologyPlan& plan) {
  std::vector<PortRef> out;
  for (const Cable& c : plan.cables) {
    if (c.a.kind == NodeKind::card && c.b.kind == NodeKind::switch_node) out.push_back(c.a);
    if (c.b.kind == NodeKind::card && c.a.kind == NodeKind::switch_node) out.push_back(c.b);
  }
  std::sort(out.begin(), out.end(), [](const PortRef& x, const PortRef& y) {
    return x.index != y.index ? x.index < y.index : x.port < y.port;
  });
  return out;
}

TrafficSetup make_traffic_setup(const SimParams& p, const TopologyPlan& plan) {
  const TrafficParams& tp = p.traffic;
  TrafficSetup t;
  t.nodes = switch_endpoints(plan);
  const unsigned have = unsigned(t.nodes.size());
  if (tp.pattern == "file") {
    if (tp.file.empty()) throw ConfigError("config: traffic.pattern = file needs traffic.file");
    t.matrix = load_traffic_matrix(tp.file);
  } else {
    const unsigned n = tp.endpoints ? tp.endpoints : have;
    if (n < 2)
      throw ConfigError("config: workload.name = traffic needs at least 2 card ports on switches (topology.kind = " +
                        p.fabric.kind + " has " + std::to_string(have) + ")");
    t.matrix = tp.pattern == "permutation" ? permutation_matrix(n, tp.bytes, p.sim.seed, tp.start_us)
                                           : all_to_all_matrix(n, tp.bytes, tp.start_us);
  }
  if (t.matrix.nodes > have)
    throw ConfigError("config: the traffic matrix has " + std::to_string(t.matrix.nodes) + " nodes (" +
                      (tp.pattern == "file" ? "Nodes in " + tp.file : std::string("traffic.endpoints")) +
                      ") but topology.kind = " + p.fabric.kind + " puts only " + std::to_string(have) +
                      " card ports on switches");
  t.nodes.resize(t.matrix.nodes);

  // One connection per pair of nodes, in pair order: connection ids are handed out per port
  // from 1 upwards in that order (the driver gives the lowest free id).
  std::map<std::pair<unsigned, unsigned>, unsigned> pair_of;
  for (const FlowSpec& f : t.matrix.flows) pair_of.emplace(std::minmax(f.src, f.dst), 0);
  std::vector<uint32_t> next_conn(t.matrix.nodes, 1);
  for (auto& [key, idx] : pair_of) {
    idx = unsigned(t.pairs.size());
    TrafficPair pr{key.first, key.second, next_conn[key.first]++, next_conn[key.second]++};
    for (unsigned n : {pr.lo, pr.hi})
      if (p.fabric.flow.model == "packet" && next_conn[n] - 1 > kMaxConnsPerPort)
        throw ConfigError("config: traffic: node " + std::to_string(n) + " (" + t.nodes[n].text() +
                          ") exchanges flows with more than " + std::to_string(kMaxConnsPerPort) +
                          " peers, the connections of one NIC port; use fabric.model = flow or fewer peers");
    t.pairs.push_back(pr);
  }
  const size_t nf = t.matrix.flows.size();
  t.flow_pair.resize(nf);
  for (size_t i = 0; i < nf; ++i)
    t.flow_pair[i] = pair_of.at(std::minmax(t.matrix.flows[i].src, t.matrix.flows[i].dst));
  t.order.resize(nf);
  for (size_t i = 0; i < nf; ++i) t.order[i] = unsigned(i);
  std::stable_sort(t.order.begin(), t.order.end(), [&](unsigned a, unsigned b) {
    return t.matrix.flows[a].start_us < t.matrix.flows[b].start_us;
  });
  t.flow_lane.resize(nf);
  std::vector<unsigned> posted(t.matrix.nodes, 0);
  for (unsigned i : t.order) t.flow_lane[i] = posted[t.matrix.flows[i].src]++ % kTrafficLanes;
  return t;
}

}  // namespace gs
