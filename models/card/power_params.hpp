// Power: the board's limit (public) and an energy model per engine (assumptions), which the
// card reports through its description block (card_power.cpp).
#pragma once
#include "common/params.hpp"

namespace gs {

struct PowerParams {
  double max_w = 350;            // HL-205 (OAM) limit; the PCIe card HL-200 has 200 (driver's MAX_POWER_DEFAULT_*)
  bool model = true;             // energy model on: ENERGY/POWER registers count; off: they read 0
  double idle_w = 100;           // assumed: clocks, leakage, SerDes and HBM refresh of an idle card
  double tpc_w = 10;             // assumed: one TPC core while it runs a kernel
  double mme_w = 50;             // assumed: one MME master with its slave while it runs a GEMM
  double dma_w = 3;              // assumed: one DMA channel while it moves data
  double hbm_pj_per_byte = 30;   // assumed: HBM2 access energy, about 3.9 pJ/bit
  double ambient_c = 35;         // assumed: server inlet air
  double thermal_c_per_w = 0.15; // assumed: 350 W lifts the die 52.5 C above ambient
  double thermal_tau_s = 20;     // assumed: heat sink time constant

  template <class V> void visit(V& v) {
    v.param("power.max_w", max_w, "W", "board power limit the driver reports (sysfs max_power): HL-205 OAM 350, HL-200 PCIe 200", Range{1, 2000});
    v.param("power.model", model, "", "energy model: the card integrates the engines' energy (INFO TOTAL_ENERGY / POWER); off: both read 0");
    v.param("power.idle_w", idle_w, "W", "energy model: power of an idle card", Range{0, 2000});
    v.param("power.tpc_w", tpc_w, "W", "energy model: extra power of one busy TPC core", Range{0, 1000});
    v.param("power.mme_w", mme_w, "W", "energy model: extra power of one busy MME master (with its slave)", Range{0, 1000});
    v.param("power.dma_w", dma_w, "W", "energy model: extra power of one busy DMA channel", Range{0, 1000});
    v.param("power.ambient_c", ambient_c, "C", "thermal model: air temperature at the card (the die's floor)", Range{-40, 100});
    v.param("power.thermal_c_per_w", thermal_c_per_w, "C/W", "thermal model: die temperature rise per watt drawn, in steady state", Range{0, 10});
    v.param("power.thermal_tau_s", thermal_tau_s, "s", "thermal model: time constant of the die and heat sink", Range{0.001, 10000});
    v.param("power.hbm_pj_per_byte", hbm_pj_per_byte, "pJ/B", "energy model: energy per byte read or written in HBM", Range{0, 1e4});
  }
};

}  // namespace gs
