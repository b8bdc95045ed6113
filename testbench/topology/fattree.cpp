#include "testbench/topology/fattree.hpp"

#include "testbench/config/config_error.hpp"

namespace gs {

namespace {

PortRef sw_port(unsigned sw, unsigned port) { return PortRef{NodeKind::switch_node, sw, port}; }

}  // namespace

std::vector<PortRef> fattree_port_endpoints(const TopologyShape& s) {
  std::vector<PortRef> out;
  out.reserve(size_t(s.cards()) * s.ports_per_card);
  for (unsigned c = 0; c < s.cards(); ++c)
    for (unsigned p = 0; p < s.ports_per_card; ++p) out.push_back(PortRef{NodeKind::card, c, p});
  return out;
}

void add_fattree(TopologyPlan& plan, const FatTreeParams& ft, double link_gbps, const std::vector<PortRef>& endpoints) {
  if (ft.k % 2)
    throw ConfigError("config: fabric.fattree_k = " + std::to_string(ft.k) + ": a fat tree needs an even k");
  if (!plan.switches.empty())
    throw ConfigError("config: topology.kind = fattree cannot share the plan with other switches");
  const FatTreeShape t{ft.k, ft.oversub};
  if (endpoints.size() > t.host_ports())
    throw ConfigError("config: topology.kind = fattree with fabric.fattree_k = " + std::to_string(ft.k) +
                      " and fabric.fattree_oversub = " + std::to_string(ft.oversub) + " has " +
                      std::to_string(t.host_ports()) + " host ports, but the cards bring " +
                      std::to_string(endpoints.size()) +
                      " (topology.hosts x topology.cards x nic.ports, or 3 per card with fabric.fattree_hosts = box)");
  const unsigned h = t.half(), H = t.hosts_per_edge();
  const double ea = ft.edge_agg_gbps > 0 ? ft.edge_agg_gbps : link_gbps;
  const double ac = ft.agg_core_gbps > 0 ? ft.agg_core_gbps : link_gbps;
  for (unsigned p = 0; p < ft.k; ++p)
    for (unsigned e = 0; e < h; ++e)
      plan.switches.push_back(SwitchSpec{"edge" + std::to_string(p) + "_" + std::to_string(e), H + h});
  for (unsigned p = 0; p < ft.k; ++p)
    for (unsigned a = 0; a < h; ++a)
      plan.switches.push_back(SwitchSpec{"agg" + std::to_string(p) + "_" + std::to_string(a), 2 * h});
  for (unsigned c = 0; c < t.cores(); ++c) plan.switches.push_back(SwitchSpec{"core" + std::to_string(c), ft.k});

  for (unsigned s = 0; s < endpoints.size(); ++s) plan.cables.push_back(Cable{endpoints[s], sw_port(s / H, s % H)});
  for (unsigned p = 0; p < ft.k; ++p)
    for (unsigned e = 0; e < h; ++e)
      for (unsigned a = 0; a < h; ++a)
        plan.cables.push_back(Cable{sw_port(p * h + e, H + a), sw_port(t.first_agg() + p * h + a, e), ea});
  for (unsigned p = 0; p < ft.k; ++p)
    for (unsigned a = 0; a < h; ++a)
      for (unsigned m = 0; m < h; ++m)
        plan.cables.push_back(Cable{sw_port(t.first_agg() + p * h + a, h + m), sw_port(t.first_core() + a * h + m, p), ac});
}

std::vector<unsigned> fattree_route(const FatTreeShape& t, unsigned sw, unsigned dst) {
  const unsigned h = t.half(), H = t.hosts_per_edge();
  const unsigned dst_edge = dst / H, dst_pod = dst_edge / h;
  std::vector<unsigned> out;
  if (sw < t.first_agg()) {  // edge
    if (sw == dst_edge) return {dst % H};
    for (unsigned a = 0; a < h; ++a) out.push_back(H + a);
  } else if (sw < t.first_core()) {  // aggregation
    const unsigned pod = (sw - t.first_agg()) / h;
    if (pod == dst_pod) return {dst_edge % h};
    for (unsigned m = 0; m < h; ++m) out.push_back(h + m);
  } else {  // core
    return {dst_pod};
  }
  return out;
}

}  // namespace gs
