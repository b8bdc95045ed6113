// Injects the faults of the fault script into the hardware models at their simulated times
// (links, switch ports, NIC ports, DMA engines, HBM, device CPU) and gathers what came of
// them for the run's record. The driver only learns of a fault the way it would on real
// hardware: events, interrupts, registers, timeouts.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <systemc>
#include <vector>

#include "testbench/faults/fault_script.hpp"

namespace gs {

class System;

class FaultInjector : public sc_core::sc_module {
 public:
  FaultInjector(sc_core::sc_module_name name, System& sys, std::vector<FaultAction> actions, uint64_t seed);

  // Faults injected so far, by name ("link_down": 3, ...), and the per-card outcome.
  nlohmann::json stats();
  uint64_t injected(FaultKind k) const;

 private:
  struct Step {
    double at_us;
    unsigned order;  // script order breaks ties
    FaultAction action;
    bool on = true;  // link up / storm on; false: link down / storm over
  };
  void expand(const FaultAction& a);
  void run();  // SC_THREAD
  void apply(const Step& s);

  System& sys_;
  std::mt19937_64 rng_;
  std::vector<Step> steps_;
  std::map<std::string, uint64_t> injected_;
  nlohmann::json log_ = nlohmann::json::array();
};

}  // namespace gs
