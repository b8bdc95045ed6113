// gaudisim's own driver drives the card through the interfaces the real card has (those the
// upstream Linux driver uses too): each test takes the real interface away or programs it
// wrongly and shows the driver's behaviour follows it.
#include <cerrno>

#include "cs_harness.hpp"
#include "models/pcie/config_space.hpp"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

constexpr unsigned kQ0 = GAUDI_QUEUE_ID_DMA_0_0;

// MSI: the completion interrupt comes through the PCIe core; masking its vector in the MSI
// capability holds it (the CS does not complete), unmasking delivers it.
TEST(RealInterfaces, CompletionMsiMaskedAtThePcieCoreGatesTheInterrupt) {
  CsWorld w;
  uint32_t masked_status = 99, later_status = 99;
  int masked_rc = 1, later_rc = 1;
  uint64_t irqs_before = 0, irqs_masked = 0;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb cb(t, fd);
    cb.b.nop();
    irqs_before = w.device().irq_count();
    w.card().pcie().cfg_write32(pcicfg::kMsiMask, 1u << kQ0);  // vector 0: queue DMA_0_0
    uint64_t seq = 0;
    ASSERT_EQ(t.submit(fd, {{kQ0, cb.handle, cb.b.size()}}, &seq), 0);
    masked_rc = t.wait_cs(fd, seq, 2000, &masked_status);
    irqs_masked = w.device().irq_count();
    w.card().pcie().cfg_write32(pcicfg::kMsiMask, 0);
    later_rc = t.wait_cs(fd, seq, 100000, &later_status);
  });
  EXPECT_TRUE(w.finished);
  EXPECT_EQ(masked_rc, 0);
  EXPECT_EQ(masked_status, uint32_t(HL_WAIT_CS_STATUS_BUSY)) << "completed without its interrupt";
  EXPECT_EQ(irqs_masked, irqs_before);
  EXPECT_EQ(w.card().pcie().msi_held(), 1u);
  EXPECT_EQ(later_rc, 0);
  EXPECT_EQ(later_status, uint32_t(HL_WAIT_CS_STATUS_COMPLETED));
  EXPECT_GE(w.card().pcie_core().msi_requests(), 1u);
}

}  // namespace
}  // namespace gs::test
