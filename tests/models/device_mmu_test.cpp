// The device MMU as the upstream driver uses it: hop-0 tables per ASID loaded through
// MMU_ASID / MMU_HOP0_PA* / MMU_BUSY, a 5-hop walk of page tables in memory, page faults
// captured, translations cached until STLB_INV_PS invalidates them, and an engine's MmuPort
// splitting accesses per page.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "models/common/memory_target.hpp"
#include "models/mmu/device_mmu.hpp"
#include "models/mmu/mmu_port.hpp"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

using sc_core::SC_ZERO_TIME;

// A memory that holds the page tables (from 0) and the pages themselves (from 16 MiB).
struct MmuWorld {
  MemoryTarget mem{"mem", 64ull << 20, 100.0, SC_ZERO_TIME};
  DeviceMmu mmu{"mmu", SC_ZERO_TIME};
  uint64_t next_table = 0x10000;  // hop tables after the hop-0 tables

  MmuWorld() { mmu.connect(mem); }

  void reg(RegBank& bank, uint32_t block, uint32_t reg, uint32_t v) {
    sc_core::sc_time d = SC_ZERO_TIME;
    ASSERT_EQ(bus_access(bank, tlm::TLM_WRITE_COMMAND, reg - block, &v, 4, d), tlm::TLM_OK_RESPONSE);
  }
  uint32_t read(RegBank& bank, uint32_t block, uint32_t reg) {
    uint32_t v = 0;
    sc_core::sc_time d = SC_ZERO_TIME;
    bus_access(bank, tlm::TLM_READ_COMMAND, reg - block, &v, 4, d);
    return v;
  }
  void stlb(uint32_t r, uint32_t v) { reg(mmu.stlb_regs(), GAUDI_BLK_STLB, r, v); }
  // The driver's sequence: hop 0 of `asid` at `pa`, then enable.
  void load_hop0(unsigned asid, uint64_t pa) {
    stlb(mmMMU_ASID, asid);
    stlb(mmMMU_HOP0_PA43_12, uint32_t(pa >> 12));
    stlb(mmMMU_HOP0_PA49_44, uint32_t(pa >> 44));
    stlb(mmMMU_BUSY, GAUDI_MMU_BUSY_BIT);
    reg(mmu.up_regs(), GAUDI_BLK_MMU_UP, mmMMU_UP_MMU_ENABLE, 1);
  }
  uint64_t pte_at(uint64_t table, unsigned h, uint64_t va) {
    return table + ((va & GAUDI_MMU_HOP_MASK(h)) >> GAUDI_MMU_HOP_SHIFT(h)) * 8;
  }
  // Maps the 4 KiB page of va to pa, creating hop tables as needed (hop 0 at hop0).
  void map(uint64_t hop0, uint64_t va, uint64_t pa) {
    uint64_t table = hop0;
    for (unsigned h = 0; h < GAUDI_MMU_HOPS - 1; ++h) {
      uint64_t slot = pte_at(table, h, va), pte = 0;
      mem.store().read(slot, &pte, 8);
      if (!(pte & GAUDI_MMU_PTE_PRESENT)) {
        pte = next_table | GAUDI_MMU_PTE_PRESENT;
        next_table += 4096;
        mem.store().write(slot, &pte, 8);
      }
      table = pte & ~GAUDI_MMU_PTE_FLAGS;
    }
    uint64_t last = pa | GAUDI_MMU_PTE_LAST | GAUDI_MMU_PTE_PRESENT;
    mem.store().write(pte_at(table, GAUDI_MMU_HOPS - 1, va), &last, 8);
  }
};

constexpr uint64_t kVa = GAUDI_VA_HOST_SPACE_START + 0x200000;

