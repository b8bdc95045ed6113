#include "models/mmu/device_mmu.hpp"

#include "specs/gaudi/regs.h"

namespace gs {

static constexpr uint32_t up(uint32_t reg) { return reg - GAUDI_BLK_MMU_UP; }
static constexpr uint32_t stlb(uint32_t reg) { return reg - GAUDI_BLK_STLB; }
static constexpr uint64_t kPage = 4096;

DeviceMmu::DeviceMmu(const std::string& name, sc_core::sc_time reg_latency)
    : up_(name + ".mmu_up", reg_latency), stlb_(name + ".stlb", reg_latency) {
  static_assert(GAUDI_MMU_MAX_ASID == 2, "hop0_ holds one table per ASID");
  up_.add(up(mmMMU_UP_MMU_ENABLE), "MMU_ENABLE");
  up_.add(up(mmMMU_UP_PAGE_ERROR_CAPTURE), "PAGE_ERROR_CAPTURE");
  up_.add(up(mmMMU_UP_PAGE_ERROR_CAPTURE_VA), "PAGE_ERROR_CAPTURE_VA");
  stlb_.add(stlb(mmMMU_ASID), "MMU_ASID");
  stlb_.add(stlb(mmMMU_HOP0_PA43_12), "MMU_HOP0_PA43_12");
  stlb_.add(stlb(mmMMU_HOP0_PA49_44), "MMU_HOP0_PA49_44");
  // Loading a hop-0 address completes at once: the busy bit reads back clear.
  stlb_.add(stlb(mmMMU_BUSY), "MMU_BUSY").on_write = [this](RegBank::Reg& r, sc_core::sc_time) {
    if (!(r.value & GAUDI_MMU_BUSY_BIT)) return;
    unsigned asid = stlb_.value(stlb(mmMMU_ASID));
    if (asid < hop0_.size())
      hop0_[asid] = uint64_t(stlb_.value(stlb(mmMMU_HOP0_PA43_12))) << 12 |
                    uint64_t(stlb_.value(stlb(mmMMU_HOP0_PA49_44))) << 44;
    r.value = 0;
  };
  stlb_.add(stlb(mmSTLB_CACHE_INV), "STLB_CACHE_INV");
  stlb_.add(stlb(mmSTLB_INV_SET), "STLB_INV_SET");
  stlb_.add(stlb(mmSTLB_MEM_CACHE_INVALIDATION), "STLB_MEM_CACHE_INVALIDATION");
  // INV_PS = 2 starts an invalidation of every cached translation; it reads 0 when done.
  stlb_.add(stlb(mmSTLB_INV_PS), "STLB_INV_PS").on_write = [this](RegBank::Reg& r, sc_core::sc_time) {
    if (r.value != 2) return;
    stlb_cache_.clear();
    ++invalidations_;
    r.value = 0;
  };
}

bool DeviceMmu::enabled() const { return up_.value(up(mmMMU_UP_MMU_ENABLE)) & 1; }

bool DeviceMmu::translates(uint64_t addr) const {
  return enabled() && addr >= GAUDI_VA_HOST_SPACE_START && addr < GAUDI_VA_HOST_SPACE_END;
}

bool DeviceMmu::translate(unsigned asid, uint64_t va, uint64_t* pa, sc_core::sc_time& delay) {
  uint64_t key = uint64_t(asid) << 52 | va / kPage;
  auto hit = stlb_cache_.find(key);
  if (hit != stlb_cache_.end()) {
    *pa = hit->second + va % kPage;
    return true;
  }
  ++walks_;
  uint64_t table = asid < hop0_.size() ? hop0_[asid] : 0;
  for (unsigned h = 0; h < GAUDI_MMU_HOPS && table && tables_; ++h) {
    uint64_t pte = 0;
    uint64_t index = (va & GAUDI_MMU_HOP_MASK(h)) >> GAUDI_MMU_HOP_SHIFT(h);
    if (bus_access(*tables_, tlm::TLM_READ_COMMAND, table + index * 8, &pte, 8, delay) != tlm::TLM_OK_RESPONSE ||
        !(pte & GAUDI_MMU_PTE_PRESENT))
      break;
    uint64_t next = pte & ~GAUDI_MMU_PTE_FLAGS;
    if (h == GAUDI_MMU_HOPS - 1 || (pte & GAUDI_MMU_PTE_LAST)) {
      uint64_t span = 1ull << GAUDI_MMU_HOP_SHIFT(h);  // page size at this hop
      uint64_t page_pa = (next & ~(span - 1)) + (va & (span - 1) & ~(kPage - 1));
      stlb_cache_[key] = page_pa;
      *pa = page_pa + va % kPage;
      return true;
    }
    table = next;
  }
  ++faults_;
  up_.set(up(mmMMU_UP_PAGE_ERROR_CAPTURE), 1u << 19 | uint32_t(va >> 32 & 0x3FFFF));
  up_.set(up(mmMMU_UP_PAGE_ERROR_CAPTURE_VA), uint32_t(va));
  return false;
}

void DeviceMmu::reset() {
  up_.reset_all();
  stlb_.reset_all();
  hop0_.fill(0);
  stlb_cache_.clear();
}

}  // namespace gs
