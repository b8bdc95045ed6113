#include "testbench/output/run_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include <stdexcept>

#include "models/nic/nic_port.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/output/report_rows.hpp"
#include "testbench/system.hpp"

namespace gs {
namespace {

double fraction(sc_core::sc_time busy, double sim_us) { return sim_us > 0 ? busy.to_seconds() * 1e6 / sim_us : 0; }

nlohmann::json link_stats(const ReportRows& r, double sim_us, bool detail) {
  nlohmann::json rows = nlohmann::json::array();
  uint64_t frames = 0, bytes = 0, delivered = 0, lost = 0, corrupted = 0, cut = 0, refused = 0, in_flight = 0;
  uint64_t pauses = 0, egress_frames = 0, egress_drops = 0;
  double max_util = 0, util_sum = 0, paused_us = 0;
  const auto dirs = Fabric::directions(r);
  for (const Fabric::Direction& d : dirs) {
    const LinkStats& l = d.link;
    const EgressStats& e = d.egress;
    // Utilisation: wire time of what crossed (preamble and gap included) over the run.
    const double util = sim_us > 0 && d.gbps > 0 ? l.bytes * 8.0 / (d.gbps * 1e3 * sim_us) : 0;
    frames += l.frames, bytes += l.bytes, delivered += l.delivered, lost += l.lost, corrupted += l.corrupted;
    cut += l.cut, refused += l.dropped_down - l.cut, in_flight += l.in_flight();
    pauses += e.pause_frames_sent, egress_frames += e.frames, egress_drops += e.drops;
    paused_us += e.paused_time.to_seconds() * 1e6;
    max_util = std::max(max_util, util);
    util_sum += util;
    if (!detail || (l.frames == 0 && l.dropped_down == 0 && e.pause_frames_sent == 0)) continue;
    rows.push_back({{"from", d.from}, {"to", d.to}, {"gbit_s", d.gbps}, {"frames", l.frames}, {"wire_bytes", l.bytes},
                    {"utilisation_fraction", util}, {"lost", l.lost}, {"corrupted", l.corrupted},
                    {"dropped_down", l.dropped_down}, {"pause_frames_sent", e.pause_frames_sent},
                    {"paused_us", e.paused_time.to_seconds() * 1e6}, {"max_queue_bytes", e.max_queued_bytes},
                    {"queue_drops", e.drops}});
  }
  nlohmann::json j = {{"directions", dirs.size()},
                      {"frames", frames},
                      {"wire_bytes", bytes},
                      {"delivered", delivered},
                      {"lost", lost},
                      {"corrupted", corrupted},
                      {"cut_when_down", cut},
                      {"refused_when_down", refused},
                      {"in_flight", in_flight},
                      {"sender_frames", egress_frames},
                      {"sender_queue_drops", egress_drops},
                      {"pause_frames_sent", pauses},
                      {"paused_us", paused_us},
                      {"max_utilisation_fraction", max_util},
                      {"mean_utilisation_fraction", dirs.empty() ? 0.0 : util_sum / double(dirs.size())}};
  if (detail) j["used"] = std::move(rows);
  return j;
}

// Totals read from the switches' rows; the fabric's whole stats (a copy of every row: about
// 12 KB per card at 1024 cards) are made only for the detailed record.
nlohmann::json switch_totals(const ReportRows& r, const Fabric& fabric, bool detail) {
  Fabric::check_rows(r);
  uint64_t drops = 0, pauses = 0, ecn = 0, max_queue = 0, peak = 0;
  for (const auto& sw : r.switches) {
    peak = std::max<uint64_t>(peak, sw["buffer_peak_bytes"].get<uint64_t>());
    for (const auto& p : sw["port_stats"]) {
      drops += p["drops"].get<uint64_t>();
      pauses += p["pauses_sent"].get<uint64_t>();
      ecn += p["ecn_marked"].get<uint64_t>();
      max_queue = std::max<uint64_t>(max_queue, p["max_queue_bytes"].get<uint64_t>());
    }
  }
  nlohmann::json j = {{"count", r.switches.size()}, {"drops", drops},          {"pauses_sent", pauses},
                      {"ecn_marked", ecn},                  {"max_queue_bytes", max_queue}, {"buffer_peak_bytes", peak}};
  if (detail) j["detail"] = fabric.stats(r);
  return j;
}

nlohmann::json nic_stats(const ReportRows& r, bool detail) {
  nlohmann::json ports = nlohmann::json::array(), qps = nlohmann::json::array();
  NicCounters sum;
  uint64_t qps_in_error = 0;
  for (unsigned c = 0; c < r.cards.size(); ++c) {
    const std::vector<NicRow>& nics = r.cards[c]->nic;
    for (unsigned p = 0; p < nics.size(); ++p) {
      const NicCounters& n = nics[p].counters;
      sum.tx_frames += n.tx_frames, sum.tx_bytes += n.tx_bytes, sum.rx_frames += n.rx_frames;
      sum.rx_bytes += n.rx_bytes, sum.tx_payload_bytes += n.tx_payload_bytes;
      sum.rx_payload_bytes += n.rx_payload_bytes, sum.retransmissions += n.retransmissions;
      sum.naks_sent += n.naks_sent, sum.naks_received += n.naks_received, sum.timeouts += n.timeouts;
      sum.rx_drops += n.rx_drops, sum.qp_errors += n.qp_errors, sum.pause_received += n.pause_received;
      if (detail && (n.tx_frames || n.rx_frames))
        ports.push_back({{"card", c},
                         {"port", p},
                         {"tx_frames", n.tx_frames},
                         {"rx_frames", n.rx_frames},
                         {"tx_payload_bytes", n.tx_payload_bytes},
                         {"rx_payload_bytes", n.rx_payload_bytes},
                         {"retransmissions", n.retransmissions},
                         {"naks_sent", n.naks_sent},
                         {"naks_received", n.naks_received},
                         {"timeouts", n.timeouts},
                         {"rx_drops", n.rx_drops},
                         {"pause_received", n.pause_received},
                         {"qp_errors", n.qp_errors}});
      for (const QpRow& q : nics[p].qps) {
        const QpStats& s = q.stats;
        if (!q.error && !s.payload_bytes_sent && !s.retransmissions && !s.naks_received && !s.naks_sent && !s.timeouts)
          continue;
        qps_in_error += q.error ? 1 : 0;
        if (!detail) continue;
        nlohmann::json j = {{"card", c},
                            {"port", p},
                            {"qp", q.qpn},
                            {"payload_bytes_sent", s.payload_bytes_sent},
                            {"retransmissions", s.retransmissions},
                            {"naks_sent", s.naks_sent},
                            {"naks_received", s.naks_received},
                            {"timeouts", s.timeouts},
                            {"error", q.error}};
        if (q.error) j["syndrome"] = output::qp_syndrome_name(q.syndrome);
        qps.push_back(std::move(j));
      }
    }
  }
  nlohmann::json j = {{"tx_frames", sum.tx_frames},
                      {"rx_frames", sum.rx_frames},
                      {"tx_payload_bytes", sum.tx_payload_bytes},
                      {"rx_payload_bytes", sum.rx_payload_bytes},
                      {"retransmissions", sum.retransmissions},
                      {"naks_sent", sum.naks_sent},
                      {"naks_received", sum.naks_received},
                      {"timeouts", sum.timeouts},
                      {"rx_drops", sum.rx_drops},
                      {"pause_received", sum.pause_received},
                      {"qp_errors", sum.qp_errors},
                      {"qps_in_error", qps_in_error}};
  if (detail) j["ports"] = std::move(ports), j["qps"] = std::move(qps);
  return j;
}

nlohmann::json engine_row(unsigned card, const char* kind, unsigned index, sc_core::sc_time busy, uint64_t bytes,
                          double sim_us) {
  return {{"card", card}, {"engine", kind}, {"index", index}, {"busy_us", busy.to_seconds() * 1e6},
          {"busy_fraction", fraction(busy, sim_us)}, {"bytes", bytes}};
}

void add_max(nlohmann::json& max, const std::string& kind, double v) {
  if (!max.contains(kind) || max[kind].get<double>() < v) max[kind] = v;
}

}  // namespace

nlohmann::json collect_run_stats(System& sys, double sim_us, bool detail) {
  const ReportRows& r = sys.report_rows();
  for (const std::optional<CardRow>& card : r.cards)
    if (!card) throw std::runtime_error("run stats: a card's counters are missing");
  nlohmann::json engines = nlohmann::json::array(), hbm = nlohmann::json::array(), pcie = nlohmann::json::array();
  nlohmann::json busiest = nlohmann::json::object();
  auto busy = [](const ServerRow& server) { return sc_core::sc_time::from_value(server.busy_ps); };
  for (unsigned c = 0; c < r.cards.size(); ++c) {
    const CardRow& card = *r.cards[c];
    for (const auto& [kind, rows] : {std::pair<const char*, const std::vector<EngineRow>*>{"dma", &card.dma},
                                     {"tpc", &card.tpc},
                                     {"mme", &card.mme}})
      for (unsigned i = 0; i < rows->size(); ++i) {
        const sc_core::sc_time t = sc_core::sc_time::from_value((*rows)[i].busy_ps);
        add_max(busiest, kind, fraction(t, sim_us));
        if (detail && t > sc_core::SC_ZERO_TIME) engines.push_back(engine_row(c, kind, i, t, (*rows)[i].bytes, sim_us));
      }
    const uint64_t hbm_bytes = card.hbm.bytes;
    hbm.push_back({{"card", c},
                   {"bytes", hbm_bytes},
                   {"busy_fraction", fraction(busy(card.hbm), sim_us)},
                   {"mean_gbyte_s", sim_us > 0 ? hbm_bytes / (sim_us * 1e3) : 0}});
    pcie.push_back({{"card", c},
                    {"to_host_bytes", card.to_host.bytes},
                    {"from_host_bytes", card.from_host.bytes},
                    {"to_host_busy_fraction", fraction(busy(card.to_host), sim_us)},
                    {"from_host_busy_fraction", fraction(busy(card.from_host), sim_us)}});
  }
  nlohmann::json stats = {{"links", link_stats(r, sim_us, detail)},
                          {"switches", switch_totals(r, sys.fabric(), detail)},
                          {"nic", nic_stats(r, detail)},
          {"busiest_engine_fraction", std::move(busiest)},
          {"hbm", std::move(hbm)},
          {"pcie", std::move(pcie)}};
  if (detail) stats["engines"] = std::move(engines);
  return stats;
}

void print_run_stats(const nlohmann::json& s, std::ostream& out) {
  const auto& l = s["links"];
  const auto& sw = s["switches"];
  const auto& n = s["nic"];
  out << fmt::format("stats: links {} directions, busiest {:.1f}%, mean {:.1f}%; {} frames ({} lost, {} corrupted, {} cut); "
                     "PFC pauses {}; switch drops {}, ECN marks {}\n",
                     l["directions"].get<uint64_t>(), 100 * l["max_utilisation_fraction"].get<double>(),
                     100 * l["mean_utilisation_fraction"].get<double>(), l["frames"].get<uint64_t>(),
                     l["lost"].get<uint64_t>(), l["corrupted"].get<uint64_t>(), l["cut_when_down"].get<uint64_t>(),
                     l["pause_frames_sent"].get<uint64_t>(), sw["drops"].get<uint64_t>(), sw["ecn_marked"].get<uint64_t>());
  out << fmt::format("       NIC retransmissions {}, NAKs {}, timeouts {}, QPs in error {}\n",
                     n["retransmissions"].get<uint64_t>(), n["naks_received"].get<uint64_t>(),
                     n["timeouts"].get<uint64_t>(), n["qps_in_error"].get<uint64_t>());
  double hbm_max = 0, up_max = 0, down_max = 0;
  for (const auto& h : s["hbm"]) hbm_max = std::max(hbm_max, h["mean_gbyte_s"].get<double>());
  for (const auto& p : s["pcie"]) {
    up_max = std::max(up_max, p["to_host_busy_fraction"].get<double>());
    down_max = std::max(down_max, p["from_host_busy_fraction"].get<double>());
  }
  std::string busy;
  for (const auto& [kind, v] : s["busiest_engine_fraction"].items())
    busy += fmt::format("{}{} {:.1f}%", busy.empty() ? "" : ", ", kind, 100 * v.get<double>());
  out << fmt::format("       busiest engine: {}; HBM up to {:.1f} GB/s mean; PCIe busy up to {:.1f}% to host, {:.1f}% from host\n",
                     busy.empty() ? "none" : busy, hbm_max, 100 * up_max, 100 * down_max);
}

}  // namespace gs
