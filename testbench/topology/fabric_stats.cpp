// Fabric::stats(): the counters of the whole network as JSON, for run records, from the
// rows of every switch, third-party NIC and link (ReportRows: possibly from several ranks).
#include "testbench/topology/fabric.hpp"

#include <stdexcept>

#include "testbench/output/report_rows.hpp"

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

nlohmann::json third_party_json(const ThirdPartyNic& n) {
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

nlohmann::json Fabric::switch_row(unsigned k) const {
  const Switch& sw = *switches_[k];
  nlohmann::json ports = nlohmann::json::array();
  for (unsigned n = 0; n < sw.port_count(); ++n) {
    nlohmann::json pj = port_json(sw.port_stats(n));
    auto peer = peer_of(PortRef{NodeKind::switch_node, k, n});
    pj["port"] = n;
    pj["peer"] = peer ? peer->text() : "";
    ports.push_back(std::move(pj));
  }
  return {{"name", plan_.switches[k].name},
          {"ports", sw.port_count()},
          {"routes", sw.route_count()},
          {"buffer_peak_bytes", sw.buffer_peak()},
          {"drops", sw.total_drops()},
          {"port_stats", std::move(ports)}};
}

void Fabric::report_rows(ReportRows& r) const {
  r.switches.assign(switches_.size(), nullptr);
  for (unsigned k = 0; k < switches_.size(); ++k)
    if (switches_[k]) r.switches[k] = switch_row(k);
  r.third_party.assign(third_party_.size(), nullptr);
  for (unsigned k = 0; k < third_party_.size(); ++k)
    if (third_party_[k]) r.third_party[k] = third_party_json(*third_party_[k]);
  r.senders.assign(2 * cables_.size(), std::nullopt);
  r.delivered.assign(2 * cables_.size(), std::nullopt);
  for (size_t c = 0; c < cables_.size(); ++c) {
    const CableState& cs = cables_[c];
    for (bool from_a : {true, false}) {
      const Link* l = from_a ? cs.ab : cs.ba;
      NetPort* sender = from_a ? cs.pa : cs.pb;
      const PortRef &from = from_a ? cs.a : cs.b, &to = from_a ? cs.b : cs.a;
      if (!l) continue;
      const LinkStats& s = l->stats();
      const size_t i = 2 * c + (from_a ? 0 : 1);
      if (built(to)) r.delivered[i] = s.delivered;
      if (!built(from)) continue;
      SenderRow& row = r.senders[i].emplace();
      row.from = from.text(), row.to = to.text();
      row.link = s;
      row.link.delivered = 0;  // the receiver's count: r.delivered
      if (sender) {  // the sender's transmitter (frames it put on this link)
        row.has_egress = true;
        row.gbps = sender->egress().gbps();
        row.egress = sender->egress().stats();
      }
    }
  }
}

std::vector<Fabric::Direction> Fabric::directions(const ReportRows& r) {
  // Reserved: grown by doubling, the vector (and its copy during each growth) set the
  // report's memory peak, ~9 KB per card.
  size_t both_ends = 0;
  for (size_t c = 0; 2 * c + 1 < r.senders.size(); ++c) both_ends += r.senders[2 * c] && r.senders[2 * c + 1];
  std::vector<Direction> out;
  out.reserve(2 * both_ends);
  for (size_t c = 0; 2 * c + 1 < r.senders.size(); ++c) {
    if (!r.senders[2 * c] || !r.senders[2 * c + 1]) continue;  // an end without a NIC
    for (size_t i : {2 * c, 2 * c + 1}) {
      const SenderRow& s = *r.senders[i];
      Direction d;
      d.from = s.from, d.to = s.to;
      d.gbps = s.gbps;
      d.link = s.link;
      d.link.delivered = r.delivered[i].value_or(0);
      d.egress.frames = s.egress.frames, d.egress.bytes = s.egress.bytes, d.egress.drops = s.egress.drops;
      d.egress.pause_frames_sent = s.egress.pause_frames_sent, d.egress.max_queued_bytes = s.egress.max_queued_bytes;
      d.egress.paused_time = s.egress.paused_time;
      out.push_back(std::move(d));
    }
  }
  return out;
}

nlohmann::json Fabric::stats() const {
  ReportRows r;
  report_rows(r);
  return stats(r);
}

nlohmann::json Fabric::stats(const ReportRows& r) const {
  nlohmann::json j;
  j["kind"] = fp_.kind;
  j["cables"] = cables_.size();
  j["skipped_cables"] = plan_.skipped_cables;
  LinkStats total;
  for (const std::optional<SenderRow>& s : r.senders) {
    if (!s) continue;
    total.frames += s->link.frames, total.bytes += s->link.bytes;
    total.lost += s->link.lost, total.corrupted += s->link.corrupted;
    total.dropped_down += s->link.dropped_down;
  }
  j["links"] = {{"frames", total.frames},
                {"bytes", total.bytes},
                {"lost", total.lost},
                {"corrupted", total.corrupted},
                {"dropped_down", total.dropped_down}};
  check_rows(r);
  j["switches"] = nlohmann::json::array();
  for (const nlohmann::json& sw : r.switches) j["switches"].push_back(sw);
  j["third_party"] = nlohmann::json::array();
  for (const nlohmann::json& n : r.third_party) j["third_party"].push_back(n);
  return j;
}

void Fabric::check_rows(const ReportRows& r) {
  for (size_t k = 0; k < r.switches.size(); ++k)
    if (r.switches[k].is_null()) throw std::runtime_error("fabric stats: the counters of switch " + std::to_string(k) + " are missing");
  for (const nlohmann::json& n : r.third_party)
    if (n.is_null()) throw std::runtime_error("fabric stats: a third-party NIC's counters are missing");
}

}  // namespace gs
