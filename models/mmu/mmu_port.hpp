// An engine's path to the on-chip bus through the device MMU: accesses to the host virtual
// range are translated page by page with the engine's ASID (from its PROPS register; bit 10,
// MMU bypass, leaves the address as is); everything else passes untouched. A page fault
// answers the access with an address error, which the engine reports as its own bus error.
#pragma once
#include <functional>

#include "models/common/bus_target.hpp"
#include "models/mmu/device_mmu.hpp"

namespace gs {

class MmuPort : public BusTarget {
 public:
  // asid_props: the engine's PROPS value for this access (ASID in bits 9..0, bypass bit 10).
  MmuPort(DeviceMmu& mmu, BusTarget& next, std::function<uint32_t()> asid_props)
      : mmu_(mmu), next_(next), props_(std::move(asid_props)) {}

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;

 private:
  DeviceMmu& mmu_;
  BusTarget& next_;
  std::function<uint32_t()> props_;
};

}  // namespace gs
