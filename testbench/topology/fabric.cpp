#include "testbench/topology/fabric.hpp"

#include <stdexcept>

#include "models/card/card.hpp"
#include "models/common/time.hpp"
#include "models/fabric/ecmp.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/topology/routing.hpp"

namespace gs {

Fabric::Fabric(sc_core::sc_module_name name, const SimParams& p, std::vector<std::unique_ptr<Card>>& cards,
               NodeFilter builds)
    : sc_module(name), fp_(p.fabric), shape_{p.topology.hosts, p.topology.cards, p.card.nic_ports},
      builds_(std::move(builds)), remote_nic_gbps_(p.card.nic.speed_gbps) {
  lookup_ = [&cards](unsigned card, unsigned port) -> NetPort* {
    return card < cards.size() && cards[card] && port < cards[card]->nic_ports() ? &cards[card]->nic_port(port) : nullptr;
  };
  build(p.sim.seed);
}

Fabric::Fabric(sc_core::sc_module_name name, const FabricParams& fp, const TopologyShape& shape, uint64_t seed,
               PortLookup ports)
    : sc_module(name), fp_(fp), shape_(shape), lookup_(std::move(ports)) {
  build(seed);
}

void Fabric::build(uint64_t seed) {
  check_fabric_params(fp_, shape_);
  plan_ = plan_topology(fp_, shape_);

  for (unsigned c = 0; c < shape_.cards(); ++c)
    for (unsigned p = 0; p < shape_.ports_per_card; ++p)
      if (NetPort* np = lookup_(c, p)) np->set_address(mac_of(c, p), ip_of(c, p));

  switch_cable_.resize(plan_.switches.size());
  for (unsigned k = 0; k < plan_.switches.size(); ++k) {
    const SwitchSpec& s = plan_.switches[k];
    switch_cable_[k].assign(s.ports, -1);
    switches_.emplace_back();
    if (!built(PortRef{NodeKind::switch_node, k, 0})) continue;
    switches_.back() = std::make_unique<Switch>(s.name.c_str(), s.ports, fp_.link_gbps, fp_.sw, mix64(seed ^ (k + 1)));
    for (unsigned n = 0; n < s.ports; ++n) switches_.back()->port(n).set_address(switch_mac(k, n), 0);
  }
  ThirdPartyNicConfig tcfg;
  tcfg.gbps = fp_.link_gbps;
  for (unsigned k = 0; k < plan_.third_party; ++k) {
    std::string n = "thirdparty" + std::to_string(k);
    third_party_.emplace_back();
    if (built(PortRef{NodeKind::third_party, k, 0}))
      third_party_.back() = std::make_unique<ThirdPartyNic>(n.c_str(), tcfg, third_party_mac(k), third_party_ip(k));
  }
  third_party_cable_.assign(plan_.third_party, -1);
  card_cable_.assign(size_t(shape_.cards()) * shape_.ports_per_card, -1);

  const sc_core::sc_time prop = ns(fp_.link_latency_ns);
  for (const Cable& c : plan_.cables) cable(c, prop, seed);

  // Routes from the whole plan: the same tables in every process.
  visit_routes(plan_, [this](const PortRef& e) { return address_of(e); },
               [this](unsigned k, uint32_t ip, const std::vector<unsigned>& ports) {
                 if (switches_[k]) switches_[k]->set_route(ip, ports);
               });
}

// One cable: its pair of Links when both ends are here; when only one end is (a cut cable
// of a partitioned run), both Links too, the far side unconnected: the partition gives the
// outgoing one an outbox and injects what the other rank sends into the incoming one.
void Fabric::cable(const Cable& c, const sc_core::sc_time& prop, uint64_t seed) {
  auto short_name = [this](const PortRef& e) {
    switch (e.kind) {
      case NodeKind::card: return "c" + std::to_string(e.index) + "p" + std::to_string(e.port);
      case NodeKind::switch_node: return plan_.switches[e.index].name + "p" + std::to_string(e.port);
      default: return "tp" + std::to_string(e.index);
    }
  };
  // The rate a port faces: its NIC's, or for a NIC not built here what it would have.
  auto rate = [this](const PortRef& e, NetPort* np) {
    return np ? np->egress().gbps() : e.kind == NodeKind::card ? remote_nic_gbps_ : fp_.link_gbps;
  };
  const int idx = int(cables_.size());
  CableState cs{c.a, c.b, resolve(c.a), resolve(c.b), nullptr, nullptr};
  const bool here_a = built(c.a), here_b = built(c.b);
  if ((cs.pa || !here_a) && (cs.pb || !here_b) && (here_a || here_b)) {
    const uint64_t s = mix64(seed ^ (0x9E3779B97F4A7C15ull * (uint64_t(idx) + 1)));
    std::string ab = short_name(c.a) + "_" + short_name(c.b), ba = short_name(c.b) + "_" + short_name(c.a);
    links_.push_back(std::make_unique<Link>(ab.c_str(), prop, fp_.loss_rate, fp_.corrupt_rate, s));
    cs.ab = links_.back().get();
    links_.push_back(std::make_unique<Link>(ba.c_str(), prop, fp_.loss_rate, fp_.corrupt_rate, mix64(s)));
    cs.ba = links_.back().get();
    if (cs.pa) cs.pa->egress().connect(*cs.ab), cs.ba->connect(cs.pa->ingress());
    if (cs.pb) cs.pb->egress().connect(*cs.ba), cs.ab->connect(cs.pb->ingress());
    // A switch port runs at the speed of the NIC it faces (nic.speed_gbps for GAUDI ports).
    if (here_a && c.a.kind == NodeKind::switch_node && c.b.kind != NodeKind::switch_node)
      switches_[c.a.index]->set_port_rate(c.a.port, rate(c.b, cs.pb));
    if (here_b && c.b.kind == NodeKind::switch_node && c.a.kind != NodeKind::switch_node)
      switches_[c.b.index]->set_port_rate(c.b.port, rate(c.a, cs.pa));
    if (c.gbps > 0 && c.a.kind == NodeKind::switch_node && c.b.kind == NodeKind::switch_node) {
      if (here_a) switches_[c.a.index]->set_port_rate(c.a.port, c.gbps);  // a tier with its own rate (fat tree)
      if (here_b) switches_[c.b.index]->set_port_rate(c.b.port, c.gbps);
    }
  }
  for (const PortRef& e : {c.a, c.b}) {
    if (e.kind == NodeKind::card) card_cable_[e.index * shape_.ports_per_card + e.port] = idx;
    if (e.kind == NodeKind::switch_node) switch_cable_[e.index][e.port] = idx;
    if (e.kind == NodeKind::third_party) third_party_cable_[e.index] = idx;
  }
  cables_.push_back(cs);
}

NetPort* Fabric::resolve(const PortRef& e) const {
  switch (e.kind) {
    case NodeKind::card: return lookup_(e.index, e.port);
    case NodeKind::switch_node: return switches_.at(e.index) ? &switches_[e.index]->port(e.port) : nullptr;
    case NodeKind::third_party: return third_party_.at(e.index).get();
  }
  return nullptr;
}

int Fabric::cable_at(const PortRef& e) const {
  switch (e.kind) {
    case NodeKind::card:
      if (e.index >= shape_.cards() || e.port >= shape_.ports_per_card) return -1;
      return card_cable_[e.index * shape_.ports_per_card + e.port];
    case NodeKind::switch_node:
      if (e.index >= switch_cable_.size() || e.port >= switch_cable_[e.index].size()) return -1;
      return switch_cable_[e.index][e.port];
    case NodeKind::third_party: return e.index < third_party_cable_.size() ? third_party_cable_[e.index] : -1;
  }
  return -1;
}

uint32_t Fabric::address_of(const PortRef& e) const {
  if (e.kind == NodeKind::card) return ip_of(e.index, e.port);
  if (e.kind == NodeKind::third_party) return third_party_ip(e.index);
  return 0;
}

uint64_t Fabric::mac_of(unsigned card, unsigned port) const {
  return gaudi_mac(card / shape_.cards_per_host, card % shape_.cards_per_host, port);
}
uint32_t Fabric::ip_of(unsigned card, unsigned port) const {
  return gaudi_ip(card / shape_.cards_per_host, card % shape_.cards_per_host, port);
}

NetPort* Fabric::port_of(unsigned card, unsigned port) const {
  return card < shape_.cards() && port < shape_.ports_per_card ? lookup_(card, port) : nullptr;
}

std::optional<PortRef> Fabric::peer_of(const PortRef& end) const {
  int c = cable_at(end);
  if (c < 0) return std::nullopt;
  return cables_[c].a == end ? cables_[c].b : cables_[c].a;
}
std::optional<PortRef> Fabric::peer_of(unsigned card, unsigned port) const {
  return peer_of(PortRef{NodeKind::card, card, port});
}

std::optional<unsigned> Fabric::port_towards(unsigned card, unsigned peer_card) const {
  for (unsigned p = 0; p < shape_.ports_per_card; ++p) {
    auto peer = peer_of(card, p);
    if (peer && peer->kind == NodeKind::card && peer->index == peer_card) return p;
  }
  return std::nullopt;
}

Link& Fabric::link(unsigned card, unsigned port, LinkDirection dir) {
  const PortRef end{NodeKind::card, card, port};
  int c = cable_at(end);
  if (c < 0 || !cables_[c].ab)
    throw std::out_of_range("fabric: card " + std::to_string(card) + " port " + std::to_string(port) + " is not cabled");
  const CableState& cs = cables_[c];
  const bool from_a = cs.a == end;
  return *((dir == LinkDirection::out) == from_a ? cs.ab : cs.ba);
}

void Fabric::set_link_up(const PortRef& end, bool up) {
  int c = cable_at(end);
  if (c < 0) throw std::out_of_range("fabric: " + end.text() + " is not cabled");
  CableState& cs = cables_[c];
  if (!cs.ab || cs.ab->up() == up) return;
  cs.ab->set_up(up);
  cs.ba->set_up(up);
  cs.pa->link_changed(up);
  cs.pb->link_changed(up);
}
void Fabric::set_link_up(unsigned card, unsigned port, bool up) { set_link_up(PortRef{NodeKind::card, card, port}, up); }

bool Fabric::link_up(unsigned card, unsigned port) const {
  int c = cable_at(PortRef{NodeKind::card, card, port});
  return c >= 0 && cables_[c].ab && cables_[c].ab->up();
}

}  // namespace gs