TEST(DeviceMmu, WalksFiveHopsPerAsidAndFaultsOnMissingPages) {
  MmuWorld w;
  EXPECT_FALSE(w.mmu.translates(kVa)) << "disabled after reset";
  w.load_hop0(1, 0x1000);
  w.load_hop0(0, 0x0000);
  EXPECT_EQ(w.read(w.mmu.stlb_regs(), GAUDI_BLK_STLB, mmMMU_BUSY), 0u);
  EXPECT_TRUE(w.mmu.translates(kVa));
  EXPECT_FALSE(w.mmu.translates(0x20000000)) << "HBM addresses are physical";
  w.map(0x1000, kVa, 0x1234000);
  uint64_t pa = 0;
  sc_core::sc_time d = SC_ZERO_TIME;
  ASSERT_TRUE(w.mmu.translate(1, kVa + 0x567, &pa, d));
  EXPECT_EQ(pa, 0x1234567u);
  EXPECT_EQ(w.mmu.walks(), 1u);
  // ASID 0 has its own (empty) tables: the same VA faults there, and is captured.
  EXPECT_FALSE(w.mmu.translate(0, kVa + 0x567, &pa, d));
  EXPECT_EQ(w.mmu.faults(), 1u);
  uint32_t cap = w.read(w.mmu.up_regs(), GAUDI_BLK_MMU_UP, mmMMU_UP_PAGE_ERROR_CAPTURE);
  EXPECT_TRUE(cap & (1u << 19));
  EXPECT_EQ(cap & 0x3FFFF, uint32_t((kVa + 0x567) >> 32));
  EXPECT_EQ(w.read(w.mmu.up_regs(), GAUDI_BLK_MMU_UP, mmMMU_UP_PAGE_ERROR_CAPTURE_VA), uint32_t(kVa + 0x567));
}

TEST(DeviceMmu, CachedTranslationsStayUntilTheStlbIsInvalidated) {
  MmuWorld w;
  w.load_hop0(1, 0x1000);
  w.map(0x1000, kVa, 0x1234000);
  uint64_t pa = 0;
  sc_core::sc_time d = SC_ZERO_TIME;
  ASSERT_TRUE(w.mmu.translate(1, kVa, &pa, d));
  w.map(0x1000, kVa, 0x2345000);  // the driver remaps the page ...
  ASSERT_TRUE(w.mmu.translate(1, kVa, &pa, d));
  EXPECT_EQ(pa, 0x1234000u) << "... but has not invalidated: the stale translation is used";
  w.stlb(mmSTLB_INV_PS, 3);
  w.stlb(mmSTLB_CACHE_INV, 1);
  w.stlb(mmSTLB_INV_PS, 2);
  EXPECT_EQ(w.read(w.mmu.stlb_regs(), GAUDI_BLK_STLB, mmSTLB_INV_PS), 0u) << "invalidation done";
  ASSERT_TRUE(w.mmu.translate(1, kVa, &pa, d));
  EXPECT_EQ(pa, 0x2345000u);
  EXPECT_EQ(w.mmu.invalidations(), 1u);
}

TEST(DeviceMmu, PortSplitsAccessesPerPageAndHonoursBypass) {
  MmuWorld w;
  w.load_hop0(1, 0x1000);
  w.map(0x1000, kVa, 0x1100000);           // two consecutive virtual pages ...
  w.map(0x1000, kVa + 4096, 0x1300000);    // ... on physical pages far apart
  uint32_t props = 1;                      // ASID 1, no bypass
  MmuPort port(w.mmu, w.mem, [&] { return props; });
  std::vector<uint8_t> out(8192), back(8192);
  for (size_t i = 0; i < out.size(); ++i) out[i] = uint8_t(i * 7 + 1);
  sc_core::sc_time d = SC_ZERO_TIME;
  ASSERT_EQ(bus_access(port, tlm::TLM_WRITE_COMMAND, kVa + 100, out.data(), 4000 + 3000, d), tlm::TLM_OK_RESPONSE);
  std::vector<uint8_t> p0(3996), p1(3004);
  w.mem.store().read(0x1100000 + 100, p0.data(), p0.size());
  w.mem.store().read(0x1300000, p1.data(), p1.size());
  EXPECT_EQ(0, std::memcmp(p0.data(), out.data(), p0.size()));
  EXPECT_EQ(0, std::memcmp(p1.data(), out.data() + p0.size(), p1.size()));
  ASSERT_EQ(bus_access(port, tlm::TLM_READ_COMMAND, kVa + 100, back.data(), 7000, d), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(0, std::memcmp(back.data(), out.data(), 7000));
  // Past the mapped pages: the access fails (a bus error for the engine).
  EXPECT_EQ(bus_access(port, tlm::TLM_READ_COMMAND, kVa + 8000, back.data(), 500, d), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // MMU bypass (bit 10): the address goes out as is (here: outside the memory, an error).
  props = 1u << 10 | 1;
  uint64_t before = w.mmu.walks();
  EXPECT_NE(bus_access(port, tlm::TLM_READ_COMMAND, kVa + 100, back.data(), 8, d), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.mmu.walks(), before);
}

}  // namespace
}  // namespace gs::test
