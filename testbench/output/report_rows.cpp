#include "testbench/output/report_rows.hpp"

#include <stdexcept>

#include "models/card/card.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "testbench/system.hpp"

namespace gs {
namespace {

// The NIC counters a row carries (the rest stay on the card), in their wire order.
constexpr uint64_t NicCounters::*kNicFields[] = {
    &NicCounters::tx_frames,       &NicCounters::tx_bytes,         &NicCounters::rx_frames,
    &NicCounters::rx_bytes,        &NicCounters::tx_payload_bytes, &NicCounters::rx_payload_bytes,
    &NicCounters::retransmissions, &NicCounters::naks_sent,        &NicCounters::naks_received,
    &NicCounters::timeouts,        &NicCounters::rx_drops,         &NicCounters::qp_errors,
    &NicCounters::pause_received};
constexpr uint64_t QpStats::*kQpFields[] = {&QpStats::payload_bytes_sent, &QpStats::retransmissions,
                                            &QpStats::naks_sent, &QpStats::naks_received, &QpStats::timeouts};
constexpr uint64_t LinkStats::*kLinkFields[] = {&LinkStats::frames,    &LinkStats::bytes,        &LinkStats::lost,
                                                &LinkStats::corrupted, &LinkStats::dropped_down, &LinkStats::cut};
constexpr uint64_t EgressStats::*kEgressFields[] = {&EgressStats::frames, &EgressStats::bytes, &EgressStats::drops,
                                                    &EgressStats::pause_frames_sent, &EgressStats::max_queued_bytes};

ServerRow server_row(const BandwidthServer& s) { return {s.bytes_served(), s.busy_time().value()}; }

NicRow nic_row(const NicPort& port) {
  NicRow r;
  r.counters = port.counters();
  r.qps.reserve(port.qps().size());
  for (const auto& [qpn, q] : port.qps()) r.qps.push_back({qpn, q.syndrome, q.error, q.stats});
  return r;
}

template <class Engine>
std::vector<EngineRow> engine_rows(unsigned n, Engine engine) {
  std::vector<EngineRow> rows(n);
  for (unsigned i = 0; i < n; ++i) rows[i] = {engine(i).busy_time().value(), engine(i).bytes_moved()};
  return rows;
}

CardRow card_row(Card& card) {
  CardRow r;
  r.dma = engine_rows(card.dma_count(), [&](unsigned i) -> auto& { return card.dma_core(i); });
  r.tpc = engine_rows(card.tpc_count(), [&](unsigned i) -> auto& { return card.tpc(i); });
  r.mme = engine_rows(card.mme_count(), [&](unsigned i) -> auto& { return card.mme(i); });
  r.hbm = server_row(card.hbm().server());
  r.to_host = server_row(card.pcie().upstream());
  r.from_host = server_row(card.pcie().downstream());
  r.nic.reserve(card.nic_ports());
  for (unsigned p = 0; p < card.nic_ports(); ++p) r.nic.push_back(nic_row(card.nic(p)));
  return r;
}

// Wire form (MPI gather of a partitioned run): arrays in a fixed order, null for a missing row.
template <class T, size_t N>
nlohmann::json fields_json(const T& v, uint64_t T::*const (&fields)[N]) {
  nlohmann::json a = nlohmann::json::array();
  for (auto f : fields) a.push_back(v.*f);
  return a;
}
template <class T, size_t N>
void fields_from(T& v, uint64_t T::*const (&fields)[N], const nlohmann::json& a, size_t first = 0) {
  if (!a.is_array() || a.size() < first + N) throw std::runtime_error("report rows: a counter row is too short");
  for (size_t i = 0; i < N; ++i) v.*fields[i] = a[first + i].get<uint64_t>();
}

nlohmann::json engines_json(const std::vector<EngineRow>& rows) {
  nlohmann::json a = nlohmann::json::array();
  for (const EngineRow& e : rows) a.push_back({e.busy_ps, e.bytes});
  return a;
}
std::vector<EngineRow> engines_from(const nlohmann::json& a) {
  std::vector<EngineRow> rows;
  for (const nlohmann::json& e : a) rows.push_back({e.at(0).get<uint64_t>(), e.at(1).get<uint64_t>()});
  return rows;
}
nlohmann::json server_json(const ServerRow& s) { return {s.bytes, s.busy_ps}; }
ServerRow server_from(const nlohmann::json& a) { return {a.at(0).get<uint64_t>(), a.at(1).get<uint64_t>()}; }

nlohmann::json card_json(const CardRow& c) {
  nlohmann::json nic = nlohmann::json::array();
  for (const NicRow& n : c.nic) {
    nlohmann::json qps = nlohmann::json::array();
    for (const QpRow& q : n.qps) {
      nlohmann::json row = {q.qpn, q.syndrome, q.error};
      for (const nlohmann::json& v : fields_json(q.stats, kQpFields)) row.push_back(v);
      qps.push_back(std::move(row));
    }
    nic.push_back({fields_json(n.counters, kNicFields), std::move(qps)});
  }
  return {engines_json(c.dma), engines_json(c.tpc),      engines_json(c.mme),      server_json(c.hbm),
          server_json(c.to_host), server_json(c.from_host), std::move(nic)};
}

CardRow card_from(const nlohmann::json& j) {
  CardRow c;
  c.dma = engines_from(j.at(0)), c.tpc = engines_from(j.at(1)), c.mme = engines_from(j.at(2));
  c.hbm = server_from(j.at(3)), c.to_host = server_from(j.at(4)), c.from_host = server_from(j.at(5));
  for (const nlohmann::json& n : j.at(6)) {
    NicRow r;
    fields_from(r.counters, kNicFields, n.at(0));
    for (const nlohmann::json& q : n.at(1)) {
      QpRow row{q.at(0).get<uint32_t>(), q.at(1).get<uint32_t>(), q.at(2).get<bool>(), {}};
      fields_from(row.stats, kQpFields, q, 3);
      r.qps.push_back(row);
    }
    c.nic.push_back(std::move(r));
  }
  return c;
}

nlohmann::json sender_json(const SenderRow& s) {
  nlohmann::json j = {s.from, s.to, fields_json(s.link, kLinkFields)};
  if (s.has_egress) {
    nlohmann::json e = fields_json(s.egress, kEgressFields);
    e.push_back(s.egress.paused_time.value());
    j.push_back({s.gbps, std::move(e)});
  }
  return j;
}

SenderRow sender_from(const nlohmann::json& j) {
  SenderRow s;
  s.from = j.at(0).get<std::string>(), s.to = j.at(1).get<std::string>();
  fields_from(s.link, kLinkFields, j.at(2));
  if (j.size() > 3) {
    s.has_egress = true;
    s.gbps = j[3].at(0).get<double>();
    const nlohmann::json& e = j[3].at(1);
    fields_from(s.egress, kEgressFields, e);
    s.egress.paused_time = sc_core::sc_time::from_value(e.at(std::size(kEgressFields)).get<uint64_t>());
  }
  return s;
}

template <class T, class ToJson>
nlohmann::json list_json(const std::vector<std::optional<T>>& rows, ToJson to_json) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : rows) a.push_back(r ? to_json(*r) : nlohmann::json());
  return a;
}

