#include "testbench/system.hpp"

#include <algorithm>

#include "models/common/time.hpp"
#include "specs/gaudi/cpucp.h"
#include "testbench/config/config_error.hpp"
#include "testbench/host/huge_heap.hpp"
#include "testbench/output/report_rows.hpp"
#include "testbench/partition/partition.hpp"

namespace gs {

std::set<unsigned> parse_card_list(const std::string& key, const std::string& text, unsigned card_count) {
  std::set<unsigned> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(',', i);
    std::string item = text.substr(i, j == std::string::npos ? std::string::npos : j - i);
    i = j == std::string::npos ? text.size() : j + 1;
    if (item.empty()) continue;
    size_t used = 0;
    unsigned long v = 0;
    try {
      v = std::stoul(item, &used);
    } catch (...) {
      used = 0;
    }
    if (used != item.size() || v >= card_count)
      throw ConfigError("config: key '" + key + "' = '" + text + "': '" + item +
                        "' is not a card index in 0.." + std::to_string(card_count - 1));
    out.insert(unsigned(v));
  }
  return out;
}

System::System(const SimParams& p, bool echo_log) : p_(p), log_(parse_log_level(p.sim.log_level), echo_log, p.sim.log_keep_lines) {
  build();
}

System::System(const SimParams& p, Partition& partition)
    : p_(p), partition_(&partition), local_(partition.local_hosts()),
      log_(parse_log_level(p.sim.log_level), true, p.sim.log_keep_lines) {
  build();
  partition.attach(*this);
}

std::unique_ptr<hlcomm::InProcessGroup> System::make_bootstrap_group(int size) {
  // Its waiting goes through an os layer: the first host built here (all share SystemC time).
  auto first = std::find_if(hosts_.begin(), hosts_.end(), [](const std::unique_ptr<Host>& h) { return h != nullptr; });
  auto g = std::make_unique<hlcomm::InProcessGroup>((*first)->os(), size, uint64_t(p_.sim.bootstrap_latency_ns));
  if (partition_ || p_.sim.bootstrap_latency_ns > 0) bootstrap_network().add_group(*g);
  return g;
}

BootstrapNetwork& System::bootstrap_network() {
  if (!bootstrap_) {
    bootstrap_ = std::make_unique<BootstrapNetwork>("bootstrap_network");
    if (partition_) partition_->connect(*bootstrap_);
  }
  return *bootstrap_;
}

void System::build() {
  const SimParams& p = p_;
  unsigned total = p.topology.hosts * p.topology.cards;
  std::set<unsigned> dead = parse_card_list("fault.no_boot_cards", p.card.no_boot_cards, total);
  if (p.card.name.size() >= GAUDI_CPUCP_CARD_NAME_LEN)  // cpucp_info's card_name, NUL included
    throw ConfigError("config: key 'card.name' = '" + p.card.name + "': at most " +
                      std::to_string(GAUDI_CPUCP_CARD_NAME_LEN - 1) + " characters (cpucp_info card_name)");
  for (unsigned h = 0; h < p.topology.hosts; ++h) {
    if (partition_ && !partition_->builds_host(h)) {  // another rank's: global indices, nothing built
      hosts_.emplace_back();
      cards_.resize(cards_.size() + p.topology.cards);
      continue;
    }
    std::string name = "host" + std::to_string(h);
    hosts_.push_back(std::make_unique<Host>(name.c_str(), h, p.pcie, p.driver, log_, local_host(h)));
    for (unsigned c = 0; c < p.topology.cards; ++c) {
      unsigned g = h * p.topology.cards + c;
      std::string cname = "card" + std::to_string(g);
      cards_.push_back(std::make_unique<Card>(cname.c_str(), p.card, p.pcie, g, dead.count(g) > 0));
      advise_huge_heap();
      hosts_.back()->attach(*cards_.back());
      if (unsigned lead = c % p.pcie.cards_per_link)  // behind the same PCIe switch as card g - lead
        cards_.back()->pcie().share_link(cards_[g - lead]->pcie());
    }
  }
  Fabric::NodeFilter builds;
  if (partition_) builds = [this](const PortRef& node) { return partition_->builds(node); };
  fabric_ = std::make_unique<Fabric>("fabric", p, cards_, builds);  // after the cards: it cables their NIC ports
  advise_huge_heap();
  std::vector<FaultAction> faults = load_fault_actions(p);
  if (!faults.empty())
    faults_ = std::make_unique<FaultInjector>("faults", *this, std::move(faults), p.fault.seed ? p.fault.seed : p.sim.seed);
}

// The same order as the members' own (faults, fabric, cards, hosts), but the last card and
// host first: SystemC looks for a module it forgets from the end of its registry, so going
// from the first card walked the whole registry for each of the ~50 modules per card
// (quadratic: sc_module_registry::remove, 38 % of the samples at the end of a 4096-card run).
System::~System() {
  faults_.reset();
  fabric_.reset();
  while (!cards_.empty()) cards_.pop_back();
  while (!hosts_.empty()) hosts_.pop_back();
}

bool System::run() {
  // Stop when nothing is left to happen (every process done or blocked for good), or at
  // the time guard, whichever comes first.
  const sc_core::sc_time guard = us(p_.sim.max_time_ms * 1000);
  sc_core::sc_start(guard, sc_core::SC_EXIT_ON_STARVATION);
  const bool pending = sc_core::sc_pending_activity();
  // Stopped by the guard: the kernel returns at the last event before it; nothing happens
  // in between, so let time reach the guard the messages and the record speak of.
  if (pending && sc_core::sc_time_stamp() < guard)
    sc_core::sc_start(guard - sc_core::sc_time_stamp(), sc_core::SC_RUN_TO_TIME);
  return !pending;
}

const ReportRows& System::report_rows() {
  if (!rows_merged_) rows_ = std::make_unique<ReportRows>(ReportRows::collect(*this));
  return *rows_;
}

void System::set_report_rows(ReportRows rows) {
  rows_ = std::make_unique<ReportRows>(std::move(rows));
  rows_merged_ = true;
}

}  // namespace gs
