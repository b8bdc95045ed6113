#include "testbench/topology/routing.hpp"

#include <deque>
#include <limits>

namespace gs {

std::vector<RouteTable> compute_routes(const TopologyPlan& plan, const std::function<uint32_t(const PortRef&)>& ip_of) {
  const unsigned nsw = unsigned(plan.switches.size());
  std::vector<RouteTable> tables(nsw);
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
  std::vector<unsigned> dist(nsw);
  for (const auto& [end, at] : attached) {
    const uint32_t ip = ip_of(end);
    if (ip == 0) continue;
    // Breadth-first from the destination's switch over switch-to-switch cables.
    std::fill(dist.begin(), dist.end(), kFar);
    std::deque<unsigned> todo{at.index};
    dist[at.index] = 1;
    while (!todo.empty()) {
      unsigned s = todo.front();
      todo.pop_front();
      for (const auto& [port, peer] : adj[s])
        if (peer.kind == NodeKind::switch_node && dist[peer.index] == kFar) {
          dist[peer.index] = dist[s] + 1;
          todo.push_back(peer.index);
        }
    }
    for (unsigned s = 0; s < nsw; ++s) {
      if (dist[s] == kFar) continue;
      std::vector<unsigned> hops;
      for (const auto& [port, peer] : adj[s]) {
        bool toward = peer.kind == NodeKind::switch_node ? dist[peer.index] + 1 == dist[s] : (dist[s] == 1 && peer == end);
        if (toward) hops.push_back(port);
      }
      if (!hops.empty()) tables[s][ip] = std::move(hops);
    }
  }
  return tables;
}

}  // namespace gs
