// Fabric::stats(): the counters of the whole network as JSON, for run records.
#include "testbench/topology/fabric.hpp"

namespace gs {

namespace {

nlohmann::json port_json(const SwitchPortStats& s) {
  return {{"rx_frames", s.rx_frames},   {"rx_bytes", s.rx_bytes},
          {"tx_frames", s.tx_frames},   {"tx_bytes", s.tx_bytes},
          {"drops", s.drops},           {"buffer_drops", s.buffer_drops},
          {"no_route_drops", s.no_route_drops}, {"corrupt_drops", s.corrupt_drops},
          {"down_drops", s.down_drops}, {"pauses_sent", s.pauses_sent},
          {"pauses_received", s.pauses_received}, {"ecn_marked", s.ecn_marked},
          {"max_queue_bytes", s.max_queue_bytes}};
}

nlohmann::json third_party_json(ThirdPartyNic& n) {
  const ThirdPartyNicStats& s = n.stats();
  return {{"name", n.name()},
          {"mac", mac_text(n.mac())},
          {"ip", ip_text(n.ip())},
          {"writes_received", s.writes_received},
          {"bytes_received", s.bytes_received},
          {"acks_sent", s.acks_sent},
          {"naks_sent", s.naks_sent},
          {"writes_sent", s.writes_sent},
          {"writes_completed", s.writes_completed},
          {"retransmits", s.retransmits},
          {"dropped", s.corrupted_dropped + s.foreign_dropped + s.unknown_qp_dropped + s.refused}};
}

}  // namespace

std::vector<Fabric::Direction> Fabric::directions() const {
  std::vector<Direction> out;
  for (const CableState& c : cables_) {
    if (!c.ab || !c.ba) continue;  // an end without a NIC: never carried anything
    out.push_back({c.a.text(), c.b.text(), c.pa->egress().gbps(), c.ab->stats(), c.pa->egress().stats()});
    out.push_back({c.b.text(), c.a.text(), c.pb->egress().gbps(), c.ba->stats(), c.pb->egress().stats()});
  }
  return out;
}

nlohmann::json Fabric::stats() const {
  nlohmann::json j;
  j["kind"] = fp_.kind;
  j["cables"] = cables_.size();
  j["skipped_cables"] = plan_.skipped_cables;
  LinkStats total;
  for (const auto& l : links_) {
    const LinkStats& s = l->stats();
    total.frames += s.frames, total.bytes += s.bytes, total.lost += s.lost;
    total.corrupted += s.corrupted, total.dropped_down += s.dropped_down;
  }
  j["links"] = {{"frames", total.frames},
                {"bytes", total.bytes},
                {"lost", total.lost},
                {"corrupted", total.corrupted},
                {"dropped_down", total.dropped_down}};
  j["switches"] = nlohmann::json::array();
  for (unsigned k = 0; k < switches_.size(); ++k) {
    const Switch& sw = *switches_[k];
    nlohmann::json ports = nlohmann::json::array();
    for (unsigned n = 0; n < sw.port_count(); ++n) {
      nlohmann::json pj = port_json(sw.port_stats(n));
      auto peer = peer_of(PortRef{NodeKind::switch_node, k, n});
      pj["port"] = n;
      pj["peer"] = peer ? peer->text() : "";
      ports.push_back(std::move(pj));
    }
    j["switches"].push_back({{"name", plan_.switches[k].name},
                             {"ports", sw.port_count()},
                             {"routes", sw.route_count()},
                             {"buffer_peak_bytes", sw.buffer_peak()},
                             {"drops", sw.total_drops()},
                             {"port_stats", std::move(ports)}});
  }
  j["third_party"] = nlohmann::json::array();
  for (const auto& n : third_party_) j["third_party"].push_back(third_party_json(*n));
  return j;
}

}  // namespace gs
