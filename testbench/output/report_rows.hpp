// The counters the end-of-run report reads: one row per card, switch, third-party NIC and
// link direction, in global order. A process fills the rows of what it built; the reporter
// of a partitioned run merges in the other ranks' rows (the same JSON, sent over MPI), so
// the report never reads a model object and every rank builds only its own share. Rows
// hold integers and strings (times in ps), so they cross processes exactly.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gs {

class System;

struct ReportRows {
  std::vector<nlohmann::json> cards, switches, third_party;  // null: not simulated here
  // Per link, 2 * cable + (0: a->b, 1: b->a): the sender's side (its Link and egress
  // counters, from/to, line rate) and the frames delivered (counted by the receiver).
  std::vector<nlohmann::json> senders;
  std::vector<nlohmann::json> delivered;

  // What this process simulated: cards built, switches and NICs built, each link's
  // sender side where the sender is built and delivered count where the receiver is.
  static ReportRows collect(System& sys);
  nlohmann::json to_json() const;
  // Fills the rows that are null here from `other` (another rank's to_json()).
  // Throws std::runtime_error if the shapes differ or a row is present in both.
  void merge(const nlohmann::json& other);
};

}  // namespace gs
