// Parameters of one GAUDI card: memories, engine counts, device CPU boot, fault knobs.
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"
#include "models/card/power_params.hpp"
#include "models/engines/dma_params.hpp"
#include "models/engines/mme_params.hpp"
#include "models/engines/tpc_params.hpp"
#include "models/nic/nic_params.hpp"
#include "models/qman/qman_params.hpp"
#include "models/sync/sync_params.hpp"

namespace gs {

struct CardParams {
  uint64_t hbm_bytes = 32ull << 30;
  uint64_t sram_bytes = 20ull << 20;
  double hbm_gbps = 900;           // peak of 4 HBM2 stacks (Intel, Hot Chips 2024 generation slide)
  double hbm_efficiency = 0.9;     // assumed: sustained share of the peak (refresh, turnarounds)
  double hbm_latency_ns = 120;     // assumed
  double sram_gbps = 2000;         // assumed: on-chip SRAM is faster than HBM
  double sram_latency_ns = 20;     // assumed
  double noc_latency_ns = 5;       // assumed: one hop through the on-chip router
  double reg_latency_ns = 10;      // assumed: register block access
  uint32_t tpc_cores = 8;
  uint32_t mme_engines = 2;        // MME masters with a QMAN each (MME0, MME2)
  uint32_t dma_channels = 8;
  uint32_t nic_ports = 10;
  double tpc_clock_mhz = 1650;     // assumed (working clocks 1.5-2.2 GHz)
  double mme_clock_mhz = 1831;     // assumed: with 128 x 64 arrays, the public 60 TFLOPS bf16
  double cpu_clock_mhz = 1000;     // assumed
  double cpu_event_ns = 2000;      // assumed: firmware time to turn an engine error into an event
  double cpu_msg_ns = 5000;        // assumed: firmware time to serve one driver message
  // Boot and reset: no published figure; the Linux driver's time-outs (preboot 4 s, boot
  // loader 15 s, device CPU 30 s, reset 2 s) bound them. docs/calibration.md has the reasoning.
  double boot_us = 5e6;            // assumed: power-on or reset to firmware ready, 5 s
  double reset_us = 1e6;           // assumed: the hard reset itself, before the boot ROM runs
  uint64_t serial_base = 0x4741554449000000ull;  // card serial = base + global card index
  std::string name = "HL205";      // the OAM card (Linux's default GAUDI card name)
  std::string no_boot_cards;       // fault knob: comma-separated global card indices
  std::string payload = "bytes";   // sim.payload
  QmanParams qman;
  DmaParams dma;
  TpcParams tpc;
  MmeParams mme;
  SyncParams sync;
  NicParams nic;
  PowerParams power;

  // What the HBM controllers deliver to streams: the peak times the sustained efficiency.
  double sustained_hbm_gbps() const { return hbm_gbps * hbm_efficiency; }

  bool timing_payload() const { return payload == "timing"; }

  template <class V> void visit(V& v) {
    v.param("card.hbm_bytes", hbm_bytes, "B", "HBM capacity per card", Range{1 << 20, 1ull << 40});
    v.param("card.sram_bytes", sram_bytes, "B", "usable SRAM per card", Range{1 << 20, 64ull << 20});
    v.param("memory.hbm_gbps", hbm_gbps, "GB/s", "HBM peak bandwidth (all stacks) shared by all engines of a card", Range{1, 1e5});
    v.param("memory.hbm_efficiency", hbm_efficiency, "", "share of the HBM peak that streams sustain (refresh, bank conflicts, read/write turnarounds)", Range{0.05, 1});
    v.param("memory.hbm_latency_ns", hbm_latency_ns, "ns", "HBM access latency", Range{0, 1e5});
    v.param("memory.sram_gbps", sram_gbps, "GB/s", "SRAM bandwidth shared by all engines", Range{1, 1e5});
    v.param("memory.sram_latency_ns", sram_latency_ns, "ns", "SRAM access latency", Range{0, 1e5});
    v.param("card.noc_latency_ns", noc_latency_ns, "ns", "on-chip router hop", Range{0, 1e4});
    v.param("card.reg_latency_ns", reg_latency_ns, "ns", "configuration register access inside the card", Range{0, 1e4});
    // At most the silicon's instances: the firmware reports the others binned (cpucp_info).
    v.param("card.tpc_cores", tpc_cores, "", "TPC cores per card (the others binned)", Range{1, 8});
    v.param("card.mme_engines", mme_engines, "", "MME master engines per card (the others binned)", Range{1, 2});
    v.param("card.dma_channels", dma_channels, "", "DMA channels per card (0-1 PCI, rest HBM)", Range{2, 8});
    v.param("nic.ports", nic_ports, "", "NIC ports per card", Range{0, 10});
    v.param("card.tpc_clock_mhz", tpc_clock_mhz, "MHz", "TPC clock", Range{100, 5000});
    v.param("card.mme_clock_mhz", mme_clock_mhz, "MHz", "MME clock", Range{100, 5000});
    v.param("card.cpu_clock_mhz", cpu_clock_mhz, "MHz", "device CPU clock", Range{100, 5000});
    v.param("cpu.event_ns", cpu_event_ns, "ns", "firmware time to report an engine error in the event queue", Range{0, 1e9});
    v.param("cpu.msg_ns", cpu_msg_ns, "ns", "firmware time to serve one message on the CPU queue", Range{0, 1e9});
    v.param("cpu.boot_us", boot_us, "us", "time from power-on (or the end of a hard reset) until firmware reports ready; tests use 100", Range{0, 1e8});
    v.param("cpu.reset_us", reset_us, "us", "duration of a hard reset before the boot ROM starts again; tests use 10", Range{0, 1e8});
    v.param("card.serial_base", serial_base, "", "card serial number of global card 0; others count up");
    v.param("card.name", name, "", "card name the firmware reports (cpucp_info card_name, at most 15 characters)");
    v.choice("sim.payload", payload, {"bytes", "timing"},
             "bytes: DMA engines and NICs move real data; timing: they move only sizes and times (no payload bytes "
             "read, carried or stored in HBM/SRAM/host memory; same simulated times; data-dependent results say so)");
    v.param("fault.no_boot_cards", no_boot_cards, "", "global card indices whose firmware never boots, e.g. '3,5'");
    qman.visit(v);
    dma.visit(v);
    tpc.visit(v);
    mme.visit(v);
    sync.visit(v);
    nic.visit(v);
    power.visit(v);
  }
};

}  // namespace gs
