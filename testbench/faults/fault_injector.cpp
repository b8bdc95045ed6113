#include "testbench/faults/fault_injector.hpp"

#include <algorithm>

#include "models/common/time.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "models/fabric/pfc.hpp"
#include "models/nic/nic_port.hpp"
#include "specs/gaudi/regs.h"
#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "testbench/system.hpp"

namespace gs {

FaultInjector::FaultInjector(sc_core::sc_module_name name, System& sys, std::vector<FaultAction> actions, uint64_t seed)
    : sc_module(name), sys_(sys), rng_(seed) {
  for (const FaultAction& a : actions) expand(a);
  std::stable_sort(steps_.begin(), steps_.end(), [](const Step& x, const Step& y) { return x.at_us < y.at_us; });
  SC_HAS_PROCESS(FaultInjector);
  SC_THREAD(run);
}

// Flaps become alternating downs and ups, storms an on and (with a duration) an off; the
// random parts (jitter, the HBM word) are drawn here, in script order, from fault.seed.
void FaultInjector::expand(const FaultAction& a) {
  const unsigned order = unsigned(steps_.size());
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  if (a.kind == FaultKind::link_flap) {
    double t = a.at_us;
    for (unsigned i = 0; i < a.count; ++i) {
      steps_.push_back(Step{t, order, a, false});
      t += a.down_us * (1 + a.jitter * u(rng_));
      steps_.push_back(Step{t, order, a, true});
      t += a.up_us * (1 + a.jitter * u(rng_));
    }
    return;
  }
  Step s{a.at_us, order, a, a.kind != FaultKind::link_down};
  if (a.kind == FaultKind::hbm_flip && a.range) s.action.addr += (rng_() % (a.range / 8 + 1)) * 8;
  steps_.push_back(s);
  if (a.kind == FaultKind::pause_storm && a.duration_us > 0) steps_.push_back(Step{a.at_us + a.duration_us, order, a, false});
}

void FaultInjector::run() {
  for (const Step& s : steps_) {
    const sc_core::sc_time at = us(s.at_us);
    if (at > sc_core::sc_time_stamp()) wait(at - sc_core::sc_time_stamp());
    apply(s);
  }
}

void FaultInjector::apply(const Step& s) {
  const FaultAction& a = s.action;
  const PortRef& t = a.target;
  std::string what = fault_name(a.kind);
  switch (a.kind) {
    case FaultKind::link_down:
    case FaultKind::link_up:
    case FaultKind::link_flap:
      sys_.fabric().set_link_up(t, s.on);
      what = s.on ? "link_up" : "link_down";
      break;
    case FaultKind::pause_storm: {
      NetPort& port = sys_.fabric().switch_at(t.index).port(t.port);
      port.egress().send_control(make_pause_frame(port.mac(), a.prio_mask, s.on));
      if (!s.on) what = "pause_storm_end";
      break;
    }
    case FaultKind::nic_hang: sys_.cards()[t.index]->nic(t.port).hang(); break;
    case FaultKind::engine_hang: {
      Card& card = *sys_.cards()[t.index];
      if (a.engine == EngineKind::tpc) card.tpc(t.port).hang();
      else if (a.engine == EngineKind::mme) card.mme(t.port).hang();
      else card.dma_core(t.port).hang();
      break;
    }
    case FaultKind::pcie_timeout: {
      const sc_core::sc_time until = a.duration_us > 0 ? sc_core::sc_time_stamp() + us(a.duration_us) : sc_core::sc_max_time();
      sys_.cards()[t.index]->pcie().drop_read_completions(until);
      break;
    }
    case FaultKind::hbm_flip: sys_.cards()[t.index]->hbm().flip_bits(a.addr - GAUDI_DRAM_PHYS_BASE, a.bits); break;
    case FaultKind::cpu_hang: sys_.cards()[t.index]->cpu().hang(); break;
  }
  ++injected_[what];
  nlohmann::json entry = {{"at_us", sc_core::sc_time_stamp().to_seconds() * 1e6}, {"fault", what}, {"target", a.target_text}};
  if (a.kind == FaultKind::hbm_flip) entry["addr"] = a.addr, entry["bits"] = a.bits;
  log_.push_back(entry);
}

uint64_t FaultInjector::injected(FaultKind k) const {
  auto it = injected_.find(fault_name(k));
  return it == injected_.end() ? 0 : it->second;
}

nlohmann::json FaultInjector::stats() {
  nlohmann::json cards = nlohmann::json::array();
  const unsigned per_host = sys_.params().topology.cards;
  for (unsigned c = 0; c < sys_.cards().size(); ++c) {
    Card& card = *sys_.cards()[c];
    nlohmann::json j = {{"card", c},
                        {"ecc_corrected", card.hbm().ecc_corrected()},
                        {"ecc_uncorrectable", card.hbm().ecc_uncorrectable()},
                        {"events_lost", card.cpu().events_lost()},
                        {"pcie_completion_timeouts", card.pcie().completion_timeouts()}};
    uint64_t qp_errors = 0, retrans = 0, timeouts = 0, pauses = 0;
    for (unsigned p = 0; p < card.nic_ports(); ++p) {
      const NicCounters& n = card.nic(p).counters();
      qp_errors += n.qp_errors, retrans += n.retransmissions, timeouts += n.timeouts, pauses += n.pause_received;
    }
    j["nic_qp_errors"] = qp_errors, j["nic_retransmissions"] = retrans, j["nic_timeouts"] = timeouts;
    j["nic_pause_frames_received"] = pauses;
    if (hl::HlDevice* d = sys_.hosts()[c / per_host]->driver().device(c % per_host)) {
      j["driver_hard_resets"] = d->hard_resets();
      j["heartbeats"] = d->heartbeats_sent();
      j["heartbeat_failures"] = d->heartbeat_failures();
      if (!d->last_reset_reason().empty()) j["last_reset_reason"] = d->last_reset_reason();
    }
    cards.push_back(j);
  }
  return {{"injected", injected_}, {"log", log_}, {"cards", cards}};
}

}  // namespace gs