void check_shape(size_t mine, const nlohmann::json& theirs, const char* what) {
  if (!theirs.is_array() || theirs.size() != mine)
    throw std::runtime_error(std::string("report rows: the ") + what + " of another rank do not match this world");
}

template <class T>
void check_free(const T& mine, size_t i, const char* what) {
  if (mine) throw std::runtime_error(std::string("report rows: ") + what + " row " + std::to_string(i) + " came from two ranks");
}

template <class T, class FromJson>
void merge_list(std::vector<T>& mine, const nlohmann::json& theirs, const char* what, FromJson from_json) {
  check_shape(mine.size(), theirs, what);
  for (size_t i = 0; i < mine.size(); ++i) {
    if (theirs[i].is_null()) continue;
    check_free(mine[i], i, what);
    mine[i] = from_json(theirs[i]);
  }
}

void merge_json_list(std::vector<nlohmann::json>& mine, const nlohmann::json& theirs, const char* what) {
  check_shape(mine.size(), theirs, what);
  for (size_t i = 0; i < mine.size(); ++i) {
    if (theirs[i].is_null()) continue;
    check_free(!mine[i].is_null(), i, what);
    mine[i] = theirs[i];
  }
}

}  // namespace

ReportRows ReportRows::collect(System& sys) {
  ReportRows r;
  r.cards.resize(sys.cards().size());
  for (size_t c = 0; c < sys.cards().size(); ++c)
    if (sys.cards()[c]) r.cards[c] = card_row(*sys.cards()[c]);
  sys.fabric().report_rows(r);
  return r;
}

nlohmann::json ReportRows::to_json() const {
  nlohmann::json delivered_json = nlohmann::json::array();
  for (const auto& d : delivered) delivered_json.push_back(d ? nlohmann::json(*d) : nlohmann::json());
  return {{"cards", list_json(cards, card_json)},
          {"switches", switches},
          {"third_party", third_party},
          {"senders", list_json(senders, sender_json)},
          {"delivered", std::move(delivered_json)}};
}

void ReportRows::merge(const nlohmann::json& o) {
  merge_list(cards, o.at("cards"), "cards", card_from);
  merge_json_list(switches, o.at("switches"), "switches");
  merge_json_list(third_party, o.at("third_party"), "third-party NICs");
  merge_list(senders, o.at("senders"), "link senders", sender_from);
  merge_list(delivered, o.at("delivered"), "link receivers",
             [](const nlohmann::json& d) { return std::optional<uint64_t>(d.get<uint64_t>()); });
}

}  // namespace gs
