// The PCIe core's interfaces that both drivers use: every MSI of the card goes through
// PCIE_CORE_MSI_REQ (or the core's on-chip request) and obeys the MSI capability's per-vector
// mask; the per-vector PCIE_MSI_INTR block of the Linux driver's no-PCI simulator mode is not
// on the card.
#include <gtest/gtest.h>

#include "pcie_world.hpp"

namespace gs::test {
namespace {

using namespace pcicfg;

void write_mask(PcieWorld& w, uint32_t mask) { w.rc->cfg_write32(0, kMsiMask, mask); }

TEST(PcieCoreMsi, RequestCarriesTheVectorAndTheUpstreamDriversOneMeansVectorZero) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0400, 5, true);
  w.run([&] {
    w.write32(w.reg(mmPCIE_CORE_MSI_REQ), 1);  // the 6.12 driver's MSG_PROT value
    w.write32(w.reg(mmPCIE_CORE_MSI_REQ), GAUDI_PCIE_CORE_MSI_REQ_VALUE(8));
    w.write32(w.reg(mmPCIE_CORE_MSI_REQ), 8u << GAUDI_PCIE_CORE_MSI_REQ_VECTOR_SHIFT);  // no request bit
  });
  ASSERT_EQ(w.msis.size(), 2u);
  EXPECT_EQ(w.msis[0].data, 0x0400u);
  EXPECT_EQ(w.msis[1].data, 0x0408u);
  EXPECT_EQ(w.card->pcie_core().msi_requests(), 2u);
}

TEST(PcieCoreMsi, ThePerVectorMsiBlockIsNotOnTheCard) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0100, 5, true);
  w.run([&] { w.write32(w.reg(mmPCIE_MSI_INTR_0 + 4 * 3), 1); });
  EXPECT_TRUE(w.msis.empty());
  EXPECT_EQ(w.card->pcie().msi_sent(), 0u);
  EXPECT_GE(w.card->noc().decode_errors(), 1u) << "nobody claims the old block";
}

// A masked vector's message is held as a pending bit (PCI spec) and sent when unmasked;
// other vectors pass meanwhile.
TEST(PcieCoreMsi, AMaskedVectorIsHeldUntilUnmasked) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0200, 5, true);
  EXPECT_TRUE(w.cfg().read32(kMsiCap) & (1u << 24)) << "per-vector masking capable";
  size_t while_masked = 0;
  uint32_t pending = 0;
  w.run([&] {
    write_mask(w, 1u << 3);
    w.write32(w.reg(mmPCIE_CORE_MSI_REQ), GAUDI_PCIE_CORE_MSI_REQ_VALUE(3));
    w.write32(w.reg(mmPCIE_CORE_MSI_REQ), GAUDI_PCIE_CORE_MSI_REQ_VALUE(4));
    sc_core::wait(ns(10000));
    while_masked = w.msis.size();
    pending = w.rc->cfg_read32(0, kMsiPending);
    write_mask(w, 0);
  });
  EXPECT_EQ(while_masked, 1u);
  EXPECT_EQ(pending, 1u << 3);
  ASSERT_EQ(w.msis.size(), 2u);
  EXPECT_EQ(w.msis[0].data, 0x0204u);
  EXPECT_EQ(w.msis[1].data, 0x0203u);
  EXPECT_EQ(w.cfg().msi_pending(), 0u);
  EXPECT_EQ(w.card->pcie().msi_held(), 1u);
}

// The device CPU's event-queue interrupt takes the same path: masked at the core, it waits.
TEST(PcieCoreMsi, TheFirmwaresEventInterruptGoesThroughTheCore) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0000, 5, true);
  size_t while_masked = 0;
  w.run([&] {
    write_mask(w, 1u << GAUDI_EVENT_QUEUE_MSI_IDX);
    w.card->pcie_core().raise_msi(GAUDI_EVENT_QUEUE_MSI_IDX, sc_core::SC_ZERO_TIME);
    sc_core::wait(ns(10000));
    while_masked = w.msis.size();
    write_mask(w, 0);
  });
  EXPECT_EQ(while_masked, 0u);
  ASSERT_EQ(w.msis.size(), 1u);
  EXPECT_EQ(w.msis[0].data, uint32_t(GAUDI_EVENT_QUEUE_MSI_IDX));
  EXPECT_EQ(w.card->pcie_core().msi_requests(), 1u);
}

}  // namespace
}  // namespace gs::test
