// The card's power figures: the board limit the driver reports, and an energy model that
// charges idle power over time plus each engine's extra power over its busy time and HBM
// energy per byte (power.* keys, all assumptions but the limit: docs/calibration.md). The
// firmware reports them (CPU-CP POWER_GET, TOTAL_ENERGY_GET, MAX_POWER_GET).
// Busy time is counted when a job ends, so a job still running is charged at its end.
// A first-order thermal model turns that power into the die temperature the firmware's
// sensor reports, and the PSOC clock registers the driver reads live here too.
#include <cmath>

#include "models/card/card.hpp"
#include "models/common/time.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"

namespace gs {

double Card::energy_j() const {
  const PowerParams& p = cp_.power;
  if (!p.model) return 0;
  double j = p.idle_w * sc_core::sc_time_stamp().to_seconds();
  for (const TpcCore* t : tpc_cores_) j += p.tpc_w * t->busy_time().to_seconds();
  for (const MmeEngine* m : mme_engines_) j += p.mme_w * m->busy_time().to_seconds();
  for (const DmaCore* d : dma_cores_) j += p.dma_w * d->busy_time().to_seconds();
  j += p.hbm_pj_per_byte * 1e-12 * double(hbm_.server().bytes_served());
  return j;
}

double Card::power_w() const {
  const PowerParams& p = cp_.power;
  if (!p.model) return 0;
  double w = p.idle_w;
  for (const TpcCore* t : tpc_cores_) w += t->idle() ? 0 : p.tpc_w;
  for (const MmeEngine* m : mme_engines_) w += m->idle() ? 0 : p.mme_w;
  for (const DmaCore* d : dma_cores_) w += d->idle() ? 0 : p.dma_w;
  return w;
}

// The die follows the power it draws with one thermal resistance to ambient and one time
// constant: between two reads the average power P gives the steady state T_amb + P * R, and
// the temperature moves towards it by 1 - exp(-dt / tau). Exact while power is constant
// between reads; the card starts at its idle steady state.
double Card::temperature_c() {
  const PowerParams& p = cp_.power;
  const double now = sc_core::sc_time_stamp().to_seconds(), e = energy_j();
  if (!temp_known_) temp_c_ = p.ambient_c + (p.model ? p.idle_w : 0) * p.thermal_c_per_w;
  temp_known_ = true;
  const double dt = now - temp_at_s_;
  if (dt > 0) {
    const double steady = p.ambient_c + (e - temp_energy_j_) / dt * p.thermal_c_per_w;
    temp_c_ = steady + (temp_c_ - steady) * std::exp(-dt / p.thermal_tau_s);
  }
  temp_at_s_ = now;
  temp_energy_j_ = e;
  return temp_c_;
}

void Card::build_psoc_clocks() {
  clocks_ = std::make_unique<PsocClocks>(std::string(name()) + ".psoc", ns(cp_.reg_latency_ns), cp_.cpu_clock_mhz);
  map_cfg_block(GAUDI_BLK_PSOC_CPU_PLL, 0x1000, clocks_->pll_regs(), "psoc_cpu_pll");
  map_cfg_block(GAUDI_BLK_PSOC_TIMESTAMP, 0x1000, clocks_->timestamp_regs(), "psoc_timestamp");
  on_hard_reset([this] { clocks_->reset(); });
  cpu_->read_temperature_c = [this](unsigned) { return temperature_c(); };
}

}  // namespace gs
