// Builds the simulated world from the parameters: hosts, their cards on each host's PCI
// bus, and (later) the fabric between cards.
#pragma once
#include <memory>
#include <set>
#include <vector>

#include "models/card/card.hpp"
#include "testbench/faults/fault_injector.hpp"
#include "testbench/host/host.hpp"
#include "testbench/host/logger.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/topology/fabric.hpp"

namespace gs {

class System {
 public:
  explicit System(const SimParams& p, bool echo_log = true);
  ~System();

  const SimParams& params() const { return p_; }
  Logger& logger() { return log_; }
  std::vector<std::unique_ptr<Host>>& hosts() { return hosts_; }
  std::vector<std::unique_ptr<Card>>& cards() { return cards_; }  // global order
  Card& card(unsigned host, unsigned local) { return *cards_[host * p_.topology.cards + local]; }
  Fabric& fabric() { return *fabric_; }  // links, switches, third-party NICs between the cards
  FaultInjector* faults() { return faults_.get(); }  // null when no fault is scripted

  // Run until every process is done or sim.max_time_ms passes. False on the time guard.
  bool run();

 private:
  const SimParams& p_;
  Logger log_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<std::unique_ptr<Card>> cards_;
  std::unique_ptr<Fabric> fabric_;
  std::unique_ptr<FaultInjector> faults_;
};

// Parses fault.no_boot_cards ("3,5"); throws ConfigError naming the key on bad input.
std::set<unsigned> parse_card_list(const std::string& key, const std::string& text, unsigned card_count);

}  // namespace gs
