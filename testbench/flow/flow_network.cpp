#include "testbench/flow/flow_network.hpp"

#include <functional>

#include "models/fabric/ecmp.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/topology/fattree.hpp"
#include "testbench/topology/routing.hpp"

namespace gs {

namespace {

constexpr double kRoutingHeaderBytes = 62;  // preamble to BTH: what a cut-through switch waits for
constexpr uint64_t kMaxRouteEntries = 50'000'000;

uint32_t data_overhead() {
  return wire::kEth + wire::kIpv4 + wire::kUdp + wire::kBth + wire::kIcrc + wire::kFcs + wire::kPreambleSfd + wire::kIfg;
}

struct End {
  int cable = -1;
  bool side_a = false;
};

}  // namespace

double payload_fraction(uint32_t mtu) { return double(mtu) / double(mtu + data_overhead()); }

FlowNetwork build_flow_network(const SimParams& p, const TopologyPlan& plan, const TrafficSetup& t) {
  const FabricParams& fp = p.fabric;
  const unsigned ports = p.card.nic_ports, per_host = p.topology.cards;
  FlowNetwork net;
  const double frac = payload_fraction(p.card.nic.mtu);
  std::vector<End> card_end(size_t(p.topology.hosts) * per_host * ports);
  std::vector<std::vector<End>> sw_end(plan.switches.size());
  for (unsigned k = 0; k < plan.switches.size(); ++k) sw_end[k].resize(plan.switches[k].ports);
  std::vector<double> rate_of_cable(plan.cables.size());
  for (unsigned c = 0; c < plan.cables.size(); ++c) {
    const Cable& cb = plan.cables[c];
    bool card_cable = false;
    for (bool a : {true, false}) {
      const PortRef& e = a ? cb.a : cb.b;
      if (e.kind == NodeKind::card) card_end[size_t(e.index) * ports + e.port] = {int(c), a}, card_cable = true;
      if (e.kind == NodeKind::switch_node) sw_end[e.index][e.port] = {int(c), a};
    }
    // A switch port facing a GAUDI runs at the NIC's rate; others at the tier's or the fabric's.
    rate_of_cable[c] = card_cable ? p.card.nic.speed_gbps : cb.gbps > 0 ? cb.gbps : fp.link_gbps;
    net.capacity_gbps.push_back(rate_of_cable[c] * frac);  // 2c: a to b
    net.capacity_gbps.push_back(rate_of_cable[c] * frac);  // 2c + 1: b to a
  }
  auto ip_of = [&](const PortRef& e) -> uint32_t {
    return e.kind == NodeKind::card ? gaudi_ip(e.index / per_host, e.index % per_host, e.port) : 0;
  };

  // Equal-cost ports of switch s towards node n: closed form for a fat tree, tables otherwise.
  std::function<const std::vector<unsigned>*(unsigned, unsigned)> route;
  std::vector<RouteTable> tables;
  std::vector<unsigned> slot(t.nodes.size());
  std::vector<unsigned> scratch;
  const FatTreeShape ft{fp.fattree.k, fp.fattree.oversub};
  if (fp.kind == "fattree") {
    for (unsigned n = 0; n < t.nodes.size(); ++n) {
      const End& e = card_end[size_t(t.nodes[n].index) * ports + t.nodes[n].port];
      const Cable& cb = plan.cables[e.cable];
      const PortRef& at = e.side_a ? cb.b : cb.a;
      slot[n] = at.index * ft.hosts_per_edge() + at.port;
    }
    route = [&](unsigned s, unsigned n) {
      scratch = fattree_route(ft, s, slot[n]);
      return &scratch;
    };
  } else {
    if (uint64_t(plan.switches.size()) * t.nodes.size() > kMaxRouteEntries)
      throw ConfigError("config: fabric.model = flow: " + std::to_string(plan.switches.size()) + " switches x " +
                        std::to_string(t.nodes.size()) + " nodes is too many routing entries for topology.kind = " +
                        fp.kind + "; use topology.kind = fattree (routes in closed form)");
    tables = compute_routes(plan, ip_of);
    route = [&](unsigned s, unsigned n) -> const std::vector<unsigned>* {
      auto it = tables[s].find(ip_of(t.nodes[n]));
      return it == tables[s].end() ? nullptr : &it->second;
    };
  }
  std::vector<uint64_t> salt(plan.switches.size());
  for (unsigned k = 0; k < salt.size(); ++k) salt[k] = mix64(mix64(p.sim.seed ^ (k + 1)));  // as Fabric seeds Switch

  const auto& nic = p.card.nic;
  const auto& sw = fp.sw;
  net.flows.resize(t.matrix.flows.size());
  net.switch_hops.resize(t.matrix.flows.size());
  for (size_t i = 0; i < t.matrix.flows.size(); ++i) {
    const FlowSpec& f = t.matrix.flows[i];
    const TrafficPair& pr = t.pairs[t.flow_pair[i]];
    Packet pkt;
    pkt.src_ip = ip_of(t.nodes[f.src]);
    pkt.dst_ip = ip_of(t.nodes[f.dst]);
    const bool lo = f.src == pr.lo;
    pkt.udp_sport = roce_udp_sport(lo ? pr.conn_lo : pr.conn_hi, lo ? pr.conn_hi : pr.conn_lo);
    FluidFlow& ff = net.flows[i];
    End e = card_end[size_t(t.nodes[f.src].index) * ports + t.nodes[f.src].port];
    double hop_ns = 0;  // one way, per switch and cable, without serialization
    unsigned switches = 0;
    for (;;) {
      if (e.cable < 0) throw ConfigError("config: fabric.model = flow: flow id " + std::to_string(f.id) + " has no route");
      ff.links.push_back(uint32_t(2 * e.cable + (e.side_a ? 0 : 1)));
      hop_ns += fp.link_latency_ns;
      const Cable& cb = plan.cables[e.cable];
      const PortRef& next = e.side_a ? cb.b : cb.a;
      if (next.kind != NodeKind::switch_node) {
        if (next != t.nodes[f.dst])
          throw ConfigError("config: fabric.model = flow: flow id " + std::to_string(f.id) + " reaches " + next.text());
        break;
      }
      const std::vector<unsigned>* r = route(next.index, f.dst);
      if (!r || r->empty() || ++switches > 64)
        throw ConfigError("config: fabric.model = flow: flow id " + std::to_string(f.id) + " has no route at " +
                          plan.switches[next.index].name);
      const unsigned out = (*r)[r->size() == 1 ? 0 : unsigned(flow_hash(pkt, salt[next.index]) % r->size())];
      e = sw_end[next.index][out];
      const double out_gbps = e.cable < 0 ? fp.link_gbps : rate_of_cable[e.cable];
      hop_ns += sw.latency_ns + (sw.cut_through ? kRoutingHeaderBytes : double(nic.mtu + data_overhead())) * 8 / out_gbps;
    }
    const double ack_wire = wire::kEth + wire::kIpv4 + wire::kUdp + wire::kBth + wire::kAeth + wire::kIcrc + wire::kFcs +
                            wire::kPreambleSfd + wire::kIfg;
    ff.bits = double(f.bytes) * 8;
    ff.ready_ns = f.start_us * 1000.0;
    ff.lane = f.src * kTrafficLanes + t.flow_lane[i];
    // After the last bit: its way to the receiver, the ACK's way back (same length), the
    // ACK's own serialization, PHY latency both ways and the fixed per-flow costs.
    ff.tail_ns = 2 * (hop_ns + nic.phy_latency_ns) + ack_wire * 8 / nic.speed_gbps + fp.flow.overhead_ns;
    net.switch_hops[i] = switches;
  }
  return net;
}

}  // namespace gs
