#include "models/cpu/psoc_clocks.hpp"

#include <cmath>

#include "specs/gaudi/regs.h"

namespace gs {

// CPU PLL: f_pll = ref * (NF + 1) / ((NR + 1) * (OD + 1)); output 2 selects the reference,
// the PLL, or either divided by DIV_FACTOR_2 + 1 (the driver's decoding, public). Output 2
// is taken as the plain 50 MHz reference (assumption: the timestamp clock of a real card is
// not published), so the counter ticks at 50 MHz.
PsocClocks::PsocClocks(const std::string& name, sc_core::sc_time reg_latency, double cpu_mhz)
    : pll_(name + ".cpu_pll", reg_latency), timestamp_(name + ".timestamp", reg_latency) {
  const uint32_t nf = uint32_t(std::max(1.0, std::round(cpu_mhz / GAUDI_PLL_REF_CLK_MHZ))) - 1;
  pll_.add(mmPSOC_CPU_PLL_NR - GAUDI_BLK_PSOC_CPU_PLL, "NR", 0, false);
  pll_.add(mmPSOC_CPU_PLL_NF - GAUDI_BLK_PSOC_CPU_PLL, "NF", nf, false);
  pll_.add(mmPSOC_CPU_PLL_OD - GAUDI_BLK_PSOC_CPU_PLL, "OD", 0, false);
  pll_.add(mmPSOC_CPU_PLL_DIV_FACTOR_2 - GAUDI_BLK_PSOC_CPU_PLL, "DIV_FACTOR_2", 0, false);
  pll_.add(mmPSOC_CPU_PLL_DIV_SEL_2 - GAUDI_BLK_PSOC_CPU_PLL, "DIV_SEL_2", GAUDI_PLL_DIV_SEL_REF_CLK, false);

  auto off = [](uint32_t reg) { return reg - GAUDI_BLK_PSOC_TIMESTAMP; };
  timestamp_.add(off(mmPSOC_TIMESTAMP_CNTCR), "CNTCR").on_write = [this](RegBank::Reg& r, sc_core::sc_time d) {
    // Enabling starts counting from the stored value; disabling freezes it.
    const bool on = r.value & 1u;
    if (enabled_ && !on) base_ = counter();
    if (!enabled_ && on) since_ = sc_core::sc_time_stamp() + d;
    enabled_ = on;
  };
  timestamp_.add(off(mmPSOC_TIMESTAMP_CNTCVL), "CNTCVL").on_read = [this](const RegBank::Reg&) {
    return uint32_t(counter());
  };
  timestamp_.add(off(mmPSOC_TIMESTAMP_CNTCVU), "CNTCVU").on_read = [this](const RegBank::Reg&) {
    return uint32_t(counter() >> 32);
  };
  // Writing either half sets that half of the counter (the driver zeroes both before enabling).
  auto write_half = [this](bool upper) {
    return [this, upper](RegBank::Reg& r, sc_core::sc_time) {
      uint64_t v = counter();
      v = upper ? (v & 0xffffffffull) | uint64_t(r.value) << 32 : (v & ~0xffffffffull) | r.value;
      base_ = v;
      since_ = sc_core::sc_time_stamp();
    };
  };
  timestamp_.find(off(mmPSOC_TIMESTAMP_CNTCVL))->on_write = write_half(false);
  timestamp_.find(off(mmPSOC_TIMESTAMP_CNTCVU))->on_write = write_half(true);
  timestamp_.add(off(mmPSOC_TIMESTAMP_CNTFID0), "CNTFID0", uint32_t(timestamp_mhz() * 1e6), false);
}

double PsocClocks::timestamp_mhz() const {
  const double ref = GAUDI_PLL_REF_CLK_MHZ;
  const uint32_t nr = pll_.value(mmPSOC_CPU_PLL_NR - GAUDI_BLK_PSOC_CPU_PLL);
  const uint32_t nf = pll_.value(mmPSOC_CPU_PLL_NF - GAUDI_BLK_PSOC_CPU_PLL);
  const uint32_t od = pll_.value(mmPSOC_CPU_PLL_OD - GAUDI_BLK_PSOC_CPU_PLL);
  const uint32_t div = pll_.value(mmPSOC_CPU_PLL_DIV_FACTOR_2 - GAUDI_BLK_PSOC_CPU_PLL) + 1;
  const double pll = ref * (nf + 1) / ((nr + 1) * (od + 1));
  switch (pll_.value(mmPSOC_CPU_PLL_DIV_SEL_2 - GAUDI_BLK_PSOC_CPU_PLL)) {
    case GAUDI_PLL_DIV_SEL_REF_CLK: return ref;
    case GAUDI_PLL_DIV_SEL_PLL_CLK: return pll;
    case GAUDI_PLL_DIV_SEL_DIVIDED_REF: return ref / div;
    default: return pll / div;
  }
}

uint64_t PsocClocks::counter() const {
  if (!enabled_) return base_;
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const double ticks = now > since_ ? (now - since_).to_seconds() * timestamp_mhz() * 1e6 : 0.0;
  return base_ + uint64_t(ticks);
}

void PsocClocks::reset() {
  timestamp_.reset_all();
  base_ = 0;
  since_ = sc_core::SC_ZERO_TIME;
  enabled_ = false;
}

}  // namespace gs
