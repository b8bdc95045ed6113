// The card's power registers (card_power.cpp): the board limit the driver shows in sysfs,
// and the energy model's counters: idle power over time, nothing when the model is off.
#include "pcie_world.hpp"

namespace gs::test {
namespace {

uint32_t info(PcieWorld& w, uint32_t reg) { return w.read32(w.reg(GSIM_CARD_INFO_BASE + reg)); }

TEST(CardPower, LimitIsTheHl205sAndAnIdleCardDrawsIdlePower) {
  PcieWorld w;
  w.cp.boot_us = 10;
  w.build();
  w.set_command(pcicfg::kCmdMemory);
  uint32_t max_mw = 0, power_mw = 0, e1 = 0, e2 = 0, hi = 1;
  w.run([&] {
    max_mw = info(w, GSIM_CARD_INFO_MAX_POWER_MW);
    sc_core::wait(sc_core::sc_time(10, sc_core::SC_MS));
    power_mw = info(w, GSIM_CARD_INFO_POWER_MW);
    e1 = info(w, GSIM_CARD_INFO_ENERGY_LO);
    hi = info(w, GSIM_CARD_INFO_ENERGY_HI);
    sc_core::wait(sc_core::sc_time(20, sc_core::SC_MS));
    e2 = info(w, GSIM_CARD_INFO_ENERGY_LO);
  });
  EXPECT_EQ(max_mw, 350000u);
  EXPECT_EQ(power_mw, uint32_t(w.cp.power.idle_w * 1000));
  EXPECT_EQ(hi, 0u);
  // 100 W for 20 ms: 2000 mJ (plus the few microseconds the register reads take).
  EXPECT_NEAR(double(e2 - e1), w.cp.power.idle_w * 20, 2.0);
  EXPECT_NEAR(double(e1), w.cp.power.idle_w * 10, 2.0);
}

TEST(CardPower, PcieCardLimitAndModelOff) {
  PcieWorld w;
  w.cp.boot_us = 10;
  w.cp.power.max_w = 200;  // HL-200
  w.cp.power.model = false;
  w.build();
  w.set_command(pcicfg::kCmdMemory);
  uint32_t max_mw = 0, power_mw = 1, e = 1;
  w.run([&] {
    sc_core::wait(sc_core::sc_time(1, sc_core::SC_MS));
    max_mw = info(w, GSIM_CARD_INFO_MAX_POWER_MW);
    power_mw = info(w, GSIM_CARD_INFO_POWER_MW);
    e = info(w, GSIM_CARD_INFO_ENERGY_LO);
  });
  EXPECT_EQ(max_mw, 200000u);
  EXPECT_EQ(power_mw, 0u);
  EXPECT_EQ(e, 0u);
}

}  // namespace
}  // namespace gs::test
