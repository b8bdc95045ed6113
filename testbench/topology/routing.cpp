#include "testbench/topology/routing.hpp"

#include <deque>
#include <limits>
#include <memory>

namespace gs {

void visit_routes(const TopologyPlan& plan, const std::function<uint32_t(const PortRef&)>& ip_of,
                  const RouteVisitor& each) {
  const unsigned nsw = unsigned(plan.switches.size());
  // Per switch: (port, peer) for every cable.
  std::vector<std::vector<std::pair<unsigned, PortRef>>> adj(nsw);
  std::vector<std::pair<PortRef, PortRef>> attached;  // (endpoint, switch port) pairs
  for (const Cable& c : plan.cables) {
    if (c.a.kind == NodeKind::switch_node) adj[c.a.index].push_back({c.a.port, c.b});
    if (c.b.kind == NodeKind::switch_node) adj[c.b.index].push_back({c.b.port, c.a});
    if (c.a.kind != NodeKind::switch_node && c.b.kind == NodeKind::switch_node) attached.push_back({c.a, c.b});
    if (c.b.kind != NodeKind::switch_node && c.a.kind == NodeKind::switch_node) attached.push_back({c.b, c.a});
  }
  const unsigned kFar = std::numeric_limits<unsigned>::max();
  // Toward an endpoint, a switch other than the endpoint's own uses the ports toward that
  // switch: one breadth-first search per destination switch (not per endpoint), its port
  // lists shared by the endpoints attached there. 1024 cards: 10,240 endpoints, 104 switches.
  struct Toward {
    std::vector<unsigned> dist;
    std::vector<std::vector<unsigned>> hops;  // per switch, empty at the destination switch
  };
  std::vector<std::unique_ptr<Toward>> toward(nsw);
  auto toward_switch = [&](unsigned dst) -> const Toward& {
    if (toward[dst]) return *toward[dst];
    auto t = std::make_unique<Toward>();
    std::vector<unsigned>& dist = t->dist;
    dist.assign(nsw, kFar);
    std::deque<unsigned> todo{dst};
    dist[dst] = 1;
    while (!todo.empty()) {
      unsigned s = todo.front();
      todo.pop_front();
      for (const auto& [port, peer] : adj[s])
        if (peer.kind == NodeKind::switch_node && dist[peer.index] == kFar) {
          dist[peer.index] = dist[s] + 1;
          todo.push_back(peer.index);
        }
    }
    t->hops.resize(nsw);
    for (unsigned s = 0; s < nsw; ++s) {
      if (dist[s] == kFar || s == dst) continue;
      for (const auto& [port, peer] : adj[s])
        if (peer.kind == NodeKind::switch_node && dist[peer.index] + 1 == dist[s]) t->hops[s].push_back(port);
    }
    toward[dst] = std::move(t);
    return *toward[dst];
  };
  std::vector<unsigned> hops;  // at the endpoint's own switch: the ports cabled to it
  for (const auto& [end, at] : attached) {
    const uint32_t ip = ip_of(end);
    if (ip == 0) continue;
    const Toward& t = toward_switch(at.index);
    for (unsigned s = 0; s < nsw; ++s) {
      if (t.dist[s] == kFar) continue;
      if (s != at.index) {
        if (!t.hops[s].empty()) each(s, ip, t.hops[s]);
        continue;
      }
      hops.clear();
      for (const auto& [port, peer] : adj[s])
        if (peer.kind != NodeKind::switch_node && peer == end) hops.push_back(port);
      if (!hops.empty()) each(s, ip, hops);
    }
  }
}

std::vector<RouteTable> compute_routes(const TopologyPlan& plan, const std::function<uint32_t(const PortRef&)>& ip_of) {
  std::vector<RouteTable> tables(plan.switches.size());
  size_t addressed = 0;  // the most entries a table can hold: no rehashing while filling
  for (const Cable& c : plan.cables)
    for (const auto& [end, other] : {std::pair{c.a, c.b}, std::pair{c.b, c.a}})
      addressed += end.kind != NodeKind::switch_node && other.kind == NodeKind::switch_node && ip_of(end) != 0;
  for (RouteTable& table : tables) table.reserve(addressed);
  visit_routes(plan, ip_of, [&](unsigned s, uint32_t ip, const std::vector<unsigned>& ports) { tables[s][ip] = ports; });
  return tables;
}

}  // namespace gs
