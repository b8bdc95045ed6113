// The card's power figures: the board limit the driver reports, and an energy model that
// charges idle power over time plus each engine's extra power over its busy time and HBM
// energy per byte (power.* keys, all assumptions but the limit: docs/calibration.md).
// Busy time is counted when a job ends, so a job still running is charged at its end.
#include <cmath>

#include "models/card/card.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "specs/gaudi/sim_blocks.h"

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

void Card::add_power_registers() {
  info_.add(GSIM_CARD_INFO_MAX_POWER_MW, "MAX_POWER_MW", uint32_t(std::lround(cp_.power.max_w * 1000)), false);
  info_.add(GSIM_CARD_INFO_POWER_MW, "POWER_MW", 0, false).on_read = [this](const RegBank::Reg&) {
    return uint32_t(std::lround(power_w() * 1000));
  };
  // A 64-bit counter read as two words: reading LO latches HI, so the pair is consistent.
  info_.add(GSIM_CARD_INFO_ENERGY_HI, "ENERGY_HI", 0, false);
  info_.add(GSIM_CARD_INFO_ENERGY_LO, "ENERGY_LO", 0, false).on_read = [this](const RegBank::Reg&) {
    const uint64_t mj = uint64_t(std::llround(energy_j() * 1000));
    info_.set(GSIM_CARD_INFO_ENERGY_HI, uint32_t(mj >> 32));
    return uint32_t(mj);
  };
}

}  // namespace gs
