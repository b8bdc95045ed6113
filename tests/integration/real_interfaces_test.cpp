// gaudisim's own driver drives the card through the interfaces the real card has (those the
// upstream Linux driver uses too): each test takes the real interface away or programs it
// wrongly and shows the driver's behaviour follows it.
#include <cerrno>

#include "cs_harness.hpp"
#include "driver/core/hl_device.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "models/pcie/config_space.hpp"
#include "models/pcie/root_complex.hpp"
#include "specs/gaudi/pcie_core.h"
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

// HBM from the host: the driver moves the HBM BAR over the address through the iATU (over
// ELBI), as Linux's debugfs data32/data64 do. Whoever reprograms the iATU's region decides
// what the host reaches: pointed elsewhere the access lands elsewhere, disabled it misses.
TEST(RealInterfaces, HostHbmAccessGoesThroughTheIatuRegionTheDriverProgrammed) {
  CsWorld w;
  const uint64_t far = (3ull << 30) + 0x80;  // outside the BAR's first window
  uint64_t back = 0, elsewhere = 0, disabled = 0;
  int rc_write = 1, rc_read = 1;
  uint64_t target = 1;
  w.run([&](hlthunk::Thunk&, int) {
    hl::HlDevice& d = w.device();
    auto& asic = static_cast<hl::GaudiAsic&>(d.asic());
    auto access = [&](uint64_t addr, uint64_t* val, bool write) {
      hl::DeviceLock g(d.lock());
      return asic.access_dev_mem(d, addr, 8, val, write);
    };
    uint64_t v = 0x0123456789ABCDEFull, near = 0x5555AAAA5555AAAAull;
    rc_write = access(far, &v, true);
    rc_read = access(far, &back, false);
    target = w.card().pcie_core().inbound_target(GAUDI_IATU_HBM_REGION);
    w.card().hbm().store().write(0x80, &near, 8);  // what HBM holds at the first window
    // Behind the driver's back: region 2 back at HBM 0, then disabled.
    RootComplex& rc = w.sys->hosts()[0]->rc();
    const uint64_t cfg = d.props().cfg_bar_addr + GAUDI_CFG_BAR_CFG_OFFSET;
    auto wr = [&](uint32_t reg, uint32_t value) { rc.mmio_write(cfg + reg, &value, 4); };
    const uint32_t region = GAUDI_BLK_PCIE_DBI + GAUDI_IATU_INBOUND(GAUDI_IATU_HBM_REGION);
    wr(mmPCIE_AUX_DBI, GAUDI_PCIE_AUX_DBI_IATU);
    wr(region + GAUDI_IATU_TARGET_LO, 0);
    wr(region + GAUDI_IATU_TARGET_HI, 0);
    access(far, &elsewhere, false);
    wr(region + GAUDI_IATU_CTRL2, 0);
    access(far, &disabled, false);
    wr(mmPCIE_AUX_DBI, 0);
  });
  EXPECT_TRUE(w.finished);
  EXPECT_EQ(rc_write, 0);
  EXPECT_EQ(rc_read, 0);
  EXPECT_EQ(back, 0x0123456789ABCDEFull);
  uint64_t stored = 0;
  w.card().hbm().store().read(far, &stored, 8);
  EXPECT_EQ(stored, 0x0123456789ABCDEFull) << "the write reached HBM at the address";
  EXPECT_EQ(target, far & ~(w.params.pcie.hbm_bar_bytes - 1)) << "the driver moved the window";
  EXPECT_EQ(elsewhere, 0x5555AAAA5555AAAAull) << "the iATU, not the driver, decides";
  EXPECT_EQ(disabled, ~0ull) << "no inbound region: the BAR access misses";
}

}  // namespace
}  // namespace gs::test
