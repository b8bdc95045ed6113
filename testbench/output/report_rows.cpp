#include "testbench/output/report_rows.hpp"

#include <stdexcept>

#include "models/card/card.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "models/nic/nic_port.hpp"
#include "testbench/system.hpp"

namespace gs {
namespace {

nlohmann::json server_row(const BandwidthServer& s) { return {s.bytes_served(), s.busy_time().value()}; }

nlohmann::json nic_row(const NicPort& port) {
  const NicCounters& n = port.counters();
  nlohmann::json qps = nlohmann::json::array();
  for (const auto& [qpn, q] : port.qps()) {
    const QpStats& s = q.stats;
    qps.push_back({qpn, q.error, q.syndrome, s.payload_bytes_sent, s.retransmissions, s.naks_sent, s.naks_received,
                   s.timeouts});
  }
  return {{"tx_frames", n.tx_frames},
          {"tx_bytes", n.tx_bytes},
          {"rx_frames", n.rx_frames},
          {"rx_bytes", n.rx_bytes},
          {"tx_payload_bytes", n.tx_payload_bytes},
          {"rx_payload_bytes", n.rx_payload_bytes},
          {"retransmissions", n.retransmissions},
          {"naks_sent", n.naks_sent},
          {"naks_received", n.naks_received},
          {"timeouts", n.timeouts},
          {"rx_drops", n.rx_drops},
          {"qp_errors", n.qp_errors},
          {"pause_received", n.pause_received},
          {"qps", std::move(qps)}};
}

// Engines as [busy ps, bytes] by kind and index; HBM and PCIe as [bytes, busy ps].
nlohmann::json card_row(Card& card) {
  nlohmann::json dma = nlohmann::json::array(), tpc = nlohmann::json::array(), mme = nlohmann::json::array();
  for (unsigned i = 0; i < card.dma_count(); ++i) dma.push_back({card.dma_core(i).busy_time().value(), card.dma_core(i).bytes_moved()});
  for (unsigned i = 0; i < card.tpc_count(); ++i) tpc.push_back({card.tpc(i).busy_time().value(), card.tpc(i).bytes_moved()});
  for (unsigned i = 0; i < card.mme_count(); ++i) mme.push_back({card.mme(i).busy_time().value(), card.mme(i).bytes_moved()});
  nlohmann::json nic = nlohmann::json::array();
  for (unsigned p = 0; p < card.nic_ports(); ++p) nic.push_back(nic_row(card.nic(p)));
  return {{"dma", std::move(dma)},
          {"tpc", std::move(tpc)},
          {"mme", std::move(mme)},
          {"hbm", server_row(card.hbm().server())},
          {"to_host", server_row(card.pcie().upstream())},
          {"from_host", server_row(card.pcie().downstream())},
          {"nic", std::move(nic)}};
}

void merge_list(std::vector<nlohmann::json>& mine, const nlohmann::json& theirs, const char* what) {
  if (!theirs.is_array() || theirs.size() != mine.size())
    throw std::runtime_error(std::string("report rows: the ") + what + " of another rank do not match this world");
  for (size_t i = 0; i < mine.size(); ++i) {
    if (theirs[i].is_null()) continue;
    if (!mine[i].is_null())
      throw std::runtime_error(std::string("report rows: ") + what + " row " + std::to_string(i) + " came from two ranks");
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
  return {{"cards", cards}, {"switches", switches}, {"third_party", third_party}, {"senders", senders}, {"delivered", delivered}};
}

void ReportRows::merge(const nlohmann::json& o) {
  merge_list(cards, o.at("cards"), "cards");
  merge_list(switches, o.at("switches"), "switches");
  merge_list(third_party, o.at("third_party"), "third-party NICs");
  merge_list(senders, o.at("senders"), "link senders");
  merge_list(delivered, o.at("delivered"), "link receivers");
}

}  // namespace gs
