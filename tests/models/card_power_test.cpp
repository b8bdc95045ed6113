// The card's power figures as its firmware reports them (card_power.cpp, CPU-CP POWER_GET,
// TOTAL_ENERGY_GET, MAX_POWER_GET): the board limit, and the energy model: idle power over
// time, nothing when the model is off. The packets themselves: cpucp_test.cpp.
#include "pcie_world.hpp"

namespace gs::test {
namespace {

TEST(CardPower, LimitIsTheHl205sAndAnIdleCardDrawsIdlePower) {
  PcieWorld w;
  w.cp.boot_us = 10;
  w.build();
  DeviceCpu& fw = w.card->cpu();
  double power_w = 0, e1 = 0, e2 = 0;
  w.run([&] {
    sc_core::wait(sc_core::sc_time(10, sc_core::SC_MS));
    power_w = fw.read_power_w();
    e1 = fw.read_energy_j();
    sc_core::wait(sc_core::sc_time(20, sc_core::SC_MS));
    e2 = fw.read_energy_j();
  });
  EXPECT_EQ(fw.card_facts().max_power_mw, 350000u);
  EXPECT_DOUBLE_EQ(power_w, w.cp.power.idle_w);
  // 100 W for 20 ms: 2 J; 10 ms before that: 1 J.
  EXPECT_NEAR(e2 - e1, w.cp.power.idle_w * 20e-3, 1e-9);
  EXPECT_NEAR(e1, w.cp.power.idle_w * 10e-3, 1e-9);
}

TEST(CardPower, PcieCardLimitAndModelOff) {
  PcieWorld w;
  w.cp.boot_us = 10;
  w.cp.power.max_w = 200;  // HL-200
  w.cp.power.model = false;
  w.build();
  DeviceCpu& fw = w.card->cpu();
  double power_w = 1, e = 1;
  w.run([&] {
    sc_core::wait(sc_core::sc_time(1, sc_core::SC_MS));
    power_w = fw.read_power_w();
    e = fw.read_energy_j();
  });
  EXPECT_EQ(fw.card_facts().max_power_mw, 200000u);
  EXPECT_EQ(power_w, 0.0);
  EXPECT_EQ(e, 0.0);
}

// What the card tells its firmware: the configuration, the engines it built, its place.
TEST(CardPower, TheFirmwareKnowsTheCardItRunsOn) {
  PcieWorld w;
  w.cp.hbm_bytes = 16ull << 30;
  w.cp.tpc_cores = 5;
  w.cp.mme_engines = 1;
  w.cp.dma_channels = 4;
  w.cp.nic_ports = 3;
  w.cp.name = "HL-X";
  w.build();
  const DeviceCpu::CardFacts& f = w.card->cpu().card_facts();
  EXPECT_EQ(f.name, "HL-X");
  EXPECT_EQ(f.dram_bytes, 16ull << 30);
  EXPECT_EQ(f.sram_bytes, w.cp.sram_bytes);
  EXPECT_EQ(f.tpcs, 5u);
  EXPECT_EQ(f.mmes, 1u);
  EXPECT_EQ(f.dmas, 4u);
  EXPECT_EQ(f.nic_ports, 3u);
  EXPECT_EQ(f.card_location, 0u);
  EXPECT_EQ(f.serial, w.cp.serial_base);
  EXPECT_EQ(f.tpc_mhz, w.cp.tpc_clock_mhz);
}

}  // namespace
}  // namespace gs::test
