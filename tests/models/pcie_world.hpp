// A small SystemC world for PCIe tests: one root complex with one GAUDI card. Each test
// builds its own (CTest runs every test case in its own process, and SystemC allows one
// elaboration per process), sets parameters before build(), and runs its host-side code
// in an SC_THREAD through run().
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <systemc>
#include <vector>

#include "models/card/card.hpp"
#include "models/common/time.hpp"
#include "models/pcie/config_space.hpp"
#include "models/pcie/root_complex.hpp"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace gs::test {

struct PcieWorld {
  struct Msi {
    sc_core::sc_time at;
    uint32_t data;
  };

  PcieParams pp;  // set before build(): the models keep references to these
  CardParams cp;
  std::unique_ptr<RootComplex> rc;
  std::unique_ptr<Card> card;
  std::vector<Msi> msis;  // what the root complex delivered, in order

  void build(bool never_boots = false) {
    rc = std::make_unique<RootComplex>("rc", pp);
    card = std::make_unique<Card>("card0", cp, pp, 0, never_boots);
    rc->attach(card->pcie());
    rc->set_msi_sink([this](uint32_t d) { msis.push_back({sc_core::sc_time_stamp(), d}); });
  }

  PciConfigSpace& cfg() { return card->pcie().config(); }
  uint64_t bar(unsigned n) { return cfg().bar_base(n); }
  // Host address of a register at CFG_BASE + offset, through BAR 2 (which starts with the
  // SPI flash window; CFG_BASE follows it).
  uint64_t reg(uint32_t offset) { return bar(2) + GAUDI_CFG_BAR_CFG_OFFSET + offset; }

  // Backdoor config writes (what the driver would do with config cycles).
  void set_command(uint16_t bits) { cfg().write32(pcicfg::kCommandStatus, bits); }
  void program_msi(uint64_t addr, uint16_t data, unsigned mme_log2, bool enable) {
    cfg().write32(pcicfg::kMsiCap + 4, uint32_t(addr));
    cfg().write32(pcicfg::kMsiCap + 8, uint32_t(addr >> 32));
    cfg().write32(pcicfg::kMsiCap + 12, data);
    cfg().write32(pcicfg::kMsiCap, (mme_log2 << 20) | (enable ? 1u << 16 : 0u));
  }

  // Runs `body` as a host thread, then the simulation until nothing is left to do.
  void run(std::function<void()> body) {
    sc_core::sc_spawn(std::move(body), "host_thread");
    sc_core::sc_start();
  }

  // Host-side helpers for use inside run().
  uint32_t read32(uint64_t addr, bool* ok = nullptr) {
    uint32_t v = 0;
    bool r = rc->mmio_read(addr, &v, 4);
    if (ok) *ok = r;
    return v;
  }
  bool write32(uint64_t addr, uint32_t v) { return rc->mmio_write(addr, &v, 4); }

  // Link times, computed the way the models are specified.
  sc_core::sc_time wire_time(uint64_t payload) const {
    return transfer_time(pp.wire_bytes(payload), pp.link_gbytes_per_s());
  }
  sc_core::sc_time link_time(uint64_t wire_bytes) const { return transfer_time(wire_bytes, pp.link_gbytes_per_s()); }
  sc_core::sc_time flight() const { return ns(pp.latency_ns); }
};

inline sc_core::sc_time now() { return sc_core::sc_time_stamp(); }

}  // namespace gs::test
