// The counters the end-of-run report reads: one row per card, switch, third-party NIC and
// link direction, in global order. A process fills the rows of what it built; the reporter
// of a partitioned run merges in the other ranks' rows (sent over MPI as JSON), so the
// report never reads a model object and every rank builds only its own share. Card and
// link rows are plain structs (a 128-card run has thousands: JSON objects per row cost more
// than the report); they hold integers and strings (times in ps), so they cross processes
// exactly.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/fabric/egress_port.hpp"
#include "models/fabric/link.hpp"
#include "models/nic/nic_port.hpp"

namespace gs {

class System;

struct ServerRow {
  uint64_t bytes = 0, busy_ps = 0;
};
struct EngineRow {
  uint64_t busy_ps = 0, bytes = 0;
};
struct QpRow {
  uint32_t qpn = 0, syndrome = 0;
  bool error = false;
  QpStats stats;
};
struct NicRow {
  NicCounters counters;  // the fields the report reads (report_rows.cpp: nic_json)
  std::vector<QpRow> qps;
};
struct CardRow {
  std::vector<EngineRow> dma, tpc, mme;
  ServerRow hbm, to_host, from_host;
  std::vector<NicRow> nic;
};
// The sender's side of one link direction.
struct SenderRow {
  std::string from, to;  // PortRef::text()
  LinkStats link;        // delivered is the receiver's: ReportRows::delivered
  bool has_egress = false;  // the sender has a transmitter (a NIC or switch port)
  double gbps = 0;
  EgressStats egress;
};

struct ReportRows {
  std::vector<std::optional<CardRow>> cards;  // empty: not simulated here
  std::vector<nlohmann::json> switches, third_party;  // null: not simulated here
  // Per link, 2 * cable + (0: a->b, 1: b->a): the sender's side (its Link and egress
  // counters, from/to, line rate) and the frames delivered (counted by the receiver).
  std::vector<std::optional<SenderRow>> senders;
  std::vector<std::optional<uint64_t>> delivered;

  // What this process simulated: cards built, switches and NICs built, each link's
  // sender side where the sender is built and delivered count where the receiver is.
  static ReportRows collect(System& sys);
  nlohmann::json to_json() const;
  // Fills the rows that are missing here from `other` (another rank's to_json()).
  // Throws std::runtime_error if the shapes differ or a row is present in both.
  void merge(const nlohmann::json& other);
};

}  // namespace gs
