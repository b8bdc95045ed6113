// Builds the simulated world from the parameters: hosts, their cards on each host's PCI
// bus, and (later) the fabric between cards.
#pragma once
#include <memory>
#include <set>
#include <vector>

#include "driver/lib/comm/inproc_bootstrap.hpp"
#include "models/card/card.hpp"
#include "testbench/faults/fault_injector.hpp"
#include "testbench/host/bootstrap_network.hpp"
#include "testbench/host/host.hpp"
#include "testbench/host/logger.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/topology/fabric.hpp"

namespace gs {

class Partition;
struct ReportRows;

class System {
 public:
  explicit System(const SimParams& p, bool echo_log = true);
  // A partitioned run's share: the hosts, cards, switches and cut-cable ends `partition`
  // builds (null entries keep global indices); only its own hosts run software.
  System(const SimParams& p, Partition& partition);
  ~System();

  const SimParams& params() const { return p_; }
  Logger& logger() { return log_; }
  std::vector<std::unique_ptr<Host>>& hosts() { return hosts_; }
  std::vector<std::unique_ptr<Card>>& cards() { return cards_; }  // global order; null: not built here
  Card& card(unsigned host, unsigned local) { return *cards_[host * p_.topology.cards + local]; }
  Fabric& fabric() { return *fabric_; }  // links, switches, third-party NICs between the cards
  FaultInjector* faults() { return faults_.get(); }  // null when no fault is scripted
  Partition* partition() { return partition_; }      // null in a single-process run
  BootstrapNetwork& bootstrap_network();
  // This process simulates host h's software (always, unless partitioned).
  bool local_host(unsigned h) const { return local_.empty() || local_[h]; }
  bool local_card(unsigned c) const { return local_host(c / p_.topology.cards); }
  // The programs' out-of-band rendezvous (sim.bootstrap_latency_ns), relayed to the other
  // ranks of a partitioned run. Make groups in the same order on every rank.
  std::unique_ptr<hlcomm::InProcessGroup> make_bootstrap_group(int size);

  // The counters the report reads: this process's models as they are now, or, once a
  // partitioned run's reporter has merged every rank's (Partition::gather), those.
  const ReportRows& report_rows();
  void set_report_rows(ReportRows rows);

  // Run until every process is done or sim.max_time_ms passes. False on the time guard.
  bool run();

 private:
  void build();

  const SimParams& p_;
  Partition* partition_ = nullptr;
  std::vector<bool> local_;
  Logger log_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<std::unique_ptr<Card>> cards_;
  std::unique_ptr<Fabric> fabric_;
  std::unique_ptr<FaultInjector> faults_;
  std::unique_ptr<BootstrapNetwork> bootstrap_;
  std::unique_ptr<ReportRows> rows_;
  bool rows_merged_ = false;  // made with the first group that needs it
};

// Parses fault.no_boot_cards ("3,5"); throws ConfigError naming the key on bad input.
std::set<unsigned> parse_card_list(const std::string& key, const std::string& text, unsigned card_count);

}  // namespace gs
