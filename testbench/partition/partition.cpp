#include "testbench/partition/partition.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>

#include "models/common/time.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/host/bootstrap_network.hpp"
#include "testbench/partition/wire.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs {

std::vector<int> partition_hosts(const SimParams& p, int ranks) {
  const unsigned hosts = p.topology.hosts;
  std::vector<int> out(hosts);
  if (p.sim.partition.empty()) {
    if (unsigned(ranks) > hosts)
      throw ConfigError("config: " + std::to_string(ranks) + " MPI ranks for " + std::to_string(hosts) +
                        " hosts (topology.hosts): a partition holds whole boxes, so run at most one rank per host");
    for (unsigned h = 0; h < hosts; ++h) out[h] = int(uint64_t(h) * unsigned(ranks) / hosts);
    return out;
  }
  std::vector<int> used(size_t(ranks), 0);
  size_t i = 0;
  unsigned h = 0;
  const std::string& s = p.sim.partition;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    const std::string item = s.substr(i, j - i);
    char* end = nullptr;
    const long r = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end || r < 0 || r >= ranks || h >= hosts)
      throw ConfigError("config: key 'sim.partition' = '" + s + "': expected " + std::to_string(hosts) +
                        " ranks in 0.." + std::to_string(ranks - 1) + ", one per host, comma-separated");
    out[h++] = int(r);
    used[size_t(r)] = 1;
    i = j + 1;
  }
  if (h != hosts)
    throw ConfigError("config: key 'sim.partition' = '" + s + "': names " + std::to_string(h) + " hosts, topology has " +
                      std::to_string(hosts));
  for (int r = 0; r < ranks; ++r)
    if (!used[size_t(r)])
      throw ConfigError("config: key 'sim.partition' = '" + s + "': rank " + std::to_string(r) + " gets no host");
  return out;
}

Partition::Partition(const SimParams& p, PartitionTransport& t)
    : p_(p), t_(t), host_rank_(partition_hosts(p, t.size())), out_(size_t(t.size())) {
  if (!p.fault.script.empty() || !p.fault.events.empty() || !p.card.no_boot_cards.empty())
    throw ConfigError("config: fault scripts (fault.*) are not supported in a partitioned (MPI) run yet");
  for (unsigned h = 0; h < p.topology.hosts; ++h)
    for (unsigned c = 0; c < p.topology.cards; ++c) card_rank_.push_back(host_rank_[h]);
  // The owners of switches and third-party NICs, from the plan (before anything is built): a
  // switch goes to the rank with most of the cards cabled to it (fewest cut links: a box's
  // switch with its box), a tie to the rank holding the fewest switches so far (the leaves of
  // a leaf/spine network, cabled to every box alike, are dealt out evenly); switches with no
  // card (spines) then go to the ranks holding the fewest. A third-party NIC goes with its card.
  const TopologyPlan plan = plan_topology(p.fabric, TopologyShape{p.topology.hosts, p.topology.cards, p.card.nic_ports});
  const size_t ranks = size_t(t_.size());
  std::vector<std::vector<unsigned>> cards_on(plan.switches.size(), std::vector<unsigned>(ranks, 0));
  third_party_rank_.assign(plan.third_party, 0);
  for (const Cable& cable : plan.cables)
    for (bool a : {true, false}) {
      const PortRef& e = a ? cable.a : cable.b;
      const PortRef& o = a ? cable.b : cable.a;
      if (e.kind != NodeKind::card) continue;
      if (o.kind == NodeKind::switch_node) ++cards_on[o.index][size_t(card_rank_[e.index])];
      if (o.kind == NodeKind::third_party) third_party_rank_[o.index] = card_rank_[e.index];
    }
  switch_rank_.assign(plan.switches.size(), -1);
  std::vector<unsigned> held(ranks, 0);
  auto give = [&](size_t k, bool by_cards) {
    const unsigned most = *std::max_element(cards_on[k].begin(), cards_on[k].end());
    if (by_cards == (most == 0)) return;
    size_t best = ranks;
    for (size_t r = 0; r < ranks; ++r)
      if (cards_on[k][r] == most && (best == ranks || held[r] < held[best])) best = r;
    switch_rank_[k] = int(best);
    ++held[best];
  };
  for (size_t k = 0; k < switch_rank_.size(); ++k) give(k, true);
  for (size_t k = 0; k < switch_rank_.size(); ++k) give(k, false);
}

