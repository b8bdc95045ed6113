// A card's DMA core reaches the bus through the device MMU with the PROPS register its PROT
// register selects (bit 0: secure -> SECURE_PROPS, else NON_SECURE_PROPS), read at each
// access: ASID in bits 9..0, bit 10 bypasses translation.
#include <gtest/gtest.h>

#include "models/engines/dma_core.hpp"
#include "pcie_world.hpp"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

constexpr uint32_t kBypass = 1u << 10;

TEST(CardDma, MmuPortUsesThePropsThatProtSelectsAtEachAccess) {
  PcieWorld w;
  w.build();
  Card& card = *w.card;
  DmaCore& dma = card.dma_core(0);
  RegBank& r = dma.regs();
  card.mmu().up_regs().set(mmMMU_UP_MMU_ENABLE - GAUDI_BLK_MMU_UP, 1);
  const uint64_t va = GAUDI_VA_HOST_SPACE_START + 0x1000;  // no page table maps it: translating faults
  std::vector<uint64_t> faults;
  auto copy = [&] {
    r.set(GAUDI_DMA_CORE_SRC_BASE_LO, uint32_t(va));
    r.set(GAUDI_DMA_CORE_SRC_BASE_HI, uint32_t(va >> 32));
    r.set(GAUDI_DMA_CORE_DST_BASE_LO, 0x1000);
    r.set(GAUDI_DMA_CORE_DST_BASE_HI, 0);
    r.set(GAUDI_DMA_CORE_DST_TSIZE_0, 256);
    uint32_t flags = GAUDI_PKT_LIN_DMA_CTL_LIN_MASK;
    sc_core::sc_time d;
    ASSERT_EQ(bus_access(r, tlm::TLM_WRITE_COMMAND, GAUDI_DMA_CORE_COMMIT, &flags, 4, d), tlm::TLM_OK_RESPONSE);
    sc_core::wait(sc_core::sc_time(100, sc_core::SC_US));
    faults.push_back(card.mmu().faults());
  };
  w.run([&] {
    r.set(GAUDI_DMA_CORE_NON_SECURE_PROPS, kBypass);
    r.set(GAUDI_DMA_CORE_SECURE_PROPS, 3);  // ASID 3, translated
    r.set(GAUDI_DMA_CORE_PROT, 0);
    copy();  // non-secure: bypass, no translation
    r.set(GAUDI_DMA_CORE_PROT, 1);
    copy();  // secure: ASID 3, a page fault
    r.set(GAUDI_DMA_CORE_PROT, 0);
    r.set(GAUDI_DMA_CORE_NON_SECURE_PROPS, 3);
    copy();  // non-secure again, its PROPS changed since the first access
  });
  ASSERT_EQ(faults.size(), 3u);
  EXPECT_EQ(faults[0], 0u);
  EXPECT_EQ(faults[1], 1u);
  EXPECT_EQ(faults[2], 2u);
}

}  // namespace
}  // namespace gs::test
