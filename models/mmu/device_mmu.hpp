// GAUDI's device MMU (v1.1) as the upstream driver programs it: the driver loads each ASID's
// hop-0 table address (page tables live in HBM) through MMU_ASID / MMU_HOP0_PA* / MMU_BUSY,
// enables the MMU and invalidates the STLB after every page-table change. Engine accesses to
// the host virtual range are translated by walking the hops in HBM (4 KiB pages, or a large
// page where a PTE has LAST); translations are cached until the next STLB invalidation, so a
// driver that forgets to invalidate sees stale translations, as on the chip. A missing PTE
// is a page fault: captured in PAGE_ERROR_CAPTURE and the access fails.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "models/common/bus_target.hpp"
#include "models/common/reg_bank.hpp"

namespace gs {

class DeviceMmu {
 public:
  DeviceMmu(const std::string& name, sc_core::sc_time reg_latency);

  // Where the hop tables are read (the card's on-chip bus: HBM).
  void connect(BusTarget& tables) { tables_ = &tables; }
  RegBank& up_regs() { return up_; }
  RegBank& stlb_regs() { return stlb_; }

  bool enabled() const;
  // Does this device address need translation (MMU on, address in the host virtual range)?
  bool translates(uint64_t addr) const;
  // Translates va of `asid`; false on a page fault (captured). `delay` grows by the walk.
  bool translate(unsigned asid, uint64_t va, uint64_t* pa, sc_core::sc_time& delay);
  void reset();

  uint64_t walks() const { return walks_; }
  uint64_t faults() const { return faults_; }
  uint64_t invalidations() const { return invalidations_; }

 private:
  RegBank up_, stlb_;
  BusTarget* tables_ = nullptr;
  std::array<uint64_t, 2> hop0_{};  // per ASID (GAUDI_MMU_MAX_ASID)
  std::unordered_map<uint64_t, uint64_t> stlb_cache_;  // (asid, 4 KiB VA page) -> PA page
  uint64_t walks_ = 0, faults_ = 0, invalidations_ = 0;
};

}  // namespace gs