bool Partition::builds(const PortRef& node) const {
  return owner(node) == rank();
}

std::vector<bool> Partition::local_hosts() const {
  std::vector<bool> v;
  for (int r : host_rank_) v.push_back(r == rank());
  return v;
}

int Partition::owner(const PortRef& e) const {
  switch (e.kind) {
    case NodeKind::card: return card_rank_.at(e.index);
    case NodeKind::switch_node: return switch_rank_.at(e.index);
    case NodeKind::third_party: return third_party_rank_.at(e.index);
  }
  return 0;
}

void Partition::attach(System& sys) {
  sys_ = &sys;
  Fabric& f = sys.fabric();
  built_ = {};
  for (size_t c = 0; c < sys.cards().size(); ++c) built_.cards += sys.cards()[c] ? 1 : 0;
  for (size_t h = 0; h < sys.hosts().size(); ++h) built_.hosts += sys.hosts()[h] ? 1 : 0;
  for (size_t k = 0; k < f.switch_count(); ++k) built_.switches += builds(PortRef{NodeKind::switch_node, unsigned(k), 0}) ? 1 : 0;
  // Every link has fabric.link_latency_ns (Fabric): the lookahead, if any cable is cut.
  lookahead_ = ns(p_.fabric.link_latency_ns);
  bool cut = false;
  for (size_t c = 0; c < f.cable_count(); ++c) {
    const int ra = owner(f.cable_end(c, true)), rb = owner(f.cable_end(c, false));
    if (ra == rb) continue;
    cut = true;
    Link *ab = f.cable_link(c, true), *ba = f.cable_link(c, false);
    if (ra != rank() && rb != rank()) continue;
    ++built_.cut_links;
    if (!ab || !ba) t_.abort("cut cable " + std::to_string(c) + " has no links on rank " + std::to_string(rank()), 1);
    if (ra == rank()) ab->set_outbox(this, uint32_t(2 * c));
    if (rb == rank()) ba->set_outbox(this, uint32_t(2 * c + 1));
  }
  if (!cut) lookahead_ = sc_core::sc_time(p_.sim.bootstrap_latency_ns, sc_core::SC_NS);
  if (lookahead_ == sc_core::SC_ZERO_TIME)
    throw ConfigError("config: fabric.link_latency_ns = 0: a partitioned run needs links with a latency (the lookahead)");
  if (sc_core::sc_time(p_.sim.bootstrap_latency_ns, sc_core::SC_NS) <= lookahead_)
    throw ConfigError(fmt::format(
        "config: key 'sim.bootstrap_latency_ns' = {} must exceed the lookahead of this partition ({} ns, the "
        "smallest latency of a cut link) in a partitioned run; set it (to the same value) for both runs to compare",
        p_.sim.bootstrap_latency_ns, lookahead_.to_seconds() * 1e9));
}

Partition::~Partition() = default;

void Partition::connect(BootstrapNetwork& net) {
  net_ = &net;
  net.set_remote([this](uint32_t g, const std::string& key, const hlcomm::Bytes& value, sc_core::sc_time at) {
    forward(g, key, value, at);
  });
}

void Partition::post(uint32_t link_id, sc_core::sc_time arrival, const PacketPtr& p) {
  const size_t c = link_id / 2;
  const int dest = owner(sys_->fabric().cable_end(c, link_id % 2 != 0));
  ByteBuffer& b = out_[size_t(dest)];
  const size_t before = b.size();
  wire_msg::Writer w(b);
  w.put(uint8_t(wire_msg::kFrame)), w.put(uint64_t(arrival.value())), w.put(link_id);
  wire_msg::put_packet(w, *p);
  posted_min_ = std::min<uint64_t>(posted_min_, arrival.value());
  ++stats_.frames_sent;
  stats_.frame_bytes += b.size() - before;
}

void Partition::forward(uint32_t group, const std::string& key, const hlcomm::Bytes& value, sc_core::sc_time at) {
  posted_min_ = std::min<uint64_t>(posted_min_, at.value());
  for (int r = 0; r < t_.size(); ++r) {
    if (r == rank()) continue;
    wire_msg::Writer w(out_[size_t(r)]);
    w.put(uint8_t(wire_msg::kPublication)), w.put(uint64_t(at.value())), w.put(group);
    w.bytes(reinterpret_cast<const uint8_t*>(key.data()), key.size());
    w.bytes(value.data(), value.size());
  }
  ++stats_.publications_sent;
}

}  // namespace gs
